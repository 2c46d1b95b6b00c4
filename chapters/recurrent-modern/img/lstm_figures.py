"""Write the diagrams of Section 10.1 (lstm) as SVG: run from this folder.

Style of the book: about 440 px wide, sans-serif, matplotlib's tab10
colours, each file with a <title> and a <desc>. The drawing helpers here
are reused by gru_figures.py, deep_rnn_figures.py and bi_rnn_figures.py.
The LSTM cell is drawn in four stages, each adding one part.
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


def sym(name, sub='', mark=''):
    """A symbol such as H with subscript t-1; mark='~' puts a tilde on it."""
    if mark == '~':
        name += '\u0303'                       # combining tilde
    low = (f'<tspan baseline-shift="sub" font-size="9">{sub}</tspan>'
           if sub else '')
    return f'<tspan font-weight="bold">{name}</tspan>{low}'


def label(x, y, s, anchor='middle', size=12, color=INK):
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}">{s}</text>')


def box(cx, cy, s, color=BLUE, w=44, h=26):
    return [f'<rect x="{cx - w / 2:g}" y="{cy - h / 2:g}" width="{w:g}" '
            f'height="{h:g}" rx="4" fill="{LIGHT[color]}" stroke="{color}"/>',
            label(cx, cy + 4, s)]


def node(cx, cy, s, color=ORANGE, r=9):
    """An elementwise operator: a small circle with its symbol."""
    return [f'<circle cx="{cx:g}" cy="{cy:g}" r="{r}" fill="{LIGHT[color]}" '
            f'stroke="{color}"/>', label(cx, cy + 4, s, size=11)]


def path(d, tip=True, color=GRAY, dash=False):
    end = ' marker-end="url(#tip)"' if tip else ''
    dashed = ' stroke-dasharray="4 3"' if dash else ''
    return (f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.5"'
            f'{dashed}{end}/>')


def dot(x, y):
    """A copy point where a line splits."""
    return f'<circle cx="{x:g}" cy="{y:g}" r="2.5" fill="{GRAY}"/>'


def legend(y, items):
    """items: ('box', colour, text) or ('node', colour, text) or ('dot', ...)."""
    body, x = [], 20
    for kind, color, text in items:
        if kind == 'box':
            body += box(x + 14, y, '', color, w=28, h=16)
        elif kind == 'node':
            body += node(x + 14, y, '', color, r=7)
        else:
            body.append(dot(x + 14, y))
        body.append(label(x + 34, y + 4, text, anchor='start', size=11))
        x += 30 + 6 * len(text) + 8
    return body


# LSTM layout: inputs enter on the left and feed a vertical bus at x=BUS;
# the four layers are rows (forget, input node, input gate, output gate);
# the cell state runs straight down the column x=CELL, with both outputs
# leaving at the bottom and the legend in a column on the right.
BUS, BOX, CELL, MIX = 80, 150, 300, 240
ROWS = {'F': 70, 'C': 125, 'I': 175, 'O': 240}


def lstm_inputs():
    top, bottom = ROWS['F'], ROWS['O']
    return [label(16, 114, sym('H', 't-1'), anchor='start'),
            path(f'M46,110 L{BUS},110', tip=False), dot(BUS, 110),
            label(16, 204, sym('X', 't'), anchor='start'),
            path(f'M36,200 L{BUS},200', tip=False), dot(BUS, 200),
            path(f'M{BUS},{top} L{BUS},{bottom}', tip=False)]


def lstm_layer(key, act, color):
    y = ROWS[key]
    return [dot(BUS, y), path(f'M{BUS},{y} L{BOX - 23},{y}')] + \
        box(BOX, y, act, color)


def side_legend(x, y, items):
    """The legend as a column: one (kind, colour, text) item per line."""
    body = []
    for kind, color, text in items:
        if kind == 'box':
            body += box(x + 14, y, '', color, w=28, h=16)
        elif kind == 'node':
            body += node(x + 14, y, '', color, r=7)
        else:
            body.append(dot(x + 14, y))
        body.append(label(x + 34, y + 4, text, anchor='start', size=11))
        y += 24
    return body


def lstm(stage):
    width, height = 470, 320
    body = lstm_inputs()
    for key in 'FIO':
        body += lstm_layer(key, 'σ', BLUE)
    if stage >= 2:
        body += lstm_layer('C', 'tanh', GREEN)
    names = {'F': sym('F', 't'), 'I': sym('I', 't'), 'O': sym('O', 't'),
             'C': sym('C', 't', '~')}
    right = BOX + 22
    if stage <= 2:                      # layer outputs end in labelled arrows
        for key in ('FCIO' if stage == 2 else 'FIO'):
            y = ROWS[key]
            body.append(path(f'M{right},{y} L{right + 46},{y}'))
            body.append(label(right + 52, y + 4, names[key], anchor='start'))
    else:                               # the cell column and its operators
        f, c, i, o = (ROWS[k] for k in 'FCIO')
        body.append(label(CELL, 22, sym('C', 't-1')))
        body.append(path(f'M{CELL},30 L{CELL},{f - 9}'))
        body += node(CELL, f, '×')
        body.append(path(f'M{right},{f} L{CELL - 9},{f}'))
        body.append(label(right + 30, f - 6, names['F']))
        body += node(MIX, 150, '×')
        body.append(path(f'M{right},{c} L{MIX},{c} L{MIX},141'))
        body.append(path(f'M{right},{i} L{MIX},{i} L{MIX},159'))
        body.append(label(right + 30, c - 6, names['C']))
        body.append(label(right + 30, i - 6, names['I']))
        body.append(path(f'M{CELL},{f + 9} L{CELL},141'))
        body += node(CELL, 150, '+')
        body.append(path(f'M{MIX + 9},150 L{CELL - 9},150'))
        body.append(path(f'M{CELL},159 L{CELL},285'))
        body.append(label(CELL, 302, sym('C', 't')))
        if stage == 4:
            body.append(dot(CELL, 205))
            body.append(path(f'M{CELL},205 L{MIX + 21},205'))
            body += box(MIX, 205, 'tanh', GREEN, w=40, h=22)
            body.append(path(f'M{MIX},216 L{MIX},{o - 9}'))
            body += node(MIX, o, '×')
            body.append(path(f'M{right},{o} L{MIX - 9},{o}'))
            body.append(label(right + 30, o - 6, names['O']))
            body.append(path(f'M{MIX},{o + 9} L{MIX},285'))
            body.append(label(MIX, 302, sym('H', 't')))
    body += side_legend(340, 200, [('box', BLUE, 'FC layer + σ'),
                                   ('box', GREEN, 'FC layer + tanh'),
                                   ('node', ORANGE, 'elementwise op'),
                                   ('dot', GRAY, 'copy')])
    return width, height, body


def main():
    parts = {
        1: ('lstm-gates.svg', 'The three gates of an LSTM cell',
            'The previous hidden state H_{t-1} and the input X_t are '
            'concatenated and fed to three fully connected layers with '
            'sigmoid activation, giving the forget gate F_t, the input gate '
            'I_t and the output gate O_t.'),
        2: ('lstm-input-node.svg', 'The input node of an LSTM cell',
            'Next to the three sigmoid gates a fourth fully connected layer '
            'with tanh activation computes the input node, the proposed new '
            'content C-tilde_t.'),
        3: ('lstm-cell.svg', 'The memory cell update of an LSTM',
            'The previous cell state C_{t-1} is multiplied elementwise by the '
            'forget gate F_t; the input gate I_t times the input node '
            'C-tilde_t is added, giving the new cell state C_t.'),
        4: ('lstm-full.svg', 'The complete LSTM cell',
            'The full cell: the cell state runs straight down its own '
            'column and meets only a product with the forget gate and a sum; tanh of the new cell '
            'state times the output gate O_t gives the hidden state H_t.'),
    }
    for stage, (name, title, desc) in parts.items():
        width, height, body = lstm(stage)
        svg(name, width, height, title, desc, body)


if __name__ == '__main__':
    main()
