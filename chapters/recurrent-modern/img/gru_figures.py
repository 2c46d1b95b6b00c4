"""Write the diagrams of Section 10.2 (gru) as SVG: run from this folder.

Same style and helpers as lstm_figures.py. The GRU cell is drawn in three
stages: the two gates, the candidate state, the final state.
"""
from lstm_figures import (BLUE, GREEN, ORANGE, GRAY, box, dot, label,
                          legend, node, path, svg, sym)

TOP, BUS, BOX = 60, 240, 185
R, Z, CAND = 130, 200, 290


def gru(stage):
    width, height = 460, 330
    body = [label(16, TOP + 4, sym('H', 't-1'), anchor='start'),
            path(f'M44,{TOP} L60,{TOP}', tip=False), dot(60, TOP),
            path(f'M60,{TOP} L60,{BUS} L220,{BUS}', tip=False),
            label(90, 300, sym('X', 't')),
            path(f'M90,286 L90,{BUS}', tip=False), dot(90, BUS)]
    for x, name in ((R, 'R'), (Z, 'Z')):
        body += [dot(x, BUS), path(f'M{x},{BUS} L{x},{BOX + 14}')]
        body += box(x, BOX, 'σ', BLUE)
    if stage == 1:
        body.append(path(f'M{Z},{BOX - 13} L{Z},{BOX - 55}'))
        body.append(label(Z, BOX - 62, sym('Z', 't')))
    if stage == 2:                               # Z_t is not used yet
        body.append(path(f'M{Z},{BOX - 13} L{Z},{BOX - 40}'))
        body.append(label(Z + 8, BOX - 32, sym('Z', 't'), anchor='start'))
    if stage == 1:
        body.append(path(f'M{R},{BOX - 13} L{R},{BOX - 55}'))
        body.append(label(R, BOX - 62, sym('R', 't')))
    else:                                        # candidate state
        body += node(R, 120, '×')
        body.append(path(f'M{R},{BOX - 13} L{R},129'))
        body.append(label(R - 8, 155, sym('R', 't'), anchor='end'))
        body += [dot(60, 120), path(f'M60,120 L{R - 9},120')]
        body.append(path(f'M{R + 9},120 L{CAND - 20},120 '
                         f'L{CAND - 20},{BOX - 14}'))
        body += [dot(90, 266), path(f'M90,266 L{CAND},266 L{CAND},{BOX + 14}')]
        body += box(CAND, BOX, 'tanh', GREEN, w=44)
        end = 350 if stage == 2 else 370
        body.append(path(f'M{CAND + 22},{BOX} L{end},{BOX}',
                         tip=stage == 2))
        body.append(label(CAND + 40, BOX - 8, sym('H', 't', '~')))
    if stage == 3:                               # final state
        body += node(Z, TOP, '×')
        body.append(path(f'M60,{TOP} L{Z - 9},{TOP}'))
        body.append(path(f'M{Z},{BOX - 13} L{Z},{TOP + 9}'))
        body.append(label(Z - 8, 100, sym('Z', 't'), anchor='end'))
        body += [dot(Z, 150), path(f'M{Z},150 L{240 - 9},150')]
        body += node(240, 150, '1-')
        body.append(path('M249,150 L361,150'))
        body += node(370, 150, '×')
        body.append(path(f'M370,{BOX} L370,159'))
        body.append(path('M370,141 L370,69'))
        body.append(path(f'M{Z + 9},{TOP} L361,{TOP}'))
        body += node(370, TOP, '+')
        body.append(path(f'M379,{TOP} L410,{TOP}'))
        body.append(label(414, TOP + 4, sym('H', 't'), anchor='start'))
    body += legend(318, [('box', BLUE, 'FC layer + σ'),
                         ('box', GREEN, 'FC layer + tanh'),
                         ('node', ORANGE, 'elementwise op'),
                         ('dot', GRAY, 'copy')])
    return width, height, body


def main():
    parts = {
        1: ('gru-gates.svg', 'The reset and update gates of a GRU',
            'The previous hidden state H_{t-1} and the input X_t feed two '
            'fully connected layers with sigmoid activation: the reset gate '
            'R_t and the update gate Z_t.'),
        2: ('gru-candidate.svg', 'The candidate hidden state of a GRU',
            'The previous hidden state is multiplied elementwise by the reset '
            'gate R_t; together with the input X_t it enters a fully '
            'connected layer with tanh, which gives the candidate H-tilde_t.'),
        3: ('gru-hidden.svg', 'The new hidden state of a GRU',
            'The update gate Z_t multiplies the previous hidden state, one '
            'minus Z_t multiplies the candidate H-tilde_t, and the sum of '
            'the two products is the new hidden state H_t.'),
    }
    for stage, (name, title, desc) in parts.items():
        width, height, body = gru(stage)
        svg(name, width, height, title, desc, body)


if __name__ == '__main__':
    main()
