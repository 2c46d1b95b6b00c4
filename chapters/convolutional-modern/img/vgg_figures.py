"""Write the diagram of Section 8.2 (vgg) as SVG: run from this folder.

Uses the helpers and the AlexNet layer list of alexnet_figures.py.
"""
from alexnet_figures import (ALEXNET, BLUE, GRAY, ORANGE, PURPLE, INK,
                             arrow, box, text, write_svg, stack)

#: VGG-11 as (number of convolutions, channels) per block.
VGG11 = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))


def vgg_layers():
    """The rows of the VGG column and the row range of each block."""
    rows, blocks = [('image 224×224 (3 channels)', GRAY)], []
    for n, c in VGG11:
        first = len(rows)
        conv = f'3×3 conv, {c}, pad 1' if n == 1 else \
            f'{n} × (3×3 conv, {c}, pad 1)'
        rows += [(conv, BLUE), ('2×2 max-pool, stride 2', PURPLE)]
        blocks.append((first, len(rows) - 1))
    rows += [('dense 4096, dropout', ORANGE), ('dense 4096, dropout', ORANGE),
             ('dense 1000', ORANGE)]
    return rows, blocks


def alexnet_vs_vgg():
    h, gap, w = 22, 8, 175
    rows, blocks = vgg_layers()
    height = 56 + len(rows) * (h + gap)
    bottom = height - 10
    body = []
    elements, tops = stack(20, bottom, w, ALEXNET)
    body += elements
    body.append(text(20 + w / 2, tops[-1] - 26, 'AlexNet', size=13,
                     weight='bold'))
    body.append(text(20 + w / 2, tops[-1] - 10, 'each layer designed '
                     'on its own', size=10, color=GRAY))
    x = 235
    elements, tops = stack(x, bottom, w, rows)
    body += elements
    for k, (first, last) in enumerate(blocks, start=1):
        y0, y1 = tops[last] - 3, tops[first] + h + 3
        body.append(f'<rect x="{x - 6}" y="{y0}" width="{w + 12}" '
                    f'height="{y1 - y0}" rx="6" fill="none" stroke="{INK}" '
                    'stroke-dasharray="4 3"/>')
        body.append(text(x + w + 12, (y0 + y1) / 2 + 4, f'block {k}',
                         anchor='start', size=10))
    body.append(text(x + w / 2, tops[-1] - 26, 'VGG-11', size=13,
                     weight='bold'))
    body.append(text(x + w / 2, tops[-1] - 10, 'five repetitions of '
                     'one block', size=10, color=GRAY))
    write_svg('vgg-alexnet-vs-vgg.svg', 470, height,
              'AlexNet and VGG-11 side by side',
              'Two columns of layers read from bottom to top. Left, '
              'AlexNet: five convolutions with kernels of 11, 5 and 3 '
              'pixels, three max-pooling layers and three dense layers. '
              'Right, VGG-11: five dashed boxes labelled block 1 to 5, '
              'each holding one or two 3x3 convolutions with padding 1 '
              'and a 2x2 max-pooling layer with stride 2; the channels '
              'are 64, 128, 256, 512 and 512, and blocks 3 to 5 have two '
              'convolutions. Both networks end with dense layers of 4096, '
              '4096 and 1000 outputs.', body)


FIGURES = {'vgg-alexnet-vs-vgg.svg': alexnet_vs_vgg}

if __name__ == '__main__':
    for make in FIGURES.values():
        make()
