"""Write the SVG diagrams of the multilayer-perceptrons chapter.

Usage: python make_diagrams.py   (from any folder; writes beside this file)

The frame (<title>, <desc>, arrow head, background, font) and the tab10
colours come from the book's shared tools/figure_svg.py.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, ORANGE, RED  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def svg(width, height, body, title, desc):
    """An SVG document; screen readers announce `title` and `desc`."""
    return figure_svg.document(width, height, title, body, desc,
                               font_size=14, marker='arr',
                               marker_color='#333')


def line(x1, y1, x2, y2, color='#555', width=1.0, arrow=False, dash=None):
    extra = ' marker-end="url(#arr)"' if arrow else ''
    if dash:
        extra += f' stroke-dasharray="{dash}"'
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{color}" stroke-width="{width}"{extra}/>')


def text(x, y, s, size=14, anchor='middle', style='', color='#222'):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
            f'text-anchor="{anchor}" dominant-baseline="central" '
            f'fill="{color}" {style}>{s}</text>')


def sub(name, index, bold=False):
    """A symbol with a subscript, e.g. x_1, as SVG text content."""
    weight = ' font-weight="bold"' if bold else ''
    return (f'<tspan font-style="italic"{weight}>{name}</tspan>'
            f'<tspan font-size="10" dy="4">{index}</tspan>')


def sup(name, index, bold=True, italic=False):
    """A symbol with a superscript, e.g. W^(1)."""
    style = ' font-weight="bold"' if bold else ''
    style += ' font-style="italic"' if italic else ''
    return (f'<tspan{style}>{name}</tspan>'
            f'<tspan font-size="10" dy="-6">{index}</tspan>')


# ---------------------------------------------------------------- MLP
def layer_x(n, width, spacing):
    left = (width - (n - 1) * spacing) / 2
    return [left + i * spacing for i in range(n)]


def mlp_body(x0, width, dropped=(), title=None, r=15, spacing=52):
    """Inputs at the bottom, hidden units in the middle, outputs on top."""
    rows = [('x', 4, 250, BLUE), ('h', 5, 150, ORANGE), ('o', 3, 50, GREEN)]
    pos = {name: [(x0 + x, y) for x in layer_x(n, width, spacing)]
           for name, n, y, _ in rows}
    body = []
    for lower, upper in (('x', 'h'), ('h', 'o')):
        for i, (xa, ya) in enumerate(pos[lower]):
            for j, (xb, yb) in enumerate(pos[upper]):
                if (lower == 'h' and i + 1 in dropped) or (
                        upper == 'h' and j + 1 in dropped):
                    continue
                body.append(line(xa, ya - r, xb, yb + r, color='#999'))
    for name, n, _, color in rows:
        for k, (x, y) in enumerate(pos[name], start=1):
            gone = name == 'h' and k in dropped
            fill = '#eeeeee' if gone else 'white'
            stroke = GRAY if gone else color
            body.append(f'<circle cx="{x:.1f}" cy="{y}" r="{r}" fill="{fill}"'
                        f' stroke="{stroke}" stroke-width="2"/>')
            body.append(text(x, y, sub(name, k), color=(
                GRAY if gone else '#222')))
            if gone:  # a small cross beside the unit, clear of its label
                cx, cy, d = x + r + 1, y - r - 1, 4.5
                body.append(line(cx - d, cy - d, cx + d, cy + d, RED, 2.2))
                body.append(line(cx - d, cy + d, cx + d, cy - d, RED, 2.2))
    if title:
        body.append(text(x0 + width / 2, 290, title, size=13))
    return body


def mlp_svg():
    body = mlp_body(90, 300)
    for label, y in (('output layer', 50), ('hidden layer', 150),
                     ('input layer', 250)):
        body.append(text(12, y, label, size=12, anchor='start',
                         color=GRAY))
    return svg(400, 280, body, 'An MLP with one hidden layer',
               'Four inputs at the bottom, five hidden units in the middle '
               'and three outputs on top. Every input reaches every hidden '
               'unit and every hidden unit reaches every output, so the two '
               'weight matrices have 4 x 5 and 5 x 3 entries.')


def dropout_svg():
    body = mlp_body(0, 230, title='without dropout', spacing=44)
    body += mlp_body(230, 230, dropped=(2, 5), title='after dropout',
                     spacing=44)
    body.append(line(230, 20, 230, 280, color='#ccc', dash='4 4'))
    return svg(460, 305, body, 'The MLP before and after dropout',
               'Left, the full network; right, the same network in one '
               'training iteration in which hidden units h2 and h5 are '
               'dropped. Their edges are gone, so the outputs do not depend '
               'on them and they receive no gradient.')


# ----------------------------------------------------- computational graph
def var(x, y, label, color=BLUE, w=34):
    return [f'<rect x="{x - w / 2}" y="{y - 15}" width="{w}" height="30"'
            f' rx="3" fill="white" stroke="{color}" stroke-width="2"/>',
            text(x, y, label)]


def op(x, y, label):
    return [f'<circle cx="{x}" cy="{y}" r="14" fill="#fff4e6" '
            f'stroke="{ORANGE}" stroke-width="2"/>', text(x, y, label)]


def arrow(a, b, shrink_a=18, shrink_b=19):
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    n = (dx * dx + dy * dy) ** 0.5
    return line(x1 + dx / n * shrink_a, y1 + dy / n * shrink_a,
                x2 - dx / n * shrink_b, y2 - dy / n * shrink_b,
                color='#333', width=1.3, arrow=True)


def graph_svg():
    bold = '<tspan font-weight="bold">{}</tspan>'
    ital = '<tspan font-style="italic">{}</tspan>'
    P = {'x': (25, 210), 'm1': (75, 210), 'z': (125, 210), 'phi': (175, 210),
         'h': (225, 210), 'm2': (275, 210), 'o': (325, 210), 'l': (375, 210),
         'L': (425, 210), 'W1': (75, 130), 'W2': (275, 130), 'y': (375, 130),
         'reg': (175, 50), 's': (325, 50), 'plus': (425, 130),
         'J': (425, 50)}
    body = []
    edges = [('x', 'm1'), ('W1', 'm1'), ('m1', 'z'), ('z', 'phi'),
             ('phi', 'h'), ('h', 'm2'), ('W2', 'm2'), ('m2', 'o'),
             ('o', 'l'), ('y', 'l'), ('l', 'L'), ('W1', 'reg'),
             ('W2', 'reg'), ('reg', 's'), ('s', 'plus'), ('L', 'plus'),
             ('plus', 'J')]
    for a, b in edges:
        body.append(arrow(P[a], P[b]))
    body += var(*P['x'], bold.format('x'))
    body += var(*P['z'], bold.format('z'))
    body += var(*P['h'], bold.format('h'))
    body += var(*P['o'], bold.format('o'))
    body += var(*P['y'], ital.format('y'))
    body += var(*P['L'], ital.format('L'))
    body += var(*P['s'], ital.format('s'))
    body += var(*P['J'], ital.format('J'), color=RED)
    body += var(*P['W1'], sup('W', '(1)'), color=GREEN, w=46)
    body += var(*P['W2'], sup('W', '(2)'), color=GREEN, w=46)
    body += op(*P['m1'], '×')
    body += op(*P['m2'], '×')
    body += op(*P['phi'], ital.format('φ'))
    body += op(*P['l'], ital.format('l'))
    body += op(*P['reg'], 'ℓ<tspan font-size="10" dy="4">2</tspan>')
    body += op(*P['plus'], '+')
    return svg(450, 240, body, 'Computational graph of the forward pass',
               'Data flow left to right along the bottom row: x, times '
               'W(1), z, the activation phi, h, times W(2), o, the loss l '
               'with the label y, and L. The weights W(1) and W(2) also feed '
               'the l2 regularizer s, and L plus s gives the objective J, so '
               'the gradient reaching each weight matrix has two parts.')


if __name__ == '__main__':
    for name, make in (('mlp', mlp_svg), ('dropout', dropout_svg),
                       ('backprop-graph', graph_svg)):
        figure_svg.write(HERE / f'{name}.svg', make())
