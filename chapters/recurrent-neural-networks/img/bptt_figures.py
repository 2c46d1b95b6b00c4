"""Write the diagrams of Section 9.7 (bptt) as SVG (run from this folder).

Style: about 450 px wide, sans-serif, matplotlib's tab10 colours, like the
other chapters' figure scripts. Output: bptt-truncation.svg, bptt-graph.svg.
"""
import pathlib
import random
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE, RED)  # noqa: E402

PARAM = '#c7d9ec'     # shaded boxes: parameters


def svg(width, height, title, desc, body, font_size=13):
    return figure_svg.document(width, height, title, body, desc,
                               font_size=font_size, marker='a')


text, rect = figure_svg.text, figure_svg.rect


def arrow(x1, y1, x2, y2, color=GRAY):
    return figure_svg.arrow(x1, y1, x2, y2, color, marker='a')


def sym(letter, sub, bold=True):
    """A symbol with a subscript, e.g. bold h with subscript 2."""
    weight = ' font-weight="bold"' if bold else ' font-style="italic"'
    return (f'<tspan{weight}>{letter}</tspan><tspan dy="4" '
            f'font-size="10">{sub}</tspan>')


def truncation():
    """Three ways to cut the chain of dependencies over the first letters."""
    chars = list('the time machine by h g')
    cell, x0 = 16, 112
    rows = [('randomized', [3, 8, 2, 6, 4]),
            ('regular', [6, 6, 6, 5]),
            ('full', [23])]
    colors = [BLUE, ORANGE]
    body = []
    for r, (name, lengths) in enumerate(rows):
        y = 22 + r * 62
        body.append(text(x0 - 10, y + 24, name, anchor='end'))
        start = 0
        for s, n in enumerate(lengths):
            color = colors[s % 2]
            x = x0 + start * cell
            body.append(rect(x + 1, y + 32, n * cell - 2, 8, fill=color,
                             stroke='none', fill_opacity='0.8', rx='3'))
            for i in range(start + 1, start + n):    # links inside a segment
                xi = x0 + i * cell
                body.append(f'<path d="M{xi - cell / 2 + 3:g},{y + 2:g} '
                            f'q{cell / 2 - 3:g},-9 {cell - 6:g},0" '
                            f'fill="none" stroke="{color}" '
                            'stroke-width="1.2"/>')
            start += n
        for i, c in enumerate(chars):
            x = x0 + i * cell
            body.append(rect(x, y + 8, cell, 20, fill='#f7f7f7',
                             stroke='#bbbbbb'))
            body.append(text(x + cell / 2, y + 23, '&#183;' if c == ' ' else c,
                             font_family='monospace'))
    desc = ('Three rows over the first 23 characters of The Time Machine. '
            'Arcs link each character to the one before it as long as the '
            'gradient still flows; coloured bars mark the segments. Top: '
            'randomized truncation, segments of 3, 8, 2, 6 and 4 characters. '
            'Middle: regular truncation, segments of 6 characters. Bottom: '
            'full backpropagation through time, one unbroken chain.')
    return svg(x0 + len(chars) * cell + 10, 206,
               'Randomized, regular and no truncation of BPTT', desc, body)


def graph():
    """Computational graph of a 3-step linear RNN with its parameters."""
    cols = [175, 285, 395]
    bw, bh = 38, 24
    y_L, y_l, y_o, y_opo, y_h, y_oph, y_x = 22, 66, 112, 150, 188, 230, 278
    body = []

    def box(cx, cy, label, fill='#ffffff'):
        body.append(rect(cx - bw / 2, cy - bh / 2, bw, bh, fill=fill,
                         rx='3'))
        body.append(text(cx, cy + 4, label))

    def op(cx, cy):
        body.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="9" fill="#ffffff" '
                    f'stroke="{INK}"/>')
        body.append(text(cx, cy + 4, '&#215;', font_size='11'))

    # parameter buses first, so that the operators are drawn on top
    for label, y, color in [(sym('W', 'qh'), y_opo, PURPLE),
                            (sym('W', 'hh'), y_oph - 13, GREEN),
                            (sym('W', 'hx'), y_oph + 13, BLUE)]:
        body.append(f'<line x1="78" y1="{y:g}" x2="{cols[-1]:g}" y2="{y:g}" '
                    f'stroke="{color}" stroke-width="1.3" '
                    'stroke-dasharray="4,3"/>')
        body.append(rect(22, y - 10, 56, 20, fill=PARAM, stroke=color,
                         rx='3'))
        body.append(text(50, y + 4, label))
    box(285, y_L, '<tspan font-style="italic">L</tspan>')
    for t, cx in enumerate(cols, start=1):
        box(cx, y_x, sym('x', t))
        for dy, color in [(-13, GREEN), (13, BLUE)]:   # bus -> operator
            body.append(f'<line x1="{cx:g}" y1="{y_oph + dy:g}" x2="{cx:g}" '
                        f'y2="{y_oph:g}" stroke="{color}" '
                        'stroke-width="1.3" stroke-dasharray="4,3"/>')
        op(cx, y_oph)
        box(cx, y_h, sym('h', t))
        op(cx, y_opo)
        box(cx, y_o, sym('o', t))
        box(cx, y_l, sym('l', t, bold=False))
        box(cx + 44, y_l + 30, sym('y', t, bold=False))
        body.append(arrow(cx, y_x - bh / 2, cx, y_oph + 9))
        body.append(arrow(cx, y_oph - 9, cx, y_h + bh / 2))
        body.append(arrow(cx, y_h - bh / 2, cx, y_opo + 9))
        body.append(arrow(cx, y_opo - 9, cx, y_o + bh / 2))
        body.append(arrow(cx, y_o - bh / 2, cx, y_l + bh / 2))
        body.append(arrow(cx + 44, y_l + 30 - bh / 2, cx + bw / 2,
                          y_l + 4))
        side = (cx > 285) - (cx < 285)                 # -1, 0, 1
        body.append(arrow(cx, y_l - bh / 2, 285 + side * bw / 2,
                          y_L + bh / 2 - (3 if side else 0)))
        if t < len(cols):
            body.append(arrow(cx + bw / 2, y_h + 6, cols[t] - 8, y_oph - 6,
                              color=RED))
    desc = ('Computational graph of a linear RNN unrolled over three steps. '
            'From bottom to top: inputs x1, x2, x3; multiplication operators '
            'that combine each input with the previous hidden state through '
            'the shared parameters W_hx and W_hh; hidden states h1, h2, h3; '
            'operators applying the shared W_qh; outputs o1, o2, o3; losses '
            'l1, l2, l3, each also fed by its label y_t; and the objective L '
            'at the top. Red arrows carry each hidden state to the next '
            'step. Each parameter is one shaded box whose dashed line reaches '
            'all three operators that use it.')
    return svg(480, 300, 'Computational graph of a three-step RNN', desc,
               body)


if __name__ == '__main__':
    random.seed(0)
    for name, make in [('bptt-truncation.svg', truncation),
                       ('bptt-graph.svg', graph)]:
        with open(name, 'w', encoding='utf-8') as f:
            f.write(make())
