"""Write the diagram of Section 10.3 (deep-rnn) as SVG: run from this folder.

Same style and helpers as lstm_figures.py: a grid of hidden states, time
steps to the right and layers upwards.
"""
from lstm_figures import (BLUE, GREEN, ORANGE, GRAY, box, label, path, svg,
                          sym)


def grid():
    width, height = 440, 330
    xs = [90, 170, 250, 370]                       # steps 1, 2, 3, T
    steps = ['1', '2', '3', 'T']
    rows = [(290, 'X', ''), (225, 'H', '(1)'), (160, 'H', '(2)'),
            (85, 'H', '(L)'), (25, 'O', '')]
    body = []
    for y, name, layer in rows:
        for x, t in zip(xs, steps):
            color = {'X': GREEN, 'H': BLUE, 'O': ORANGE}[name]
            sub = t + (f'<tspan baseline-shift="super" font-size="8">'
                       f'{layer}</tspan>' if layer else '')
            body += box(x, y, sym(name, sub), color, w=50, h=26)
    for x in xs:                                   # upward arrows
        body.append(path(f'M{x},277 L{x},239'))
        body.append(path(f'M{x},212 L{x},174'))
        body.append(path(f'M{x},147 L{x},130', tip=False, dash=True))
        body.append(label(x, 122, '⋮'))
        body.append(path(f'M{x},{110} L{x},99'))
        body.append(path(f'M{x},72 L{x},39'))
    for y in (225, 160, 85):                       # rightward arrows
        for a, b in zip(xs[:2], xs[1:3]):
            body.append(path(f'M{a + 25},{y} L{b - 25},{y}'))
        body.append(path(f'M{xs[2] + 25},{y} L{xs[2] + 45},{y}'))
        body.append(label(310, y + 4, '⋯'))
        body.append(path(f'M{xs[3] - 45},{y} L{xs[3] - 25},{y}'))
    body.append(label(20, 229, 'layer 1', anchor='start', size=10))
    body.append(label(20, 164, 'layer 2', anchor='start', size=10))
    body.append(label(20, 89, 'layer L', anchor='start', size=10))
    body.append(label(20, 294, 'input', anchor='start', size=10))
    body.append(label(20, 29, 'output', anchor='start', size=10))
    body.append(label(420, 318, 'time →', anchor='end', size=11))
    svg('deep-rnn-grid.svg', width, height, 'A deep recurrent network',
        'A grid of hidden states with time steps 1, 2, 3 to T from left to '
        'right and layers 1 to L from bottom to top. Inputs X_t sit below '
        'layer 1, outputs O_t above layer L. Each hidden state sends one '
        'arrow to the right (same layer, next step) and one upwards (next '
        'layer, same step).', body)


if __name__ == '__main__':
    grid()
