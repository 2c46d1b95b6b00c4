"""Write the diagram of Section 11.1 (queries-keys-values) as SVG: run from
this folder.

Style of the book: about 440 px wide, sans-serif, matplotlib's tab10
colours, each file with a <title> and a <desc>. The helpers are reused by
attention_scoring_functions_figures.py.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE, RED)  # noqa: E402

LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         RED: '#f6d3d3', PURPLE: '#e6dcef', GRAY: '#eeeeee'}
HERE = pathlib.Path(__file__).resolve().parent


def svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def sym(name, sub='', bold=True):
    """A symbol such as k with subscript 2 (bold for vectors)."""
    low = (f'<tspan baseline-shift="sub" font-size="9">{sub}</tspan>'
           if sub else '')
    weight = ' font-weight="bold"' if bold else ' font-style="italic"'
    return f'<tspan{weight}>{name}</tspan>{low}'


def label(x, y, s, anchor='middle', size=12, color=INK):
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}">{s}</text>')


def box(cx, cy, s, color=BLUE, w=44, h=26, dash=False):
    dashed = ' stroke-dasharray="4 3"' if dash else ''
    return [f'<rect x="{cx - w / 2:g}" y="{cy - h / 2:g}" width="{w:g}" '
            f'height="{h:g}" rx="4" fill="{LIGHT[color]}" stroke="{color}"'
            f'{dashed}/>', label(cx, cy + 4, s)]


def node(cx, cy, s, color=ORANGE, r=10):
    """An operation: a small circle with its symbol."""
    return [f'<circle cx="{cx:g}" cy="{cy:g}" r="{r}" fill="{LIGHT[color]}" '
            f'stroke="{color}"/>', label(cx, cy + 4, s, size=11)]


def path(d, tip=True, color=GRAY, dash=False):
    end = ' marker-end="url(#tip)"' if tip else ''
    dashed = ' stroke-dasharray="4 3"' if dash else ''
    return (f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.5"'
            f'{dashed}{end}/>')


def pooling():
    """One query against m keys; the weights mix the values into one vector."""
    width, height = 460, 270
    rows = [('1', 50), ('2', 100), ('m', 180)]
    qx, qy, kx, wx, mx, vx, sx = 40, 115, 130, 205, 300, 380, 300
    body = box(qx, qy, sym('q'), RED, w=34)
    body.append(label(qx, qy + 30, 'query', size=10))
    for sub, y in rows:
        body.append(path(f'M{qx + 17},{qy} L{kx - 22},{y}'))
        body += box(kx, y, sym('k', sub), BLUE)
        body.append(path(f'M{kx + 22},{y} L{wx - 11},{y}'))
        body += node(wx, y, 'α', PURPLE)
        body.append(path(f'M{wx + 10},{y} L{mx - 11},{y}'))
        body.append(label((wx + mx) / 2, y - 6,
                          f'α(<tspan font-weight="bold">q</tspan>, '
                          f'<tspan font-weight="bold">k</tspan>'
                          f'<tspan baseline-shift="sub" font-size="8">'
                          f'{sub}</tspan>)', size=10))
        body += node(mx, y, '×', ORANGE)
        body += box(vx, y, sym('v', sub), GREEN)
        body.append(path(f'M{vx - 22},{y} L{mx + 11},{y}'))
    for x in (kx, wx, mx, vx):
        body.append(label(x, 145, '⋮'))
    body.append(path(f'M{mx},61 L{mx},89', tip=False, dash=True))
    body.append(path(f'M{mx},111 L{mx},130', tip=False, dash=True))
    body.append(path(f'M{mx},150 L{mx},169', tip=False, dash=True))
    body.append(path(f'M{mx},191 L{sx},224'))
    body += node(sx, 235, 'Σ', ORANGE)
    body.append(path(f'M{sx + 10},235 L{vx - 4},235'))
    body.append(label(vx + 2, 239, 'output', anchor='start'))
    body.append(label(kx, 22, 'keys', size=10))
    body.append(label(wx, 22, 'weights', size=10))
    body.append(label(vx, 22, 'values', size=10))
    svg('queries-keys-values-pooling.svg', width, height,
        'Attention pooling',
        'A query q is compared with each key k_1 to k_m; each comparison '
        'gives a weight alpha(q, k_i). The weights multiply the values v_1 '
        'to v_m, and the products are summed into one output vector.', body)


if __name__ == '__main__':
    pooling()
