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

STEP = 8                                  # side of one cell of a mask grid
FONT = 13                                 # text size of boxes and labels


def tbox(cx, cy, s, color, w=164, h=28):
    """A sublayer box with its name in the figure's larger text."""
    rect, _ = box(cx, cy, s, color, w=w, h=h)
    return [rect, label(cx, cy + 4.5, s, size=FONT)]


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
    inner = x + (10 if side == 'left' else -10)
    return path(f'M{inner},{y_from} L{x},{y_from} L{x},{y_to} '
                f'L{inner},{y_to}')


def model():
    width, height = 500, 530
    ex, dx, w = 112, 352, 164             # column centres, box width
    half = 94                             # half width of a dashed block
    body = []
    # inputs and embeddings
    for x, text in ((ex, 'source tokens'), (dx, 'target tokens, shifted')):
        body.append(label(x, 518, text, size=FONT))
        body.append(path(f'M{x},503 L{x},476'))
        body += tbox(x, 462, 'embedding·√d + P', GREEN)
        body.append(path(f'M{x},448 L{x},{421}'))
    # the repeated blocks
    enc = [('self-attention', BLUE, 406), ('add &amp; norm', ORANGE, 366),
           ('FFN', RED, 316), ('add &amp; norm', ORANGE, 276)]
    dec = [('masked self-attention', BLUE, 406),
           ('add &amp; norm', ORANGE, 366),
           ('cross-attention', BLUE, 316), ('add &amp; norm', ORANGE, 276),
           ('FFN', RED, 226), ('add &amp; norm', ORANGE, 186)]
    for x, layers, top in ((ex, enc, 252), (dx, dec, 162)):
        body.append(f'<rect x="{x - half}" y="{top}" width="{2 * half}" '
                    f'height="{432 - top}" rx="8" fill="none" '
                    f'stroke="{GRAY}" stroke-dasharray="5 4"/>')
        body.append(label(x + half, top - 6, '× n', anchor='end', size=FONT,
                          color=INK))
        for k, (text, color, y) in enumerate(layers):
            body += tbox(x, y, text, color)
            if k + 1 < len(layers):
                body.append(path(f'M{x},{y - 14} L{x},{layers[k + 1][2] + 14}'))
        side, col = ('left', x - 88) if x == ex else ('right', x + 88)
        for k in range(0, len(layers), 2):
            y_sub, y_norm = layers[k][2], layers[k + 1][2]
            body.append(residual(col, y_sub + 20, y_norm, side))
    # encoder output to every cross-attention
    mid = (ex + half + dx - half) / 2
    body.append(path(f'M{ex},262 L{ex},226 L{mid},226 '
                     f'L{mid},316 L{dx - w / 2},316'))
    body.append(label(ex + 4, 218, 'keys, values', anchor='start', size=FONT,
                      color=INK))
    # decoder head
    body.append(path(f'M{dx},172 L{dx},146'))
    body += tbox(dx, 132, 'dense', PURPLE)
    body.append(path(f'M{dx},118 L{dx},98'))
    body.append(label(dx, 74, 'scores over the', size=FONT))
    body.append(label(dx, 90, 'target vocabulary', size=FONT))
    # which keys each query may see, beside each attention sublayer
    valid = 3                              # source rows: 3 tokens, 2 pads
    body += mask_grid(ex + half + 6, 386, lambda i, j: j < valid)
    body += mask_grid(dx + half + 6, 386, lambda i, j: j <= i)
    body += mask_grid(dx + half + 6, 296, lambda i, j: j < valid)
    # legend
    body += box(30, 30, '', BLUE, w=26, h=16)
    body.append(label(52, 35, 'multi-head attention', anchor='start',
                      size=FONT))
    body += box(30, 58, '', RED, w=26, h=16)
    body.append(label(52, 63, 'positionwise FFN', anchor='start', size=FONT))
    body += mask_grid(10, 82, lambda i, j: (i + j) % 2 == 0)
    body.append(label(58, 98, 'filled cell: query (row)', anchor='start',
                      size=FONT))
    body.append(label(58, 115, 'may attend to key (column)',
                      anchor='start', size=FONT))
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
