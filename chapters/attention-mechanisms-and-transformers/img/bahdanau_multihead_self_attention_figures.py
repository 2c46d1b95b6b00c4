"""Draw the SVG diagrams of Sections 11.4-11.6 (Bahdanau attention,
multi-head attention, self-attention and positional encoding).

Usage: python bahdanau_multihead_self_attention_figures.py
(writes the .svg files beside this script)
"""
from xml.sax.saxutils import escape
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, ORANGE, PURPLE, RED  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
FILL = {BLUE: '#dbe9f6', ORANGE: '#fde3c8', GREEN: '#d8f0d8',
        RED: '#f8d5d5', PURPLE: '#e8dff2', GRAY: '#ececec'}
FONT = 'font-family="sans-serif"'


class Svg:
    """A tiny SVG writer: boxes, text, lines and arrows."""

    def __init__(self, width, height, title, desc):
        self.w, self.h, self.items = width, height, []
        self.title, self.desc = title, desc

    def rect(self, x, y, w, h, stroke=BLUE, fill=None, rx=4):
        fill = fill or FILL.get(stroke, 'white')
        self.items.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" '
                          f'rx="{rx}" fill="{fill}" stroke="{stroke}" '
                          f'stroke-width="1.5"/>')

    def text(self, x, y, s, size=12, color='black', anchor='middle',
             style='normal'):
        self.items.append(f'<text x="{x}" y="{y}" font-size="{size}" '
                          f'{FONT} fill="{color}" text-anchor="{anchor}" '
                          f'font-style="{style}" dominant-baseline='
                          f'"middle">{escape(s)}</text>')

    def box(self, x, y, w, h, label, stroke=BLUE, size=12):
        self.rect(x, y, w, h, stroke)
        self.text(x + w / 2, y + h / 2, label, size)

    def circle(self, x, y, r, label='', stroke=BLUE, size=11):
        self.items.append(f'<circle cx="{x}" cy="{y}" r="{r}" '
                          f'fill="{FILL.get(stroke, "white")}" '
                          f'stroke="{stroke}" stroke-width="1.5"/>')
        if label:
            self.text(x, y, label, size)

    def line(self, x1, y1, x2, y2, color=GRAY, width=1.0):
        self.items.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                          f'stroke="{color}" stroke-width="{width}"/>')

    def path(self, points, color='black', dash=False, head=True):
        d = 'M' + ' L'.join(f'{x},{y}' for x, y in points)
        extra = ' stroke-dasharray="5,3"' if dash else ''
        marker = ' marker-end="url(#head)"' if head else ''
        self.items.append(f'<path d="{d}" fill="none" stroke="{color}" '
                          f'stroke-width="1.4"{marker}{extra}/>')

    def save(self, name):
        figure_svg.write(HERE / name, figure_svg.document(
            self.w, self.h, self.title, self.items, self.desc,
            marker='head', marker_color='black', escape_text=True))


def bahdanau_layers():
    svg = Svg(560, 340, 'Encoder-decoder with Bahdanau attention',
              'On the left the encoder: source tokens, an embedding layer '
              'and recurrent layers. Its top-layer outputs at all steps go '
              'up into an attention box as keys and values, and its final '
              'state goes right to initialise the decoder. On the right the '
              'decoder: previous target tokens, an embedding layer, '
              'recurrent layers and a dense layer. The decoder state of the '
              'previous step is the query of the attention, and the '
              'attention output, the context, joins the embedding at the '
              'input of the recurrent layers.')
    svg.text(110, 18, 'Encoder', 13, BLUE)
    svg.text(450, 18, 'Decoder', 13, ORANGE)
    # encoder column
    svg.text(110, 322, 'source: i lost . <eos>', 11, GRAY)
    svg.box(30, 262, 160, 30, 'Embedding')
    svg.box(30, 182, 160, 38, 'Recurrent layers')
    svg.path([(110, 308), (110, 294)])
    svg.path([(110, 262), (110, 222)])
    # attention in the middle
    svg.box(215, 88, 130, 36, 'Attention', GREEN)
    svg.path([(80, 182), (80, 106), (213, 106)])
    svg.text(82, 70, 'outputs of all steps', 11, GREEN, 'start')
    svg.text(82, 84, '(keys and values)', 11, GREEN, 'start')
    # final state initialises the decoder
    svg.path([(190, 201), (368, 201)])
    svg.text(250, 191, 'final state: initial', 10, BLUE)
    svg.text(250, 211, 'decoder state', 10, BLUE)
    # decoder column
    svg.text(450, 322, "target: <bos> j'ai perdu", 11, GRAY)
    svg.box(370, 262, 160, 30, 'Embedding', ORANGE)
    svg.box(370, 182, 160, 38, 'Recurrent layers', ORANGE)
    svg.box(370, 98, 160, 30, 'Dense', ORANGE)
    svg.text(450, 44, "scores of the next token", 11, GRAY)
    svg.path([(450, 308), (450, 294)])
    svg.path([(470, 262), (470, 222)])
    svg.path([(450, 182), (450, 130)])
    svg.path([(450, 98), (450, 56)])
    # query: the decoder state of the previous step
    svg.path([(390, 182), (390, 150), (360, 150), (360, 112), (347, 112)],
             RED, dash=True)
    svg.text(350, 70, 'query: decoder state', 10, RED)
    svg.text(350, 82, 'of the previous step', 10, RED)
    # the context joins the embedding
    svg.path([(325, 124), (325, 240), (410, 240), (410, 222)], GREEN)
    svg.text(335, 252, 'context, joined to the embedding', 10, GREEN,
             'start')
    svg.save('bahdanau-attention-layers.svg')


