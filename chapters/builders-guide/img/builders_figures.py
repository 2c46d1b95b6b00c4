"""Write the diagrams of chapter 6 as SVG (run from this folder).

Style: about 400 px wide, sans-serif, matplotlib's tab10 colours; the
frame (<title>, <desc>, arrow head, background) and the palette come from
the book's shared tools/figure_svg.py.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, ORANGE  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def blocks():
    """A model made of three copies of one block of three layers."""
    W, H = 400, 250
    out = [f'<rect x="6" y="6" width="{W - 12}" height="{H - 12}" rx="8" '
           f'fill="{GRAY}" fill-opacity="0.06" stroke="{GRAY}" '
           'stroke-width="1.5"/>',
           '<text x="16" y="24" font-weight="bold" fill="#555">model</text>']

    def layer(x, y, w, h, label):
        return [f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" '
                f'fill="#dcebf6" stroke="{BLUE}"/>',
                f'<text x="{x + w / 2}" y="{y + h / 2 + 4}" '
                f'text-anchor="middle">{label}</text>']

    def arrow(x1, y1, x2, y2):
        return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                f'stroke="{GRAY}" stroke-width="1.4" marker-end="url(#a)"/>')

    out += layer(20, 110, 44, 40, 'in')
    out += layer(336, 110, 44, 40, 'out')
    for i, x in enumerate([80, 166, 252]):
        out.append(f'<rect x="{x}" y="50" width="72" height="160" rx="6" '
                   f'fill="{ORANGE}" fill-opacity="0.12" stroke="{ORANGE}" '
                   'stroke-width="1.5"/>')
        out.append(f'<text x="{x + 36}" y="68" text-anchor="middle" '
                   f'fill="#c45a00">block {i + 1}</text>')
        for j in range(3):
            out += layer(x + 10, 80 + j * 42, 52, 30, 'layer')
            if j < 2:
                out.append(arrow(x + 36, 110 + j * 42, x + 36, 121 + j * 42))
    for x1, x2 in [(64, 80), (152, 166), (238, 252), (324, 336)]:
        out.append(arrow(x1, 130, x2 - 1, 130))
    out.append(f'<text x="{W / 2}" y="232" text-anchor="middle" '
               'fill="#555">one block class, three instances, each with '
               'its own weights</text>')
    return figure_svg.document(
        W, H, 'A model built from three copies of one block of three layers',
        out, 'A frame labelled model holds, from left to right, an input '
        'box, three orange blocks and an output box, joined by arrows. Each '
        'block holds the same stack of three layers. The line below reads: '
        'one block class, three instances, each with its own weights.',
        marker='a')


if __name__ == '__main__':
    figure_svg.write(HERE / 'model-construction-blocks.svg', blocks())
