"""Write the diagram of Section 10.4 (bi-rnn) as SVG: run from this folder.

Same style and helpers as lstm_figures.py: a forward and a backward hidden
layer over the same inputs, both feeding every output.
"""
from lstm_figures import (BLUE, GREEN, ORANGE, PURPLE, box, label, path,
                          svg, sym)


def layers():
    width, height = 440, 300
    xs = [110, 200, 290, 380]
    steps = ['1', '2', '3', 'T']
    body = []
    for x, t in zip(xs, steps):
        body += box(x, 265, sym('X', t), GREEN, w=48, h=26)
        body += box(x, 185, sym('H', t).replace('H</tspan>', '→H</tspan>'),
                    BLUE, w=56, h=26)
        body += box(x, 105, sym('H', t).replace('H</tspan>', '←H</tspan>'),
                    PURPLE, w=56, h=26)
        body += box(x, 25, sym('O', t), ORANGE, w=48, h=26)
        body.append(path(f'M{x - 12},252 L{x - 12},199'))
        body.append(path(f'M{x + 18},252 L{x + 18},232 L{x + 36},232 '
                         f'L{x + 36},135 L{x + 18},135 L{x + 18},119'))
        body.append(path(f'M{x - 18},172 L{x - 18},150 L{x - 36},150 '
                         f'L{x - 36},55 L{x - 18},55 L{x - 18},39'))
        body.append(path(f'M{x + 8},92 L{x + 8},39'))
    for a, b in zip(xs[:-1], xs[1:]):
        body.append(path(f'M{a + 28},180 L{b - 28},180'))          # forward
        body.append(path(f'M{b - 28},100 L{a + 28},100'))          # backward
    body.append(label(16, 189, 'forward', anchor='start', size=10))
    body.append(label(16, 109, 'backward', anchor='start', size=10))
    body.append(label(16, 269, 'input', anchor='start', size=10))
    body.append(label(16, 29, 'output', anchor='start', size=10))
    svg('bi-rnn-layers.svg', width, height, 'A bidirectional RNN',
        'Inputs X_1 to X_T at the bottom feed two hidden layers: the '
        'forward layer passes its state from left to right, the backward '
        'layer from right to left. Each output O_t receives the forward '
        'and the backward state of its step.', body)


if __name__ == '__main__':
    layers()
