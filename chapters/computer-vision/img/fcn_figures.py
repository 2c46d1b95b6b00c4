"""Write the diagrams of Section 14.11 (fcn) as SVG: run from this folder.

fcn-architecture.svg: the fully convolutional network of the section, with
the shapes its code prints for a 320x480 input (ResNet-18 body of stride
32, a 1x1 class convolution, a transposed convolution with kernel 64,
stride 32 and padding 16). fcn-bilinear.svg: one row of a 2x upsampling,
the tents that the input pixels scatter and the border pixel that receives
only part of its weight. Book figure style (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, RED,  # noqa: E402
                        arrow, path, rect, text)

HERE = pathlib.Path(__file__).resolve().parent
LIGHT_BLUE, LIGHT_ORANGE, LIGHT_GREEN = '#d2e3f0', '#ffe2c8', '#d5ecd5'

# (name, what it does, output shape (channels, h, w)), q = number of classes
STAGES = [('ResNet-18 body', 'stride 32: 4 at the stem, 2 in layers 2-4',
           ('512', 10, 15)),
          ('final_conv', '1 × 1 convolution, 512 → q channels',
           ('q', 10, 15)),
          ('transpose_conv', 'kernel 64, stride 32, padding 16',
           ('q', 320, 480))]


def architecture_figure():
    """Input, three stages and the class map, top to bottom."""
    width, row_h, top = 440, 62, 58
    height = top + len(STAGES) * row_h + 52
    cx = 175
    body = [rect(cx - 95, 12, 190, 30, fill='#f2f2f2', stroke=INK),
            text(cx, 32, 'image 3 × 320 × 480', font_size=11),
            arrow(cx, 42, cx, top - 2)]
    fills = [(LIGHT_BLUE, BLUE), (LIGHT_ORANGE, ORANGE),
             (LIGHT_ORANGE, ORANGE)]
    for i, (name, what, (c, h, w)) in enumerate(STAGES):
        y = top + i * row_h
        fill, stroke = fills[i]
        body += [rect(cx - 95, y, 190, 36, fill=fill, stroke=stroke),
                 text(cx, y + 15, name, font_size=12),
                 text(cx, y + 30, what, font_size=9, fill=INK),
                 text(cx + 103, y + 22, f'→ {c} × {h} × {w}',
                      anchor='start', font_size=11, fill=GRAY)]
        body.append(arrow(cx, y + 36, cx, y + row_h - 2))
    y = top + len(STAGES) * row_h
    body += [rect(cx - 95, y, 190, 36, fill=LIGHT_GREEN, stroke=GREEN),
             text(cx, y + 15, 'argmax over the q channels', font_size=11),
             text(cx, y + 30, 'one class per pixel: 320 × 480',
                  font_size=10, fill=INK)]
    # a bracket: everything after the backbone is new and small
    body += [path([(cx - 100, top + row_h), (cx - 110, top + row_h),
                   (cx - 110, top + 3 * row_h - 26),
                   (cx - 100, top + 3 * row_h - 26)], tip=False,
                  color=ORANGE),
             text(cx - 115, top + 2 * row_h - 6, 'new', anchor='end',
                  font_size=10, fill=ORANGE),
             text(cx - 115, top + 2 * row_h + 7, 'head', anchor='end',
                  font_size=10, fill=ORANGE)]
    figure_svg.write(HERE / 'fcn-architecture.svg', figure_svg.document(
        width, height, 'The fully convolutional network of this section',
        body,
        'A 320 by 480 image passes through the body of ResNet-18, which '
        'shrinks it 32 times to 512 maps of 10 by 15. A 1 by 1 convolution '
        'turns the 512 channels into q class scores at each of the 150 '
        'positions, and a transposed convolution with kernel 64, stride 32 '
        'and padding 16 enlarges the q maps back to 320 by 480. The argmax '
        'over the channels gives one class per pixel.'))


def bilinear_figure():
    """Input pixels scatter tents of half-width s = 2 onto the output row."""
    s, n = 2, 4                          # factor, input pixels in the row
    unit = 34                            # px per output pixel
    x0, width = 70, 400
    y_in, y_out = 150, 196
    height = 236
    body = [text(x0 - 8, y_in + 4, 'input', anchor='end', font_size=10),
            text(x0 - 8, y_out + 4, 'output', anchor='end', font_size=10)]
    colours = [BLUE, ORANGE, GREEN, RED]
    # output pixel x has its centre at x + 0.5 (in output units);
    # input pixel u has its centre at s * (u + 0.5)
    for x in range(n * s):
        body.append(rect(x0 + x * unit, y_out - 12, unit, 24,
                         fill='#f2f2f2' if x in (0, n * s - 1) else '#ffffff',
                         stroke=GRAY))
    for x in range(n * s):
        cxo = x0 + (x + 0.5) * unit
        got = sum(max(0.0, 1 - abs((x + 0.5) - s * (u + 0.5)) / s)
                  for u in range(n))
        body.append(text(cxo, y_out + 4, f'{got:g}', font_size=10,
                         fill=RED if got < 1 else INK))
    for u in range(n):
        cu = x0 + s * (u + 0.5) * unit
        body.append(rect(cu - s * unit / 2 + 2, y_in - 12, s * unit - 4, 24,
                         fill=LIGHT_BLUE, stroke=BLUE))
        body.append(text(cu, y_in + 4, f'x{u}', font_size=11))
        # the tent: weight 1 at the centre, 0 at distance s (output units)
        base = y_in - 16
        pts = [(cu - s * unit, base), (cu, base - 96), (cu + s * unit, base)]
        body.append(path(pts, tip=False, color=colours[u]))
    # weights of output pixels 1 and 2 from x0 (0.75 each) marked
    body += [text(width / 2, 20, 'each input pixel adds a tent of '
                  'half-width s = 2 output pixels', font_size=11),
             text(width / 2, y_out + 34, 'sum of the weights each output '
                  'pixel receives (red: border, below 1)', font_size=10,
                  fill=GRAY)]
    figure_svg.write(HERE / 'fcn-bilinear.svg', figure_svg.document(
        width, height, 'Bilinear upsampling as a transposed convolution',
        body,
        'A row of four input pixels is enlarged to eight output pixels. '
        'Each input pixel scatters a triangular kernel whose peak sits at '
        'its own centre and which falls to zero two output pixels away. '
        'Every interior output pixel receives weights that add up to 1; '
        'the first and the last output pixel receive only 0.75, because '
        'the tent of a neighbour outside the image is missing.'))


if __name__ == '__main__':
    architecture_figure()
    bilinear_figure()