def multihead_heads():
    svg = Svg(460, 360, 'Multi-head attention',
              'Queries, keys and values each pass through h separate fully '
              'connected layers, one per head. Head i combines the i-th '
              'projections of the queries, keys and values in its own '
              'attention pooling. The h head outputs are concatenated and '
              'a final fully connected layer mixes them into the output.')
    xs = {'Queries': 90, 'Keys': 230, 'Values': 370}
    colours = {'Queries': RED, 'Keys': BLUE, 'Values': GREEN}
    for name, x in xs.items():
        svg.text(x, 340, name, 12, colours[name])
        svg.path([(x, 328), (x, 290)])
        for k in (2, 1, 0):                        # back to front
            svg.box(x - 45 + 6 * k, 252 - 6 * k, 90, 34,
                    'FC' if k == 0 else '', colours[name])
        svg.path([(x, 240), (x if x == 230 else (x + 230) / 2, 196)])
    svg.text(440, 258, '× h', 12, GRAY)
    for k in (2, 1, 0):
        svg.box(120 + 6 * k, 160 - 6 * k, 220, 34,
                'Scaled dot-product attention' if k == 0 else '', PURPLE)
    svg.text(372, 166, '× h', 12, GRAY)
    svg.path([(230, 148), (230, 124)])
    svg.box(120, 92, 220, 30, 'Concatenation', GRAY)
    svg.path([(230, 92), (230, 74)])
    svg.box(160, 42, 140, 30, 'FC', ORANGE)
    svg.path([(230, 42), (230, 20)])
    svg.text(240, 12, 'output', 12, GRAY, 'start')
    svg.save('multihead-attention-heads.svg')


def paths():
    svg = Svg(600, 260, 'CNN, RNN and self-attention over five tokens',
              'Three panels over the inputs x1 to x5. Left, a two-layer '
              'convolution with kernel size 3: each node sees three nodes '
              'below it, and x1 and x5 first meet in the middle node of '
              'the second layer (highlighted). Middle, a recurrent network: '
              'a chain of states from left to right, so x1 reaches the last '
              'state, where x5 enters, through four steps. Right, '
              'self-attention: every output is connected to every input, so '
              'x1 and x5 meet in one step.')
    xs = [0, 36, 72, 108, 144]
    base_y, r = 215, 12

    def inputs(x0):
        for i, x in enumerate(xs):
            svg.circle(x0 + x, base_y, r, f'x{i + 1}', BLUE, 10)

    # CNN
    x0 = 25
    svg.text(x0 + 72, 20, 'CNN (kernel 3, 2 layers)', 12)
    ys = [base_y, 140, 65]
    hot = {(0, 0, 1), (0, 4, 3), (1, 1, 2), (1, 3, 2)}  # (layer, from, to)
    for layer in range(2):
        for j in range(5):
            for i in (j - 1, j, j + 1):
                if 0 <= i < 5:
                    on = (layer, i, j) in hot
                    svg.line(x0 + xs[i], ys[layer] - r, x0 + xs[j],
                             ys[layer + 1] + r, ORANGE if on else GRAY,
                             2.2 if on else 0.8)
    inputs(x0)
    for layer, y in ((1, 140), (2, 65)):
        for j, x in enumerate(xs):
            svg.circle(x0 + x, y, r, '', ORANGE if (layer, j) in
                       {(1, 1), (1, 3), (2, 2)} else GRAY)
    # RNN
    x0 = 225
    svg.text(x0 + 72, 20, 'RNN', 12)
    inputs(x0)
    for i, x in enumerate(xs):
        svg.line(x0 + x, base_y - r, x0 + x, 140 + r, GRAY, 0.8)
        svg.circle(x0 + x, 140, r, '', ORANGE)
        if i:
            svg.line(x0 + xs[i - 1] + r, 140, x0 + x - r, 140, ORANGE, 2.2)
    for x in (xs[0], xs[4]):
        svg.line(x0 + x, base_y - r, x0 + x, 140 + r, ORANGE, 2.2)
    # self-attention
    x0 = 425
    svg.text(x0 + 72, 20, 'Self-attention', 12)
    for i, xi in enumerate(xs):
        for j, xj in enumerate(xs):
            on = (i, j) in {(0, 4), (4, 4)}
            svg.line(x0 + xi, base_y - r, x0 + xj, 140 + r,
                     ORANGE if on else GRAY, 2.2 if on else 0.8)
    inputs(x0)
    for j, x in enumerate(xs):
        svg.circle(x0 + x, 140, r, '', ORANGE if j == 4 else GRAY)
    svg.text(300, 250, 'highlighted: where x1 and x5 first meet',
             11, ORANGE)
    svg.save('self-attention-and-positional-encoding-paths.svg')


if __name__ == '__main__':
    bahdanau_layers()
    multihead_heads()
    paths()
