"""Write the diagrams of Section 10.1 (lstm) as SVG: run from this folder.

Style of the book: about 440 px wide, sans-serif, matplotlib's tab10
colours, each file with a <title> and a <desc>. The drawing helpers here
are reused by gru_figures.py, deep_rnn_figures.py and bi_rnn_figures.py.
The LSTM cell is drawn in four stages, each adding one part.
"""
import pathlib

BLUE, ORANGE, GREEN, RED, PURPLE = ('#1f77b4', '#ff7f0e', '#2ca02c',
                                    '#d62728', '#9467bd')
GRAY, INK = '#7f7f7f', '#333333'
LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         RED: '#f6d3d3', PURPLE: '#e6dcef', GRAY: '#eeeeee'}
HERE = pathlib.Path(__file__).resolve().parent


def svg(name, width, height, title, desc, body):
    text = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            'font-family="sans-serif" font-size="12">\n'
            f'  <title>{title}</title>\n  <desc>{desc}</desc>\n'
            '  <defs><marker id="tip" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="6" markerHeight="6" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{GRAY}"/></marker></defs>\n'
            f'  <rect width="{width}" height="{height}" fill="#ffffff"/>\n'
            + '\n'.join('  ' + line for line in body) + '\n</svg>\n')
    (HERE / name).write_text(text)


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


# LSTM layout: inputs bus at y=240, layer boxes at y=185, cell line at y=60.
BUS, BOX, CELL = 240, 185, 60
GATES = {'F': 130, 'I': 190, 'C': 250, 'O': 310}


def lstm_inputs():
    body = [label(16, BUS + 4, sym('H', 't-1'), anchor='start'),
            path(f'M44,{BUS} L330,{BUS}', tip=False),
            label(86, 292, sym('X', 't')),
            path(f'M86,278 L86,{BUS}', tip=False), dot(86, BUS)]
    return body


def lstm_layer(key, act, color):
    x = GATES[key]
    return [dot(x, BUS), path(f'M{x},{BUS} L{x},{BOX + 14}')] + \
        box(x, BOX, act, color)


def lstm(stage):
    width, height = 460, 330
    body = lstm_inputs()
    for key in 'FIO':
        body += lstm_layer(key, 'σ', BLUE)
    if stage >= 2:
        body += lstm_layer('C', 'tanh', GREEN)
    names = {'F': sym('F', 't'), 'I': sym('I', 't'), 'O': sym('O', 't'),
             'C': sym('C', 't', '~')}
    if stage <= 2:                      # gate outputs end in labelled arrows
        for key in ('FIOC' if stage == 2 else 'FIO'):
            x = GATES[key]
            body.append(path(f'M{x},{BOX - 13} L{x},{BOX - 55}'))
            body.append(label(x, BOX - 62, names[key]))
    else:                               # the cell line and its operators
        f, i, c, o = (GATES[k] for k in 'FICO')
        body.append(label(16, CELL + 4, sym('C', 't-1'), anchor='start'))
        body.append(path(f'M44,{CELL} L{f - 9},{CELL}'))
        body += node(f, CELL, '×')
        body.append(path(f'M{f},{BOX - 13} L{f},{CELL + 9}'))
        body.append(label(f - 8, 130, names['F'], anchor='end'))
        body += node(220, 115, '×')
        body.append(path(f'M{i},{BOX - 13} L{i},115 L211,115'))
        body.append(path(f'M{c},{BOX - 13} L{c},115 L229,115'))
        body.append(label(i - 8, 150, names['I'], anchor='end'))
        body.append(label(c + 8, 150, names['C'], anchor='start'))
        body.append(path(f'M{f + 9},{CELL} L211,{CELL}'))
        body += node(220, CELL, '+')
        body.append(path(f'M220,106 L220,{CELL + 9}'))
        end = 360 if stage == 3 else 392
        body.append(path(f'M229,{CELL} L{end},{CELL}'))
        body.append(label(end + 6 if stage == 3 else 396, CELL + 4,
                          sym('C', 't'), anchor='start'))
        if stage == 4:
            body.append(dot(360, CELL))
            body.append(path(f'M360,{CELL} L360,{CELL + 23}'))
            body += box(360, 96, 'tanh', GREEN, w=40, h=22)
            body.append(path('M360,107 L360,141'))
            body += node(360, 150, '×')
            body.append(path(f'M{o},{BOX - 13} L{o},150 L351,150'))
            body.append(label(o - 8, 145, names['O'], anchor='end'))
            body.append(path('M369,150 L392,150'))
            body.append(label(396, 154, sym('H', 't'), anchor='start'))
    body += legend(315, [('box', BLUE, 'FC layer + σ'),
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
            'The full cell: the cell state line along the top meets only a '
            'product with the forget gate and a sum; tanh of the new cell '
            'state times the output gate O_t gives the hidden state H_t.'),
    }
    for stage, (name, title, desc) in parts.items():
        width, height, body = lstm(stage)
        svg(name, width, height, title, desc, body)


if __name__ == '__main__':
    main()
