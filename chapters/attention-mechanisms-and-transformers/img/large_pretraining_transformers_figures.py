"""Write the diagram of Section 11.9 (large-pretraining-transformers) as SVG:
run from this folder.

Style of the book: about 400 px wide, sans-serif, matplotlib's tab10
colours, one file per figure, each with a <title> and a <desc>. The figure
shows the three pretraining tasks on one sentence of our own.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, INK, ORANGE, PURPLE  # noqa: E402

LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         PURPLE: '#e6dcef', GRAY: '#e6e6e6'}
HERE = pathlib.Path(__file__).resolve().parent
SPECIAL = ('<cls>', '<mask>', '<bos>', '<eos>', '<X>', '<Y>', '<Z>')


def svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def label(x, y, s, anchor='middle', size=12, color=INK, weight=''):
    extra = f' font-weight="{weight}"' if weight else ''
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}"{extra}>{esc(s)}</text>')


def line(x1, y1, x2, y2, color=GRAY):
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" '
            f'stroke="{color}" stroke-width="1.5" marker-end="url(#tip)"/>')


def width_of(token):
    return 10 + 6.6 * len(token)


def tokens(x, y, words, color, empty=(), widths=None):
    """A row of token boxes from x; returns the body and the box centres."""
    body, centres = [], []
    for i, word in enumerate(words):
        w = widths[i] if widths else width_of(word)
        special = word in SPECIAL
        if i in empty:
            body.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" '
                        f'height="20" rx="3" fill="#ffffff" stroke="{GRAY}" '
                        'stroke-dasharray="3 2"/>')
        else:
            fill = LIGHT[ORANGE] if special else LIGHT[color]
            stroke = ORANGE if special else color
            body.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" '
                        f'height="20" rx="3" fill="{fill}" '
                        f'stroke="{stroke}"/>')
            body.append(label(x + w / 2, y + 14, word, size=11))
        centres.append(x + w / 2)
        x += w + 4
    return body, centres


def band(x1, x2, y, text, color):
    return [f'<rect x="{x1:g}" y="{y:g}" width="{x2 - x1:g}" height="22" '
            f'rx="4" fill="{LIGHT[color]}" stroke="{color}"/>',
            label((x1 + x2) / 2, y + 15, text, size=11)]


def objectives():
    width, height, body = 470, 392, []
    x0 = 14
    # 1. masked language modeling (encoder-only)
    y = 20
    body.append(label(x0, y, 'Masked language modeling (encoder-only, '
                      'BERT)', anchor='start', weight='bold'))
    words = ['<cls>', 'my', 'dog', '<mask>', 'the', 'red', 'ball']
    outs = ['' if w != '<mask>' else 'chased' for w in words]
    widths = [max(width_of(a), width_of(b)) for a, b in zip(words, outs)]
    row, centres = tokens(x0, y + 76, words, BLUE, widths=widths)
    body += row
    right = centres[-1] + widths[-1] / 2
    body += band(x0, right, y + 42, 'encoder: full attention', GREEN)
    out_row, out_c = tokens(x0, y + 10, outs, PURPLE, widths=widths,
                            empty=[i for i, w in enumerate(outs) if not w])
    body += out_row
    body.append(line(out_c[3], y + 74, out_c[3], y + 66))
    body.append(line(out_c[3], y + 42, out_c[3], y + 32))
    body.append(label(right + 14, y + 90, 'input', anchor='start',
                      size=11, color=GRAY))
    body.append(label(right + 14, y + 24, 'predicted', anchor='start',
                      size=11, color=GRAY))
    # 2. span corruption (encoder-decoder)
    y = 142
    body.append(label(x0, y, 'Span corruption (encoder–decoder, T5)',
                      anchor='start', weight='bold'))
    enc, enc_c = tokens(x0, y + 40, ['my', 'dog', '<X>', 'red', '<Y>'], BLUE)
    body += enc
    body += band(x0, enc_c[-1] + width_of('<Y>') / 2, y + 10,
                 'encoder: full', GREEN)
    body.append(label(x0, y + 78, 'input', anchor='start', size=11,
                      color=GRAY))
    dx = 232
    target = ['<X>', 'chased', 'the', '<Y>', 'ball', '<Z>']
    dec, dec_c = tokens(dx, y + 40, target, PURPLE)
    body += dec
    body += band(dx, dec_c[-1] + width_of('<Z>') / 2, y + 10,
                 'decoder: causal + cross', GREEN)
    body.append(line(enc_c[-1] + 22, y + 21, dx - 4, y + 21))
    body.append(label(dx, y + 78, 'target: each sentinel, then what it hid',
                      anchor='start', size=11, color=GRAY))
    # 3. language modeling (decoder-only)
    y = 248
    body.append(label(x0, y, 'Language modeling (decoder-only, GPT)',
                      anchor='start', weight='bold'))
    words = ['<bos>', 'my', 'dog', 'chased', 'the', 'red', 'ball']
    nxt = words[1:] + ['<eos>']
    widths = [max(width_of(a), width_of(b)) for a, b in zip(words, nxt)]
    row, centres = tokens(x0, y + 104, words, BLUE, widths=widths)
    body += row
    right = centres[-1] + widths[-1] / 2
    body += band(x0, right, y + 64, 'decoder: causal attention', GREEN)
    out_row, _ = tokens(x0, y + 14, nxt, PURPLE, widths=widths)
    body += out_row
    for c in centres:
        body.append(line(c, y + 62, c, y + 37))
        body.append(line(c, y + 102, c, y + 89))
    body.append(label(right + 14, y + 118, 'input', anchor='start',
                      size=11, color=GRAY))
    body.append(label(right + 14, y + 28, 'next token', anchor='start',
                      size=11, color=GRAY))
    svg('large-pretraining-transformers-objectives.svg', width, height,
        'Three pretraining tasks on one sentence',
        'The sentence "my dog chased the red ball" used three ways. Masked '
        'language modeling: the input is "cls my dog mask the red ball", an '
        'encoder in which every token attends to every token, and only the '
        'masked position is predicted, as "chased". Span corruption: the '
        'encoder reads "my dog X red Y", and the decoder, with causal '
        'self-attention and cross-attention, writes "X chased the Y ball Z": '
        'each sentinel followed by the tokens it replaced. Language '
        'modeling: the decoder reads "bos my dog chased the red ball" and '
        'every position predicts the next token, giving "my dog chased the '
        'red ball eos".', body)


if __name__ == '__main__':
    objectives()
