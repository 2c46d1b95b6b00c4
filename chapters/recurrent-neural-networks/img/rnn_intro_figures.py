"""Write the diagrams of the chapter introduction and Sections 9.1-9.4 as SVG.

usage: python rnn_intro_figures.py   (run from this folder; rewrites the SVGs)

Style: about 400 px wide, sans-serif, matplotlib's tab10 colours. Every SVG
gets a <title> and a <desc> (what the figure shows), which screen readers
and browsers use. The indices in text-sequence-pipeline.svg are those the
notebook prints for the same text.
"""
from xml.sax.saxutils import escape
import math
import pathlib
import random
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE, RED)  # noqa: E402


def svg(name, width, height, title, desc, body, font_size=13):
    """Write one SVG file with an accessible title and description."""
    figure_svg.write(name, figure_svg.document(
        width, height, title, body, desc, font_size=font_size, marker='a',
        escape_text=True))


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


def circle(cx, cy, r, fill='#ffffff', stroke=INK, **kw):
    extra = ''.join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{fill}" '
            f'stroke="{stroke}"{extra}/>')


def node(x, y, label, color, w=44, h=28, sub=''):
    """A rounded box centred at (x, y) with a label (and a subscript)."""
    out = [rect(x - w / 2, y - h / 2, w, h, fill=color, fill_opacity=0.2,
                rx=5)]
    if sub:
        out.append(f'<text x="{x:g}" y="{y + 5:g}" text-anchor="middle" '
                   f'font-style="italic">{escape(label)}<tspan dy="4" '
                   f'font-size="10">{escape(sub)}</tspan></text>')
    else:
        out.append(text(x, y + 5, label, font_style='italic'))
    return out


# ------------------------------------------------------- chapter opener
def index_unrolled():
    body = [text(55, 18, 'recurrent network', font_size=12, fill=GRAY),
            text(290, 18, 'unrolled over time steps', font_size=12,
                 fill=GRAY)]
    # left: one cell with a cycle
    body += node(55, 150, 'x', BLUE)
    body += node(55, 95, 'h', ORANGE)
    body += node(55, 40, 'o', GREEN)
    body.append(arrow(55, 136, 55, 110))
    body.append(arrow(55, 81, 55, 55))
    body.append(path_arrow('M 77,100 C 115,115 115,75 78,88', RED))
    body.append(text(112, 98, 'W', anchor='start', font_size=11, fill=RED))
    body.append(text(140, 102, '=', font_size=22, fill=GRAY))
    # right: three steps
    for k, (x, t) in enumerate(((215, 't-1'), (290, 't'), (365, 't+1'))):
        body += node(x, 150, 'x', BLUE, sub=t)
        body += node(x, 95, 'h', ORANGE, sub=t)
        body += node(x, 40, 'o', GREEN, sub=t)
        body.append(arrow(x, 136, x, 110))
        body.append(arrow(x, 81, x, 55))
        body.append(arrow(x - 53, 95, x - 24, 95, RED))
        body.append(text(x - 38, 89, 'W', font_size=10, fill=RED))
    body.append(arrow(387, 95, 399, 95, RED))
    body.append(text(290, 186, 'the same weights at every step',
                     font_size=11, fill=GRAY))
    svg('index-unrolled.svg', 400, 196,
        'A recurrent network and its unrolled form',
        'Left: input x, hidden state h and output o, with a red edge from h '
        'back to itself. Right: the same network drawn for steps t-1, t '
        'and t+1; the red recurrent edges now run from each hidden state '
        'to the next one, and every step uses the same weights.', body)


