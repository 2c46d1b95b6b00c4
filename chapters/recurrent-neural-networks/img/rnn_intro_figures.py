"""Write the diagrams of the chapter introduction and Sections 9.1-9.4 as SVG.

usage: python rnn_intro_figures.py   (run from this folder; rewrites the SVGs)

Style: about 400 px wide, sans-serif, matplotlib's tab10 colours. Every SVG
gets a <title> and a <desc> (what the figure shows), which screen readers
and browsers use. The indices in text-sequence-pipeline.svg are those the
notebook prints for the same text.
"""
import math
import random
from xml.sax.saxutils import escape

BLUE, ORANGE, GREEN, RED = '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'
PURPLE, GRAY = '#9467bd', '#7f7f7f'
INK = '#333333'


def svg(name, width, height, title, desc, body, font_size=13):
    """Write one SVG file with an accessible title and description."""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="sans-serif" font-size="{font_size}">\n'
            f'  <title>{escape(title)}</title>\n'
            f'  <desc>{escape(desc)}</desc>\n'
            '  <defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="6" markerHeight="6" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{GRAY}"/></marker></defs>\n'
            f'  <rect width="{width}" height="{height}" fill="#ffffff"/>\n')
    with open(name, 'w', encoding='utf-8') as f:
        f.write(head + '\n'.join('  ' + line for line in body) + '\n</svg>\n')


def text(x, y, s, anchor='middle', **kw):
    extra = ''.join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{extra}>'
            f'{escape(s)}</text>')


def rect(x, y, w, h, fill='#ffffff', stroke=INK, **kw):
    extra = ''.join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
            f'fill="{fill}" stroke="{stroke}"{extra}/>')


def arrow(x1, y1, x2, y2, color=GRAY, dash=None):
    d = f' stroke-dasharray="{dash}"' if dash else ''
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" '
            f'stroke="{color}" stroke-width="1.5"{d} marker-end="url(#a)"/>')


def path_arrow(d, color=GRAY):
    return (f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.5" '
            'marker-end="url(#a)"/>')


# ------------------------------------------------------------ 9.2 pipeline
def text_sequence_pipeline():
    raw = 'The Time Machine, by H. G. Wells [1898]'
    clean = 'the time machine by h g wells'
    chars = list('the time')
    alphabet = [' ', '<unk>'] + [chr(i) for i in range(97, 123)]
    idx = [alphabet.index(c) for c in chars]      # the book's vocabulary
    rows = [('raw text', raw, GRAY),
            ('normalised text', clean, BLUE),
            ('tokens', ' '.join('␣' if c == ' ' else c for c in chars)
             + ' …', ORANGE),
            ('indices', ' '.join(str(i) for i in idx) + ' …', GREEN)]
    steps = ['_preprocess', '_tokenize', 'vocab[tokens]']
    body, y = [], 14
    for k, (label, content, color) in enumerate(rows):
        body.append(text(12, y + 4, label, anchor='start', font_size=11,
                         fill=GRAY))
        body.append(rect(12, y + 10, 286, 30, fill=color, fill_opacity=0.15,
                         rx=4))
        body.append(text(155, y + 30, content, font_family='monospace',
                         font_size=12))
        if k < len(steps):
            body.append(arrow(155, y + 41, 155, y + 64))
            body.append(text(162, y + 57, steps[k], anchor='start',
                             font_size=11, font_family='monospace'))
        y += 68
    body.append(rect(318, 152, 76, 70, fill=PURPLE, fill_opacity=0.15, rx=4))
    for i, s in enumerate(['Vocab', 'token ↔', 'index']):
        body.append(text(356, 174 + 17 * i, s, font_size=12))
    body.append(path_arrow('M 300,172 C 310,172 310,165 316,165'))
    body.append(path_arrow('M 316,212 C 308,230 306,234 300,234'))
    body.append(text(356, 250, 'to_tokens', font_size=11,
                     font_family='monospace'))
    svg('text-sequence-pipeline.svg', 400, 270,
        'From raw text to a sequence of indices',
        'Four stacked boxes: the raw first line of The Time Machine; the '
        'same line lower-cased with punctuation removed; its first '
        'characters as tokens; their indices 21 9 6 0 21 10 14 6. Arrows '
        'between the boxes are labelled _preprocess, _tokenize and '
        'vocab[tokens]; a Vocab box beside the tokens and indices maps in '
        'both directions, back to tokens with to_tokens.', body)


# ------------------------------------------------- 9.3 partition of a corpus
def language_model_partition(T=29, n=5, d=2):
    cell, x0 = 13, 8
    m = (T - d) // n
    colors = [BLUE, ORANGE, GREEN, RED, PURPLE]
    body = [text(x0, 16, f'corpus of T = {T} tokens, offset d = {d}, '
                 f'n = {n}: m = {m} pieces', anchor='start', font_size=12)]

    def row(y, start, label, label_y):
        body.append(text(x0, label_y, label, anchor='start', font_size=11,
                         fill=GRAY))
        for t in range(T):
            piece = (t - start) // n
            inside = start <= t < start + m * n
            fill = colors[piece % 5] if inside else '#ffffff'
            opacity = 0.35 if inside else 1
            body.append(rect(x0 + t * cell, y, cell, 22, fill=fill,
                             fill_opacity=opacity, stroke_width=0.8))
            if not inside and t < start:
                body.append(f'<line x1="{x0 + t * cell + 2}" y1="{y + 20}" '
                            f'x2="{x0 + (t + 1) * cell - 2}" y2="{y + 2}" '
                            f'stroke="{GRAY}" stroke-width="1"/>')
        for t in range(0, T, 5):
            body.append(text(x0 + t * cell + cell / 2, y + 34, f'{t}',
                             font_size=9, fill=GRAY))

    row(46, d, 'inputs (the first d tokens are skipped)', 40)
    row(120, d + 1, 'targets (the same pieces, one token later)', 170)
    for k in range(m):
        xa = x0 + (d + k * n + n / 2) * cell
        body.append(arrow(xa, 84, xa + cell, 116))
    svg('language-model-partition.svg', 400, 180,
        'Random-offset partitioning of a token sequence',
        f'Two rows of {T} cells. In the upper row the first {d} cells are '
        f'struck out and the following {m * n} are coloured in {m} pieces '
        f'of {n}; the lower row shows the target pieces, the same colours '
        'shifted one cell to the right, with an arrow from each input piece '
        'to its target piece.', body, font_size=12)


if __name__ == '__main__':
    text_sequence_pipeline()
    language_model_partition()
