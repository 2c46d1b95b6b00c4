"""Write the diagram of Section 14.3 (bounding-box) as SVG: run from this
folder.

One box in an image, described by its corners and by its centre and size,
in the book's figure style (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, INK, ORANGE, line, rect, text  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def italic(s, sub=''):
    """A symbol such as x with subscript 1, in italics."""
    low = (f'<tspan baseline-shift="sub" font-size="9">{sub}</tspan>'
           if sub else '')
    return f'<tspan font-style="italic">{s}</tspan>{low}'


def dot(x, y, color):
    return f'<circle cx="{x:g}" cy="{y:g}" r="4" fill="{color}"/>'


def coordinates():
    """The image frame with its axes, and one box in both descriptions."""
    width, height = 440, 300
    ox, oy, fw, fh = 40, 40, 360, 230          # the image frame
    x1, y1, x2, y2 = 130, 90, 290, 220         # the box
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    body = [rect(ox, oy, fw, fh, fill='#f4f4f4', stroke=GRAY),
            line(ox, oy, ox + fw + 25, oy, color=INK),
            line(ox, oy, ox, oy + fh + 22, color=INK),
            text(ox + fw + 22, oy - 8, italic('x')),
            text(ox - 12, oy + fh + 18, italic('y')),
            text(ox - 6, oy - 8, '(0, 0)', anchor='end', font_size=11),
            rect(x1, y1, x2 - x1, y2 - y1, fill='#d2e3f0', stroke=BLUE,
                 stroke_width=2),
            dot(x1, y1, BLUE), dot(x2, y2, BLUE), dot(cx, cy, ORANGE),
            text(x1 - 6, y1 - 8, f'({italic("x", "1")}, {italic("y", "1")})',
                 anchor='end'),
            text(x2 + 6, y2 + 16, f'({italic("x", "2")}, {italic("y", "2")})',
                 anchor='start'),
            text(cx + 8, cy - 8, f'({italic("c", "x")}, {italic("c", "y")})',
                 anchor='start', fill=ORANGE),
            # width above the box, height to its right
            line(x1, y1 - 26, x2, y1 - 26, tip=False, color=GRAY),
            line(x1, y1 - 31, x1, y1 - 21, tip=False, color=GRAY),
            line(x2, y1 - 31, x2, y1 - 21, tip=False, color=GRAY),
            text(cx, y1 - 32, italic('w')),
            line(x2 + 26, y1, x2 + 26, y2, tip=False, color=GRAY),
            line(x2 + 21, y1, x2 + 31, y1, tip=False, color=GRAY),
            line(x2 + 21, y2, x2 + 31, y2, tip=False, color=GRAY),
            text(x2 + 38, cy + 4, italic('h'), anchor='start'),
            text(ox + fw / 2, oy + fh - 12,
                 f'corners ({italic("x", "1")}, {italic("y", "1")}, '
                 f'{italic("x", "2")}, {italic("y", "2")})   ·   '
                 f'centre ({italic("c", "x")}, {italic("c", "y")}, '
                 f'{italic("w")}, {italic("h")})', font_size=11, fill=INK)]
    figure_svg.write(HERE / 'bounding-box-coordinates.svg', figure_svg.document(
        width, height, 'A bounding box in image coordinates',
        body, 'The origin is the upper-left corner of the image, x points '
        'right and y points down. A box is given either by its upper-left '
        'corner (x1, y1) and lower-right corner (x2, y2), or by its centre '
        '(cx, cy), width w and height h.'))


if __name__ == '__main__':
    coordinates()
