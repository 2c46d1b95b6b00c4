"""Write the diagram of Section 11.8 (vision-transformer) as SVG: run from
this folder.

Style of the book: about 400 px wide, sans-serif, matplotlib's tab10
colours, one file per figure, each with a <title> and a <desc>. The example
is the notebook's quick-mode setting: a 28 x 28 image cut into 16 patches of
7 x 7 pixels, so the sequence has 17 tokens.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE, RED)  # noqa: E402

LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         RED: '#f6d1d1', PURPLE: '#e6dcef', GRAY: '#e6e6e6'}
HERE = pathlib.Path(__file__).resolve().parent
SIDE = 4                      # patches per side: 28 / 7
NUM_TOKENS = SIDE * SIDE + 1  # patches plus <cls>


def svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def label(x, y, s, anchor='middle', size=12, color=INK, style=''):
    extra = f' font-style="{style}"' if style else ''
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}"{extra}>{s}</text>')


def rect(x, y, w, h, color=BLUE, dash=False, fill=None):
    extra = ' stroke-dasharray="3 2"' if dash else ''
    fill = LIGHT[color] if fill is None else fill
    return (f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="3" '
            f'fill="{fill}" stroke="{color}"{extra}/>')


def box(cx, cy, w, h, s, color=BLUE, size=12):
    """A rounded box centred at (cx, cy) with one line of text."""
    return [rect(cx - w / 2, cy - h / 2, w, h, color),
            label(cx, cy + size / 3, s, size=size)]


line, path = figure_svg.line, figure_svg.path


def plus(cx, cy, r=8):
    return [f'<circle cx="{cx:g}" cy="{cy:g}" r="{r}" fill="#ffffff" '
            f'stroke="{INK}"/>',
            line(cx - r + 3, cy, cx + r - 3, cy, tip=False, color=INK),
            line(cx, cy - r + 3, cx, cy + r - 3, tip=False, color=INK)]


def token_x(i, x0=12, w=22, gap=4):
    """Left edge of token i in a row of NUM_TOKENS boxes."""
    return x0 + i * (w + gap)


def token_row(y, h, names, colors, dashed=()):
    body = []
    for i, (name, color) in enumerate(zip(names, colors)):
        x = token_x(i)
        body.append(rect(x, y, 22, h, color, dash=i in dashed,
                         fill='#ffffff' if i in dashed else None))
        body.append(label(x + 11, y + h / 2 + 4, name, size=10))
    return body


def vit_model():
    width, height = 460, 446
    body = []
    # the image, cut into a 4 x 4 grid of numbered patches
    cell, gx, gy = 17, 12, 14
    body.append(label(gx + SIDE * cell / 2, gy - 3, '28×28 image', size=11))
    for r in range(SIDE):
        for c in range(SIDE):
            k = r * SIDE + c
            body.append(rect(gx + c * cell, gy + 4 + r * cell, cell, cell,
                             BLUE, fill='#ffffff'))
            body.append(label(gx + c * cell + cell / 2,
                              gy + 4 + r * cell + cell / 2 + 3, k + 1,
                              size=8))
    body.append(label(gx + SIDE * cell + 8, gy + 36,
                      '16 patches of 7×7 pixels, read row by row,',
                      anchor='start', size=11))
    body.append(label(gx + SIDE * cell + 8, gy + 51,
                      'flattened to 49 numbers each', anchor='start',
                      size=11))
    # patch embedding
    body += box(250, 106, 300, 24, 'patch embedding: E xᵢ + b (shared)',
                BLUE)
    body.append(path([(gx + SIDE * cell / 2, gy + 4 + SIDE * cell),
                      (gx + SIDE * cell / 2, 106), (98, 106)]))
    # token row, position embeddings, sum
    y_tok = 140
    names = ['cls'] + [str(i) for i in range(1, NUM_TOKENS)]
    colors = [ORANGE] + [BLUE] * (NUM_TOKENS - 1)
    body.append(line(250, 118, 250, y_tok - 2))
    body += token_row(y_tok, 20, names, colors)
    body.append(label(token_x(NUM_TOKENS - 1) + 22, y_tok + 36,
                      '+ learned position embeddings p₀ … p₁₆',
                      anchor='end', size=11))
    body.append(label(token_x(0), y_tok + 36,
                      'learned <cls> token', anchor='start', size=11,
                      color=ORANGE).replace('<cls>', '&lt;cls&gt;'))
    # the encoder blocks
    top, bottom = 196, 304
    body.append(rect(12, top, 438, bottom - top, GREEN, fill='#f4faf4'))
    body.append(label(20, top + 16, 'ViT block (pre-normalization), '
                      'repeated num_blks times', anchor='start', size=11))
    body.append(line(231, y_tok + 42, 231, top - 2))
    cy = 270
    chain = [(30, 'X', None), (70, 'LN', GREEN), (150, 'multi-head attn',
                                                      PURPLE),
             (228, '+', None), (268, 'LN', GREEN), (330, 'MLP', RED),
             (400, '+', None)]
    widths = {'LN': 32, 'multi-head attn': 104, 'MLP': 50}
    prev = None
    for x, name, color in chain:
        if name == '+':
            body += plus(x, cy)
            left, right = x - 8, x + 8
        elif name == 'X':
            body.append(label(x, cy + 4, 'X', size=12, style='italic'))
            left, right = x - 6, x + 6
        else:
            body += box(x, cy, widths[name], 24, name, color, size=11)
            left, right = x - widths[name] / 2, x + widths[name] / 2
        if prev is not None:
            body.append(line(prev, cy, left - 1, cy))
        prev = right
    body.append(line(408, cy, 436, cy))
    # residual (skip) paths above the chain
    body.append(path([(40, cy), (40, cy - 36), (228, cy - 36),
                      (228, cy - 10)]))
    body.append(path([(238, cy), (246, cy), (246, cy - 30), (400, cy - 30),
                      (400, cy - 10)]))
    body.append(label(134, cy - 40, 'X + MHA(LN(X))', size=10))
    body.append(label(323, cy - 34, 'X + MLP(LN(X))', size=10))
    # outputs: only <cls> is used
    y_out = 326
    body.append(line(231, bottom + 2, 231, y_out - 2))
    body += token_row(y_out, 20, [''] * NUM_TOKENS,
                      [ORANGE] + [GRAY] * (NUM_TOKENS - 1),
                      dashed=range(1, NUM_TOKENS))
    body.append(label(token_x(NUM_TOKENS - 1) + 22, y_out + 36,
                      '16 patch outputs: not used', anchor='end', size=11,
                      color=GRAY))
    body += box(64, 392, 104, 24, 'LN + linear', ORANGE, size=11)
    body.append(line(token_x(0) + 11, y_out + 22, token_x(0) + 11, 378))
    body.append(line(116, 392, 150, 392))
    body.append(label(156, 396, '10 class scores', anchor='start', size=12))
    body.append(label(12, 432, 'sequence: 17 tokens of width d; every block '
                      'keeps the shape (B, 17, d)', anchor='start', size=11,
                      color=GRAY))
    svg('vision-transformer-model.svg', width, height,
        'The vision Transformer on a 28 by 28 image',
        'A 28 by 28 image is cut into 16 numbered patches of 7 by 7 pixels. '
        'A shared linear patch embedding turns each into a token; a learned '
        'classification token is put in front and learned position '
        'embeddings are added, giving 17 tokens. They pass through '
        'num_blks pre-normalization blocks, each computing X plus '
        'multi-head attention of the layer-normalized X, then X plus an MLP '
        'of the layer-normalized X. Of the 17 outputs only the one at the '
        'classification token position goes to the head, a layer norm and '
        'a linear layer giving 10 class scores; the 16 patch outputs are '
        'not used.', body)


if __name__ == '__main__':
    vit_model()
