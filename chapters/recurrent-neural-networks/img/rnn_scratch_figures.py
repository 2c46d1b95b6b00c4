"""Write the diagram of Section 9.5 (rnn-scratch) as SVG (run from this folder).

Style: about 450 px wide, sans-serif, matplotlib's tab10 colours, like the
other figure scripts of this chapter. Output: rnn-scratch-lm.svg.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE, RED)  # noqa: E402


def svg(width, height, title, desc, body, font_size=13):
    return figure_svg.document(width, height, title, body, desc,
                               font_size=font_size, marker='a')


text, rect = figure_svg.text, figure_svg.rect


def arrow(x1, y1, x2, y2, color=GRAY):
    return figure_svg.arrow(x1, y1, x2, y2, color, marker='a')


def sub(letter, index):
    return (f'<tspan font-weight="bold">{letter}</tspan>'
            f'<tspan dy="4" font-size="10">{index}</tspan>')


def language_model():
    """The character model over four steps: one-hot, RNN, output layer."""
    inputs, targets = 'the ', 'he t'
    vocab = ' abcdefghijklmnopqrstuvwxyz'           # 27 cells, <unk> left out
    cols = [120 + 95 * t for t in range(4)]
    y_char, y_hot, y_h, y_o, y_next = 292, 246, 166, 98, 30
    body = [text(14, y_hot + 4, 'one-hot', anchor='start', fill=GRAY),
            text(14, y_h + 4, 'RNN', anchor='start', fill=GRAY),
            text(14, y_o + 4, 'scores', anchor='start', fill=GRAY),
            text(14, y_next + 4, 'target', anchor='start', fill=GRAY),
            text(14, y_char + 4, 'input', anchor='start', fill=GRAY)]
    for t, (cx, c, nxt) in enumerate(zip(cols, inputs, targets)):
        shown = '&#183;' if c == ' ' else c
        body.append(rect(cx - 12, y_char - 12, 24, 22, fill='#f7f7f7',
                         stroke='#bbbbbb'))
        body.append(text(cx, y_char + 4, shown, font_family='monospace'))
        # one-hot column: 27 thin cells, one of them filled
        top = y_hot - 27
        for k, v in enumerate(vocab):
            fill = BLUE if v == c else '#ffffff'
            body.append(rect(cx - 5, top + 2 * k, 10, 2, fill=fill,
                             stroke='none'))
        body.append(rect(cx - 5, top, 10, 54, fill='none', stroke='#bbbbbb'))
        body.append(arrow(cx, y_char - 13, cx, top + 56))
        # hidden state
        body.append(rect(cx - 20, y_h - 13, 40, 26, fill='#e8f0f8',
                         stroke=BLUE, rx='4'))
        body.append(text(cx, y_h + 4, sub('H', t + 1)))
        body.append(arrow(cx, top - 2, cx, y_h + 15))
        if t:
            body.append(arrow(cols[t - 1] + 21, y_h, cx - 22, y_h,
                              color=RED))
        # output scores: a small bar chart over a few letters
        body.append(rect(cx - 22, y_o - 18, 44, 36, fill='#ffffff',
                         stroke=ORANGE, rx='3'))
        heights = [4, 10, 22, 7, 13]
        best = 2
        for k, hgt in enumerate(heights):
            body.append(rect(cx - 17 + 7 * k, y_o + 13 - hgt, 5, hgt,
                             fill=ORANGE if k == best else '#f2c9a0',
                             stroke='none'))
        body.append(arrow(cx, y_h - 14, cx, y_o + 20))
        body.append(arrow(cx, y_o - 19, cx, y_next + 14))
        shown = '&#183;' if nxt == ' ' else nxt
        body.append(rect(cx - 12, y_next - 12, 24, 22, fill='#f7f7f7',
                         stroke=GREEN))
        body.append(text(cx, y_next + 4, shown, font_family='monospace'))
    body.append(text(cols[0] - 50, y_h + 4, '0', fill=GRAY))
    body.append(arrow(cols[0] - 42, y_h, cols[0] - 22, y_h, color=RED))
    body.append(text(cols[1] + 47, y_h + 27, sub('W', 'hh'), font_size='11',
                     fill=RED))
    body.append(text(cols[0] + 24, y_hot - 42, sub('W', 'xh'),
                     font_size='11', fill=BLUE, anchor='start'))
    body.append(text(cols[-1] + 40, y_o + 32, sub('W', 'hq'),
                     font_size='11', fill=ORANGE))
    desc = ('Four steps of the character language model on the input '
            '"the " (a dot marks the space). Each input character becomes a '
            'one-hot column with a single filled cell; the hidden states '
            'H1 to H4 are updated from the one-hot input and, along red '
            'arrows through W_hh, the previous state, starting from zero; '
            'each state is mapped through W_hq to scores over the '
            'vocabulary, whose target is the next character: h, e, space, t.')
    return svg(470, 312, 'A character-level RNN language model over four '
               'steps', desc, body)


if __name__ == '__main__':
    with open('rnn-scratch-lm.svg', 'w', encoding='utf-8') as f:
        f.write(language_model())
