"""Write the diagram of Section 14.7 (ssd) as SVG: run from this folder.

The TinySSD of the section at 256x256 input: a base network and four more
blocks, each feature map feeding a class head and a box head (3x3
convolutions); the anchors of all five scales are concatenated. The map
sizes and anchor counts are those the section's code prints (4 anchors per
position), in the book's figure style (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, arrow,  # noqa: E402
                        path, rect, text)

HERE = pathlib.Path(__file__).resolve().parent
LIGHT_BLUE, LIGHT_ORANGE, LIGHT_GREEN = '#d2e3f0', '#ffe2c8', '#d5ecd5'

# (block, what it does, output map (h, channels))
BLOCKS = [('blk_0', 'base network', 32, 64),
          ('blk_1', 'downsample', 16, 128),
          ('blk_2', 'downsample', 8, 128),
          ('blk_3', 'downsample', 4, 128),
          ('blk_4', 'global max-pool', 1, 128)]


def architecture_figure():
    """Blocks top to bottom, heads to the right, one concatenation."""
    width, row_h, top = 470, 50, 62
    height = top + len(BLOCKS) * row_h + 66
    body = [rect(20, 14, 150, 30, fill='#f2f2f2', stroke=INK),
            text(95, 34, 'image 3 × 256 × 256', font_size=11),
            arrow(95, 44, 95, top - 2)]
    total = 0
    for i, (name, what, h, c) in enumerate(BLOCKS):
        y = top + i * row_h
        body += [rect(20, y, 150, 30, fill=LIGHT_BLUE, stroke=BLUE),
                 text(95, y + 13, f'{name}: {what}', font_size=11),
                 text(95, y + 26, f'{c} × {h} × {h}', font_size=10,
                      fill=GRAY)]
        if i + 1 < len(BLOCKS):
            body.append(arrow(95, y + 30, 95, y + row_h - 2))
        anchors = h * h * 4
        total += anchors
        body += [arrow(170, y + 15, 208, y + 15),
                 rect(210, y + 2, 110, 26, fill=LIGHT_ORANGE, stroke=ORANGE),
                 text(265, y + 19, 'class + box heads', font_size=11),
                 text(326, y + 12, f'{h}·{h}·4 = {anchors:,}',
                      anchor='start', font_size=10, fill=GRAY),
                 path([(320, y + 15), (430, y + 15)], tip=False)]
    y = top + len(BLOCKS) * row_h
    body += [path([(430, top + 15), (430, y + 8)], tip=False),
             arrow(430, y + 8, 430, y + 22),
             rect(210, y + 24, 250, 30, fill=LIGHT_GREEN, stroke=GREEN),
             text(335, y + 36, f'concatenate: {total:,} anchors,',
                  font_size=11, fill=INK),
             text(335, y + 49, 'their classes and offsets', font_size=11,
                  fill=INK)]
    figure_svg.write(HERE / 'ssd-architecture.svg', figure_svg.document(
        width, height, 'The TinySSD of this section', body,
        'An image of 256 by 256 pixels passes through five blocks in turn: '
        'the base network (64 maps of 32 by 32) and three downsampling '
        'blocks (128 maps of 16, 8 and 4) and a global max-pool (1 by 1). '
        'Each block output feeds a class head and a box head that predict '
        'four anchors per position: 4096, 1024, 256, 64 and 4 anchors, '
        'concatenated into 5,444.'))


if __name__ == '__main__':
    architecture_figure()
