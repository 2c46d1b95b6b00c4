"""Write the diagram of Section 14.12 (neural-style) as SVG: run from this
folder.

The style-transfer pipeline: the content, synthesized and style images each
pass through the same frozen five-block CNN; the content loss compares one
block's features, style losses compare Gram matrices at every block, the
TV loss looks at the synthesized image itself, and the gradient of their
weighted sum flows back into the synthesized image only. Drawn in the
book's figure style (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE,  # noqa: E402
                        line, path, rect, text)

HERE = pathlib.Path(__file__).resolve().parent
LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         PURPLE: '#e2d7ee', GRAY: '#f0f0f0'}

COLS = {'content': 86, 'synth': 222, 'style': 358}   # column centres
BOX_W, IMG_H, BLOCK_H = 92, 42, 24
IMG_Y = 34                                           # top of the image row
BLOCK_Y = [104 + 40 * k for k in range(5)]           # tops of the blocks
CONTENT_BLOCK = 2                                    # 0-based: block 3
LOSS_W, LOSS_H = 54, 22
TV_W = 34                                            # the TV box
BLOCK_W = 72                                         # width of a block box


def box(cx, y, w, h, lines, color=None, size=11):
    """A rounded box centred at cx with one or two lines of text."""
    fill, stroke = (LIGHT[color], color) if color else ('#ffffff', GRAY)
    out = [rect(cx - w / 2, y, w, h, fill=fill, stroke=stroke, rx=4)]
    top = y + h / 2 + 4 - 6.5 * (len(lines) - 1)
    out += [text(cx, top + 13 * k, s, font_size=size)
            for k, s in enumerate(lines)]
    return out


def pipeline_figure():
    """Three columns through one frozen CNN, three kinds of loss, one
    gradient."""
    width, height = 432, 364
    body = [text(COLS['content'], IMG_Y - 8, 'target, fixed',
                 font_size=11, fill=GRAY),
            text(COLS['style'], IMG_Y - 8, 'target, fixed',
                 font_size=11, fill=GRAY)]
    body += box(COLS['content'], IMG_Y, BOX_W, IMG_H,
                ['content', 'image x_c'])
    body += box(COLS['synth'], IMG_Y, BOX_W, IMG_H,
                ['synthesized', 'image (trained)'], ORANGE)
    body += box(COLS['style'], IMG_Y, BOX_W, IMG_H, ['style', 'image x_s'])
    # the frozen network: one shaded band per block behind the columns
    for k, y in enumerate(BLOCK_Y):
        body.append(rect(30, y - 4, width - 52, BLOCK_H + 8,
                         fill=LIGHT[GRAY], stroke='none', rx=3))
        for cx in COLS.values():
            body += box(cx, y, BLOCK_W, BLOCK_H, [f'block {k + 1}'])
    mid_y = (BLOCK_Y[0] + BLOCK_Y[-1] + BLOCK_H) / 2
    body.append(text(20, mid_y, 'frozen CNN, shared weights', font_size=11,
                     fill=INK, transform=f'rotate(-90 20 {mid_y:g})'))
    # forward arrows down each column
    for cx in COLS.values():
        tops = [IMG_Y + IMG_H] + [y + BLOCK_H for y in BLOCK_Y[:-1]]
        for y0, y1 in zip(tops, BLOCK_Y):
            body.append(line(cx, y0, cx, y1 - 2))
    # content loss between the content and synthesized columns
    x_c = (COLS['content'] + COLS['synth']) / 2
    y_c = BLOCK_Y[CONTENT_BLOCK] + (BLOCK_H - LOSS_H) / 2
    body += box(x_c, y_c, LOSS_W, LOSS_H, ['content'], BLUE)
    mid = BLOCK_Y[CONTENT_BLOCK] + BLOCK_H / 2
    body += [line(COLS['content'] + BLOCK_W / 2, mid,
                  x_c - LOSS_W / 2 - 2, mid),
             line(COLS['synth'] - BLOCK_W / 2, mid,
                  x_c + LOSS_W / 2 + 2, mid)]
    # TV loss on the image, style losses on Gram matrices at every block
    x_s = (COLS['synth'] + COLS['style']) / 2
    y_tv = IMG_Y + (IMG_H - LOSS_H) / 2
    body += box(x_s, y_tv, TV_W, LOSS_H, ['TV'], GREEN)
    body.append(line(COLS['synth'] + BOX_W / 2, IMG_Y + IMG_H / 2,
                     x_s - TV_W / 2 - 2, IMG_Y + IMG_H / 2))
    for y in BLOCK_Y:
        y_l, mid = y + (BLOCK_H - LOSS_H) / 2, y + BLOCK_H / 2
        body += box(x_s, y_l, LOSS_W, LOSS_H, ['style'], PURPLE)
        body += [line(COLS['synth'] + BLOCK_W / 2, mid,
                      x_s - LOSS_W / 2 - 2, mid),
                 line(COLS['style'] - BLOCK_W / 2, mid,
                      x_s + LOSS_W / 2 + 2, mid)]
    # the weighted sum
    y_tot, h_tot = BLOCK_Y[-1] + BLOCK_H + 30, 36
    body += box(COLS['synth'], y_tot, 280, h_tot,
                ['L = w_c · content',
                 '+ w_s · (sum of style) + w_tv · TV'])
    bus = [y_tv + LOSS_H] + [y + (BLOCK_H + LOSS_H) / 2 for y in BLOCK_Y]
    starts = [y + (BLOCK_H - LOSS_H) / 2 for y in BLOCK_Y] + [y_tot]
    for y0, y1 in zip(bus, starts):
        body.append(line(x_s, y0, x_s, y1 - 2, tip=(y1 == y_tot),
                         color=PURPLE))
    body.append(line(x_c, y_c + LOSS_H, x_c, y_tot - 2, color=BLUE))
    # the gradient: back into the pixels, and nowhere else
    right, top = width - 8, 12
    body.append(path([(COLS['synth'] + 140, y_tot + h_tot / 2),
                      (right, y_tot + h_tot / 2), (right, top),
                      (COLS['synth'], top), (COLS['synth'], IMG_Y - 2)],
                     color=ORANGE).replace('/>', ' stroke-dasharray="5 3"/>'))
    body.append(text(right - 6, y_tot - 8, 'gradient', anchor='end',
                     font_size=11, fill=ORANGE))
    figure_svg.write(HERE / 'neural-style-pipeline.svg', figure_svg.document(
        width, height, 'Style transfer: a frozen CNN, three losses, one '
        'trainable image', body,
        'Three columns pass through the same frozen five-block CNN: the '
        'content image on the left, the synthesized image in the middle '
        '(orange, the only parameter, initialized to the content image) '
        'and the style image on the right. A content loss (blue) compares '
        'block 3 of the content and synthesized columns; a style loss '
        '(purple) compares the Gram matrices of the synthesized and style '
        'columns at every block; a TV loss (green) looks at the '
        'synthesized image itself. Their weighted sum is the total loss, '
        'whose gradient (dashed orange) goes back to the synthesized '
        'image only. The targets of the content and style columns are '
        'computed once.'))


if __name__ == '__main__':
    pipeline_figure()