# ------------------------------------------------------- 9.1 random walk
def sequence_random_walk(seed=7, days=30 * 252):
    rng = random.Random(seed)
    level, values = 1000.0, []
    for _ in range(days):
        level *= math.exp(rng.gauss(0.00025, 0.011))
        if rng.random() < 0.0006:                     # rare crash
            level *= 0.8
        values.append(level)
    x0, x1, y0, y1 = 52, 390, 16, 176
    lo, hi = 0, max(values) * 1.05
    step = max(1, days // 400)
    pts = ' '.join(f'{x0 + (x1 - x0) * i / (days - 1):.1f},'
                   f'{y1 - (y1 - y0) * (v - lo) / (hi - lo):.1f}'
                   for i, v in enumerate(values) if i % step == 0)
    body = [f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" '
            f'stroke="{INK}"/>',
            f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" '
            f'stroke="{INK}"/>',
            f'<polyline points="{pts}" fill="none" stroke="{BLUE}" '
            'stroke-width="1"/>']
    for year in range(0, 31, 5):
        x = x0 + (x1 - x0) * year / 30
        body.append(text(x, y1 + 14, f'{year}', font_size=10))
    tick = 10 ** int(math.log10(hi))
    tick = tick if hi / tick >= 3 else tick / 2
    v = 0
    while v <= hi:
        y = y1 - (y1 - y0) * v / hi
        body.append(text(x0 - 4, y + 3, f'{int(v):,}', anchor='end',
                         font_size=10))
        v += tick
    body.append(text((x0 + x1) / 2, y1 + 28, 'years', font_size=11))
    svg('sequence-random-walk.svg', 400, 210,
        'A simulated stock index over thirty years',
        'A line plot of a simulated index (a random walk with drift and a '
        'few sudden falls) over 30 years of trading days, starting at '
        '1,000, with long up and down trends.', body)


# ------------------------------------------------- 9.1 latent autoregression
def sequence_latent():
    body = []
    xs = [60, 160, 260, 360]
    labels = ['t-1', 't', 't+1', 't+2']
    for k, (x, t) in enumerate(zip(xs, labels)):
        body += node(x, 40, 'x̂', GREEN, sub=t)
        body += node(x, 100, 'h', ORANGE, sub=t)
        body += node(x - 45, 160, 'x', BLUE, sub=labels[k - 1] if k else
                     't-2')
        body.append(arrow(x, 86, x, 55))
        body.append(arrow(x - 33, 146, x - 12, 115))
        if k:
            body.append(arrow(xs[k - 1] + 23, 100, x - 23, 100, RED))
    body.append(arrow(12, 100, 36, 100, RED))
    body.append(text(200, 194, 'h_t = g(h_t-1, x_t-1), prediction from h_t',
                     font_size=11, fill=GRAY))
    svg('sequence-latent.svg', 400, 204,
        'A latent autoregressive model',
        'Four time steps. At each step a hidden summary h_t (orange) '
        'receives the previous summary (red arrow) and the previous '
        'observation x_t-1 (blue), and produces the prediction of x_t '
        '(green).', body)


# ----------------------------------------------------------- 9.4 RNN step
def rnn_step():
    body = []
    xs = [70, 190, 310]
    labels = ['t-1', 't', 't+1']
    for x, t in zip(xs, labels):
        # the dashed box is the recurrent layer; its name sits inside it,
        # and the output layer is the arrow from the box up to O_t
        body.append(rect(x - 48, 66, 96, 64, fill=GRAY, fill_opacity=0.08,
                         stroke=GRAY, stroke_dasharray='3,3', rx=6))
        body.append(text(x, 80, 'recurrent layer', font_size=9, fill=GRAY))
        body.append(rect(x - 30, 96, 60, 22, fill=PURPLE, fill_opacity=0.2,
                         rx=3))
        body.append(text(x, 111, 'FC, φ', font_size=11))
        body += node(x, 185, 'X', BLUE, sub=t)
        body += node(x, 30, 'O', GREEN, sub=t)
        body.append(arrow(x, 171, x, 120))
        body.append(arrow(x, 66, x, 45))
        body.append(text(x + 5, 60, 'output layer', anchor='start',
                         font_size=9, fill=GRAY))
    for k in range(3):
        x = xs[k]
        body += node(x + 60, 150, 'H', ORANGE, sub=labels[k], w=36, h=24)
        body.append(arrow(x + 20, 118, x + 46, 138, ORANGE))
        if k < 2:
            body.append(arrow(x + 78, 146, xs[k + 1] - 20, 118, ORANGE))
    body += node(19, 150, 'H', ORANGE, sub='t-2', w=34, h=24)
    body.append(arrow(36, 146, xs[0] - 20, 118, ORANGE))
    svg('rnn-step.svg', 400, 210,
        'An RNN over three time steps',
        'Three dashed boxes, each labelled recurrent layer, one per time '
        'step. In each, the input X_t and the previous hidden state H_t-1 '
        'enter a fully connected layer with activation phi; its result H_t '
        'goes up through the output layer (the arrow to O_t) and sideways '
        'to the next time step.', body, font_size=12)


# -------------------------------------------------- 9.4 character-level LM
def rnn_char_lm(word='machine'):
    body = []
    n = len(word) - 1
    x0, dx = 32, 56
    for i in range(n):
        x = x0 + i * dx
        body += node(x, 170, word[i], BLUE, w=30, h=26)
        body += node(x, 110, 'H', ORANGE, sub=str(i + 1), w=34, h=26)
        body += node(x, 55, 'O', GREEN, sub=str(i + 1), w=34, h=26)
        body += node(x, 16, word[i + 1], RED, w=26, h=22)
        body.append(arrow(x, 156, x, 124))
        body.append(arrow(x, 96, x, 69))
        body.append(f'<line x1="{x}" y1="41" x2="{x}" y2="28" '
                    f'stroke="{GRAY}" stroke-dasharray="2,2"/>')
        if i:
            body.append(arrow(x - dx + 18, 110, x - 18, 110, ORANGE))
    body.append(text(200, 203, 'inputs: m a c h i n  ·  targets: '
                     'a c h i n e', font_size=11, fill=GRAY))
    svg('rnn-char-lm.svg', 400, 212,
        'A character-level language model reading "machine"',
        'Six time steps. The inputs m, a, c, h, i, n (blue) feed a chain of '
        'hidden states H_1 to H_6 (orange); each output O_t (green) is '
        'compared, through softmax and cross-entropy, with the next '
        'character a, c, h, i, n, e (red).', body, font_size=12)


if __name__ == '__main__':
    index_unrolled()
    sequence_random_walk()
    sequence_latent()
    text_sequence_pipeline()
    language_model_partition()
    rnn_step()
    rnn_char_lm()
