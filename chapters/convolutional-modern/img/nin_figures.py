"""Write the diagram of Section 8.3 (nin) as SVG: run from this folder.

Uses the helpers of alexnet_figures.py and the VGG-11 spec of vgg_figures.py.
"""
from alexnet_figures import (BLUE, GRAY, GREEN, ORANGE, PURPLE, INK,
                             brace, stack, text, write_svg)
from vgg_figures import VGG11


def vgg_vs_nin():
    h, gap, w = 22, 8, 180
    xl, xr = 30, 250
    vgg_block = [('3×3 conv, pad 1, ReLU', BLUE),
                 ('2×2 max-pool, stride 2', PURPLE)]
    nin_block = [('k×k conv, ReLU', BLUE), ('1×1 conv, ReLU', BLUE),
                 ('1×1 conv, ReLU', BLUE)]
    vgg = ([('image', GRAY)]
           + [(f'VGG block ({n} conv, {c})', BLUE) for n, c in VGG11]
           + [('dense 4096, dropout', ORANGE), ('dense 4096, dropout', ORANGE),
              ('dense 1000', ORANGE)])
    nin = [('image', GRAY), ('NiN block, 96, 11×11, stride 4', BLUE),
           ('3×3 max-pool, stride 2', PURPLE),
           ('NiN block, 256, 5×5, pad 2', BLUE),
           ('3×3 max-pool, stride 2', PURPLE),
           ('NiN block, 384, 3×3, pad 1', BLUE),
           ('3×3 max-pool, stride 2', PURPLE), ('dropout', GRAY),
           ('NiN block, 1000, 3×3, pad 1', BLUE),
           ('global average pool', GREEN)]
    body = []
    # top: the two blocks
    top_bottom = 40 + 3 * (h + gap)
    elements, tops = stack(xl, top_bottom, w, vgg_block)
    body += elements
    body += brace(xl + w + 4, tops[0], tops[0] + h, '× n', side='right',
                  size=10)
    body.append(text(xl + w / 2, 20, 'VGG block', size=13, weight='bold'))
    elements, tops = stack(xr, top_bottom, w, nin_block)
    body += elements
    body.append(text(xr + w / 2, 20, 'NiN block', size=13, weight='bold'))
    # bottom: the two networks
    bottom = top_bottom + 50 + len(nin) * (h + gap)
    for x, rows, name in [(xl, vgg, 'VGG-11'), (xr, nin, 'NiN')]:
        elements, tops = stack(x, bottom, w, rows)
        body += elements
        body.append(text(x + w / 2, tops[-1] - 10, name, size=13,
                         weight='bold'))
    body.append(f'<line x1="10" y1="{top_bottom + 12}" x2="450" '
                f'y2="{top_bottom + 12}" stroke="{INK}" stroke-width="0.5"/>')
    write_svg('nin-vgg-vs-nin.svg', 460, bottom + 10,
              'VGG and NiN, their blocks and their networks',
              'Top: the two blocks, read from bottom to top. A VGG block '
              'repeats a 3x3 convolution with padding 1 and a ReLU n times '
              'and ends with 2x2 max-pooling of stride 2. A NiN block is '
              'one convolution with a k by k kernel followed by two 1x1 '
              'convolutions, each with a ReLU. Bottom: VGG-11 is five VGG '
              'blocks followed by dense layers with 4096, 4096 and 1000 '
              'outputs. NiN is three NiN blocks with 96, 256 and 384 '
              'channels and kernels of 11, 5 and 3 pixels, each followed '
              'by 3x3 max-pooling, then dropout, a last NiN block with one '
              'channel per class and global average pooling; it has no '
              'dense layer.', body)


FIGURES = {'nin-vgg-vs-nin.svg': vgg_vs_nin}

if __name__ == '__main__':
    for make in FIGURES.values():
        make()
