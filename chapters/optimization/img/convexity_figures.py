"""Write the set diagrams of Section 12.2 (convexity) as SVG: run from this
folder.

Style of the book: about 440 px wide, sans-serif, matplotlib's tab10
colours, each file with a <title> and a <desc>.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GREEN, INK, ORANGE, RED  # noqa: E402

LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4'}
HERE = pathlib.Path(__file__).resolve().parent


def svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def label(x, y, s, anchor='middle', color=INK):
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'fill="{color}">{s}</text>')


def shape(d, color, opacity=1.0):
    return (f'<path d="{d}" fill="{LIGHT[color]}" fill-opacity="{opacity}" '
            f'stroke="{color}" stroke-width="1.5"/>')


def segment(x0, y0, x1, y1, color=INK, dash=False):
    dashed = ' stroke-dasharray="4 3"' if dash else ''
    return [f'<line x1="{x0:g}" y1="{y0:g}" x2="{x1:g}" y2="{y1:g}" '
            f'stroke="{color}" stroke-width="1.5"{dashed}/>',
            f'<circle cx="{x0:g}" cy="{y0:g}" r="3" fill="{color}"/>',
            f'<circle cx="{x1:g}" cy="{y1:g}" r="3" fill="{color}"/>']


def sets():
    # An L-shaped region (not convex), an ellipse and a pentagon (convex).
    body = [shape('M20,30 L70,30 L70,100 L130,100 L130,140 L20,140 Z', ORANGE),
            *segment(45, 50, 115, 122, RED),
            label(75, 170, 'not convex'),
            '<ellipse cx="220" cy="85" rx="60" ry="40" '
            f'fill="{LIGHT[BLUE]}" stroke="{BLUE}" stroke-width="1.5"/>',
            *segment(185, 70, 255, 105),
            label(220, 170, 'convex'),
            shape('M370,35 L415,68 L398,125 L342,125 L325,68 Z', GREEN),
            *segment(340, 75, 400, 110),
            label(370, 170, 'convex')]
    svg('convexity-sets.svg', 440, 185, 'Convex and non-convex sets',
        'An L-shaped region with a segment between two of its points that '
        'leaves the region, next to an ellipse and a pentagon, which contain '
        'every segment between their points.', body)


def intersection_union():
    # Left: an ellipse and a rectangle overlap; their intersection (hatched
    # by clipping) is convex. Right: a triangle and a disc apart; a segment
    # between them crosses the gap, so the union is not convex.
    rect = 'M95,40 L190,40 L190,140 L95,140 Z'
    body = ['<defs><clipPath id="inrect">'
            f'<path d="{rect}"/></clipPath></defs>',
            '<ellipse cx="85" cy="90" rx="70" ry="45" '
            f'fill="{LIGHT[BLUE]}" stroke="{BLUE}" stroke-width="1.5"/>',
            shape(rect, ORANGE, 0.6),
            '<ellipse cx="85" cy="90" rx="70" ry="45" fill="' + GREEN
            + '" fill-opacity="0.6" clip-path="url(#inrect)"/>',
            label(110, 170, 'intersection: convex'),
            shape('M250,130 L300,45 L330,130 Z', BLUE),
            f'<circle cx="395" cy="85" r="32" fill="{LIGHT[ORANGE]}" '
            f'stroke="{ORANGE}" stroke-width="1.5"/>',
            *segment(300, 110, 385, 80, RED),
            label(335, 170, 'union: not convex')]
    svg('convexity-intersection-union.svg', 440, 185,
        'Intersection and union of convex sets',
        'Left: an ellipse and a rectangle overlap, and the overlap (green) '
        'is convex. Right: a triangle and a disc that do not touch; a '
        'segment from one to the other passes through the gap, outside '
        'both sets.', body)


if __name__ == '__main__':
    sets()
    intersection_union()
