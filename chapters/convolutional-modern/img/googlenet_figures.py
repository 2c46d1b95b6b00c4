"""Write the diagrams of Section 8.4 (googlenet) as SVG: run from this folder.

Uses the helpers of alexnet_figures.py. The channel counts of the Inception
blocks are the notebook's, summed here, so the labels agree with its
layer_summary.
"""
from alexnet_figures import (BLUE, GRAY, GREEN, ORANGE, PURPLE, RED,
                             arrow, box, brace, polyline, stack, text,
                             write_svg)

#: (c1, (c2 reduce, c2 out), (c3 reduce, c3 out), c4) of the nine blocks.
INCEPTION = {'b3': [(64, (96, 128), (16, 32), 32),
                    (128, (128, 192), (32, 96), 64)],
             'b4': [(192, (96, 208), (16, 48), 64),
                    (160, (112, 224), (24, 64), 64),
                    (128, (128, 256), (24, 64), 64),
                    (112, (144, 288), (32, 64), 64),
                    (256, (160, 320), (32, 128), 128)],
             'b5': [(256, (160, 320), (32, 128), 128),
                    (384, (192, 384), (48, 128), 128)]}


def out_channels(c1, c2, c3, c4):
    return c1 + c2[1] + c3[1] + c4


def inception_block():
    w, h, gap = 100, 24, 16
    xs = [15 + k * (w + 10) for k in range(4)]
    y_in, y1, y2, y_cat = 250, 190, 130, 60
    body = box(xs[1] + w / 2 + 5 - 80, y_in, 170, h, 'input', GRAY)
    columns = [[('1×1 conv, c1', BLUE)],
               [('1×1 conv, c2[0]', BLUE), ('3×3 conv, c2[1]', BLUE)],
               [('1×1 conv, c3[0]', BLUE), ('5×5 conv, c3[1]', BLUE)],
               [('3×3 max-pool', PURPLE), ('1×1 conv, c4', BLUE)]]
    cat_x, cat_w = xs[0], xs[3] + w - xs[0]
    cx_in = xs[1] + w / 2 + 5
    for x, layers in zip(xs, columns):
        cx = x + w / 2
        body.append(polyline([(cx_in, y_in), (cx_in, y_in - 12),
                              (cx, y_in - 12), (cx, y1 + h + 1)]))
        ys = [y1] if len(layers) == 1 else [y1, y2]
        if len(layers) == 1:
            body += box(x, y1, w, h, layers[0][0], layers[0][1], size=10)
            body.append(arrow(cx, y1, cx, y_cat + h + 1))
        else:
            for y, (label, color) in zip(ys, layers):
                body += box(x, y, w, h, label, color, size=10)
            body.append(arrow(cx, y1, cx, y2 + h + 1))
            body.append(arrow(cx, y2, cx, y_cat + h + 1))
    body += box(cat_x, y_cat, cat_w, h, 'concatenate along the channels',
                RED)
    body.append(arrow(cat_x + cat_w / 2, y_cat, cat_x + cat_w / 2, 22))
    body.append(text(cat_x + cat_w / 2, 16, 'output: c1 + c2[1] + c3[1] + '
                     'c4 channels, same height and width', size=10,
                     color=GRAY))
    body.append(text(xs[3] + w / 2 - 5, y1 - 10, 'stride 1, pad 1',
                     anchor='end', size=9, color=GRAY))
    write_svg('googlenet-inception.svg', 450, 285,
              'The Inception block',
              'An input at the bottom feeds four parallel branches. Branch '
              '1 is a 1x1 convolution with c1 channels. Branch 2 is a 1x1 '
              'convolution with c2[0] channels followed by a 3x3 '
              'convolution with c2[1] channels. Branch 3 is a 1x1 '
              'convolution with c3[0] channels followed by a 5x5 '
              'convolution with c3[1] channels. Branch 4 is a 3x3 '
              'max-pooling with stride 1 and padding 1 followed by a 1x1 '
              'convolution with c4 channels. The four outputs have the '
              'height and width of the input and are concatenated along '
              'the channels at the top.', body)


def googlenet():
    h, gap, w, x = 18, 6, 200, 130
    rows = [('image 96×96', GRAY),
            ('7×7 conv, 64, stride 2', BLUE),
            ('3×3 max-pool, stride 2', PURPLE),
            ('1×1 conv, 64', BLUE), ('3×3 conv, 192', BLUE),
            ('3×3 max-pool, stride 2', PURPLE)]
    groups = {'b1': (1, 2), 'b2': (3, 5)}
    for name in ('b3', 'b4', 'b5'):
        first = len(rows)
        rows += [(f'Inception → {out_channels(*spec)}', RED)
                 for spec in INCEPTION[name]]
        rows.append(('3×3 max-pool, stride 2', PURPLE) if name != 'b5'
                    else ('global average pool → 1024', GREEN))
        groups[name] = (first, len(rows) - 1)
    rows.append(('dense 10', ORANGE))
    height = 30 + len(rows) * (h + gap)
    bottom = height - 6
    body, tops = stack(x, bottom, w, rows, h=h, gap=gap)
    for name, (first, last) in groups.items():
        body += brace(x - 6, tops[last], tops[first] + h, name, size=11)
    for name, first, last in [('stem', 1, 5), ('body', 6, 16),
                              ('head', 17, 18)]:
        body += brace(x + w + 6, tops[last], tops[first] + h, name,
                      side='right', size=11)
    write_svg('googlenet-net.svg', 420, height,
              'GoogLeNet, read from bottom to top',
              'A column of layers from a 96x96 image at the bottom to a '
              'dense layer with 10 outputs at the top. Brackets group them '
              'into five modules, b1 to b5. b1: a 7x7 convolution with 64 '
              'channels and stride 2, then 3x3 max-pooling with stride 2. '
              'b2: a 1x1 convolution with 64 channels, a 3x3 convolution '
              'with 192 channels and max-pooling. b3: two Inception blocks '
              'with 256 and 480 output channels and max-pooling. b4: five '
              'Inception blocks with 512, 512, 512, 528 and 832 channels '
              'and max-pooling. b5: two Inception blocks with 832 and 1024 '
              'channels and global average pooling. On the right, b1 and '
              'b2 are marked as the stem, the Inception blocks as the '
              'body, and pooling and the dense layer as the head.', body)


FIGURES = {'googlenet-inception.svg': inception_block,
           'googlenet-net.svg': googlenet}

if __name__ == '__main__':
    for make in FIGURES.values():
        make()
