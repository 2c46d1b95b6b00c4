"""Write calculus-polygons.svg: regular n-gons inscribed in a circle.

Usage: python calculus-polygons.py  (from this folder)
"""
import math
from xml.sax.saxutils import escape

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
        'stroke="#1f77b4" stroke-width="1.5"/>',
        f'<polygon points="{pts}" fill="white" stroke="#ff7f0e" '
        'stroke-width="1.5"/>',
        f'<line x1="{cx}" y1="{TOP}" x2="{cx}" y2="{TOP - R}" '
        'stroke="#7f7f7f" stroke-dasharray="3,2"/>',
        f'<text x="{cx + 4}" y="{TOP - R / 2 + 4}" font-style="italic" '
        'fill="#555">r</text>',
        f'<text x="{cx}" y="{TOP + R + 20}" text-anchor="middle">'
        f'n = {n}</text>',
        f'<text x="{cx}" y="{TOP + R + 36}" text-anchor="middle" '
        f'font-size="11" fill="#555">area {area:.0%} of \u03c0r\u00b2</text>',
    ]
svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="405" height="160" '
       'viewBox="0 0 405 160" font-family="sans-serif" font-size="12">\n  '
       f'<title>{escape(TITLE)}</title>\n  <desc>{escape(DESC)}</desc>\n  '
       + '\n  '.join(parts) + '\n</svg>\n')
with open('calculus-polygons.svg', 'w', encoding='utf-8') as f:
    f.write(svg)
