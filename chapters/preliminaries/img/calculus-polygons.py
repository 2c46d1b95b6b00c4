"""Write calculus-polygons.svg: regular n-gons inscribed in a circle.

Usage: python calculus-polygons.py  (from this folder)

The frame (<title>, <desc>, background, font) and the colours come from the
book's shared tools/figure_svg.py.
"""
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, ORANGE  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent

TITLE = 'Inscribed polygons approach the circle'
DESC = ('Regular polygons with 4, 8 and 16 vertices inscribed in a circle '
        'of radius r cover 64%, 90% and 97% of its area: the shaded gap '
        'shrinks toward nothing as the number of vertices grows.')

R, PANEL, TOP = 52, 135, 64          # radius, panel width, circle centre y
parts = []
for i, n in enumerate([4, 8, 16]):
    cx = 67 + i * PANEL
    angles = [2 * math.pi * k / n + math.pi / 2 for k in range(n)]
    pts = ' '.join(f'{cx + R * math.cos(a):.1f},{TOP - R * math.sin(a):.1f}'
                   for a in angles)
    area = n / 2 * math.sin(2 * math.pi / n) / math.pi   # polygon / circle
    parts += [
        f'<circle cx="{cx}" cy="{TOP}" r="{R}" fill="#c6dcef" '
        f'stroke="{BLUE}" stroke-width="1.5"/>',
        f'<polygon points="{pts}" fill="white" stroke="{ORANGE}" '
        'stroke-width="1.5"/>',
        f'<line x1="{cx}" y1="{TOP}" x2="{cx}" y2="{TOP - R}" '
        f'stroke="{GRAY}" stroke-dasharray="3,2"/>',
        f'<text x="{cx + 4}" y="{TOP - R / 2 + 4}" font-style="italic" '
        'fill="#555">r</text>',
        f'<text x="{cx}" y="{TOP + R + 20}" text-anchor="middle">'
        f'n = {n}</text>',
        f'<text x="{cx}" y="{TOP + R + 36}" text-anchor="middle" '
        f'font-size="11" fill="#555">area {area:.0%} of \u03c0r\u00b2</text>',
    ]
figure_svg.write(HERE / 'calculus-polygons.svg', figure_svg.document(
    405, 160, TITLE, parts, DESC, escape_text=True))
