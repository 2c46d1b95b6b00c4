"""Write the diagram of Section 11.7 (transformer) as SVG: run from this
folder. Helpers and style from queries_keys_values_figures.py.

One figure: the encoder stack (left) and the decoder stack (right), each
sublayer followed by its add & norm, residual paths drawn beside the
sublayers, and a small 5 x 5 grid next to every attention sublayer that
shows which keys (columns) each query (row) may attend to.
"""
from queries_keys_values_figures import (BLUE, GRAY, GREEN, INK, LIGHT,
                                         ORANGE, PURPLE, RED, box, label,
                                         path, svg)

STEP = 7                                  # side of one cell of a mask grid


def mask_grid(x, y, allowed):
    """A 5 x 5 grid with its top-left corner at (x, y); allowed(i, j) says
    whether query i may attend to key j (filled) or not (white)."""
    cells = []
    for i in range(5):
        for j in range(5):
            fill = PURPLE if allowed(i, j) else '#ffffff'
            cells.append(f'<rect x="{x + j * STEP}" y="{y + i * STEP}" '
                         f'width="{STEP}" height="{STEP}" fill="{fill}" '
                         f'stroke="{GRAY}" stroke-width="0.5"/>')
    return cells


def residual(x, y_from, y_to, side):
    """A skip path from below a sublayer to its add & norm, at column x."""
    inner = x + (12 if side == 'left' else -12)
    return path(f'M{inner},{y_from} L{x},{y_from} L{x},{y_to} '
                f'L{inner},{y_to}')


def model():
    width, height = 540, 520
    ex, dx, w = 120, 390, 130             # column centres, box width
    body = []
    # inputs and embeddings
    for x, text in ((ex, 'source tokens'), (dx, 'target tokens, shifted')):
        body.append(label(x, 505, text, size=11))
        body.append(path(f'M{x},492 L{x},473'))
        body += box(x, 460, 'embedding·√d + P', GREEN, w=w)
        body.append(path(f'M{x},447 L{x},{422}'))
    # the repeated blocks
    enc = [('self-attention', BLUE, 406), ('add &amp; norm', ORANGE, 366),
           ('FFN', RED, 316), ('add &amp; norm', ORANGE, 276)]
    dec = [('masked self-attention', BLUE, 406),
           ('add &amp; norm', ORANGE, 366),
           ('cross-attention', BLUE, 316), ('add &amp; norm', ORANGE, 276),
           ('FFN', RED, 226), ('add &amp; norm', ORANGE, 186)]
    for x, layers, top in ((ex, enc, 252), (dx, dec, 162)):
        body.append(f'<rect x="{x - 80}" y="{top}" width="160" '
                    f'height="{430 - top}" rx="8" fill="none" '
                    f'stroke="{GRAY}" stroke-dasharray="5 4"/>')
        body.append(label(x + 80, top - 5, '× n', anchor='end', size=11,
                          color=GRAY))
        for k, (text, color, y) in enumerate(layers):
            body += box(x, y, text, color, w=w, h=24)
            if k + 1 < len(layers):
                body.append(path(f'M{x},{y - 12} L{x},{layers[k + 1][2] + 12}'))
        side, col = ('left', x - 74) if x == ex else ('right', x + 74)
        for k in range(0, len(layers), 2):
            y_sub, y_norm = layers[k][2], layers[k + 1][2]
            body.append(residual(col, y_sub + 18, y_norm, side))
    # encoder output to every cross-attention
    body.append(path(f'M{ex},264 L{ex},238 L{(ex + dx) / 2},238 '
                     f'L{(ex + dx) / 2},316 L{dx - w / 2},316'))
    body.append(label((ex + dx) / 2 + 4, 230, 'keys, values', size=10,
                      color=INK))
    # decoder head
    body.append(path(f'M{dx},174 L{dx},142'))
    body += box(dx, 130, 'dense', PURPLE, w=w, h=24)
    body.append(path(f'M{dx},118 L{dx},98'))
    body.append(label(dx, 90, 'scores over the target vocabulary', size=11))
    # which keys each query may see
    valid = 3                              # source rows: 3 tokens, 2 pads
    body += mask_grid(ex + 86, 388, lambda i, j: j < valid)
    body += mask_grid(dx + 86, 388, lambda i, j: j <= i)
    body += mask_grid(dx + 86, 298, lambda i, j: j < valid)
    body.append(label(ex + 104, 436, 'queries × keys', size=9, color=GRAY))
    # legend
    body += box(34, 24, '', BLUE, w=24, h=14)
    body.append(label(52, 28, 'multi-head attention', anchor='start',
                      size=10))
    body += box(34, 46, '', RED, w=24, h=14)
    body.append(label(52, 50, 'positionwise FFN', anchor='start', size=10))
    body += mask_grid(200, 18, lambda i, j: (i + j) % 2 == 0)
    body.append(label(242, 36, 'filled cell: query (row) may attend to '
                      'key (column)', anchor='start', size=10))
    svg('transformer-model.svg', width, height, 'The Transformer',
        'Left: the encoder. Source tokens are embedded, scaled by the square '
        'root of d and added to positional encodings, then pass n blocks of '
        'self-attention and a positionwise feed-forward network, each '
        'followed by add and norm, with a residual path around each '
        'sublayer. Right: the decoder, whose n blocks have masked '
        'self-attention, cross-attention whose keys and values are the '
        'encoder outputs, and a feed-forward network, each followed by add '
        'and norm; a dense layer gives scores over the target vocabulary. '
        'Small 5 by 5 grids show the attention patterns: the encoder and '
        'the cross-attention let every query see the first three keys (two '
        'padding keys are excluded), the decoder self-attention is lower '
        'triangular.', body)


if __name__ == '__main__':
    model()
