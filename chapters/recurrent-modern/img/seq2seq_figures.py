"""Draw the SVG diagrams of Sections 10.5-10.8 (translation data, encoder-
decoder, seq2seq, beam search).

Usage: python seq2seq_figures.py   (writes the .svg files beside this script)
"""
from xml.sax.saxutils import escape
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, ORANGE, PURPLE, RED  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
FONT = 'font-family="sans-serif"'


class Svg:
    def __init__(self, width, height, title, desc):
        self.w, self.h, self.items = width, height, []
        self.title, self.desc = title, desc

    def rect(self, x, y, w, h, fill='white', stroke=BLUE, rx=4, dash=False):
        extra = ' stroke-dasharray="4,3"' if dash else ''
        self.items.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" '
                          f'rx="{rx}" fill="{fill}" stroke="{stroke}" '
                          f'stroke-width="1.5"{extra}/>')

    def text(self, x, y, s, size=12, color='black', anchor='middle',
             weight='normal'):
        self.items.append(f'<text x="{x}" y="{y}" font-size="{size}" '
                          f'{FONT} fill="{color}" text-anchor="{anchor}" '
                          f'font-weight="{weight}" dominant-baseline='
                          f'"middle">{escape(s)}</text>')

    def box(self, x, y, w, h, label, fill='white', stroke=BLUE, size=12,
            color='black', dash=False):
        self.rect(x, y, w, h, fill, stroke, dash=dash)
        self.text(x + w / 2, y + h / 2, label, size, color)

    def arrow(self, x1, y1, x2, y2, color='black', dash=False):
        extra = ' stroke-dasharray="4,3"' if dash else ''
        self.items.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                          f'stroke="{color}" stroke-width="1.4" '
                          f'marker-end="url(#head)"{extra}/>')

    def path(self, d, color='black', dash=False):
        extra = ' stroke-dasharray="4,3"' if dash else ''
        self.items.append(f'<path d="{d}" fill="none" stroke="{color}" '
                          f'stroke-width="1.4" marker-end="url(#head)"'
                          f'{extra}/>')

    def save(self, name):
        figure_svg.write(HERE / name, figure_svg.document(
            self.w, self.h, self.title, self.items, self.desc,
            marker='head', marker_color='black', escape_text=True))


def token_row(svg, x, y, tokens, fill, stroke, cell=44, size=10):
    for i, tok in enumerate(tokens):
        svg.box(x + i * cell, y, cell - 3, 22, tok, fill, stroke, size)


def mt_arrays():
    svg = Svg(610, 190, 'One sentence pair as four arrays',
              'The pair "hi !" / "salut !" after padding to nine steps: the '
              'source row hi ! <eos> and six <pad>, its valid length 3, the '
              'decoder input <bos> salut ! <eos> and padding, and the label '
              'salut ! <eos> and padding, which is the decoder input moved '
              'one position to the left.')
    pad = ['<pad>'] * 6
    rows = [('source', ['hi', '!', '<eos>'] + pad, '#dbe9f6', BLUE),
            ('decoder input', ['<bos>', 'salut', '!', '<eos>'] + pad[:5],
             '#fde3c8', ORANGE),
            ('label', ['salut', '!', '<eos>'] + pad, '#d8f0d8', GREEN)]
    for r, (name, toks, fill, stroke) in enumerate(rows):
        y = 20 + r * 55
        svg.text(92, y + 11, name, 11, anchor='end')
        token_row(svg, 100, y, toks, fill, stroke)
    svg.text(100 + 9 * 44 + 4, 31, 'valid length 3', 10, BLUE, 'start')
    for i in range(1, 4):      # label[j] = decoder input[j + 1]
        svg.arrow(100 + i * 44 + 20, 20 + 55 + 24, 100 + (i - 1) * 44 + 20,
                  20 + 110 - 2, GRAY)
    svg.text(270, 178, 'label = decoder input shifted left by one step', 11,
             GRAY)
    svg.save('machine-translation-and-dataset-arrays.svg')


def encoder_decoder():
    svg = Svg(460, 130, 'The encoder-decoder architecture',
              'A source sequence enters the encoder, which produces a state; '
              'the decoder reads the state and its own input (the target '
              'tokens so far) and produces the output sequence.')
    svg.box(10, 45, 70, 34, 'Input', '#f2f2f2', GRAY)
    svg.box(110, 45, 80, 34, 'Encoder', '#dbe9f6', BLUE)
    svg.box(220, 45, 60, 34, 'State', '#efe3f6', PURPLE)
    svg.box(310, 45, 80, 34, 'Decoder', '#fde3c8', ORANGE)
    svg.box(310, 100, 80, 24, 'Input', '#f2f2f2', GRAY, 11)
    svg.box(400, 45, 54, 34, 'Output', '#f2f2f2', GRAY, 11)
    svg.arrow(80, 62, 108, 62)
    svg.arrow(190, 62, 218, 62)
    svg.arrow(280, 62, 308, 62)
    svg.arrow(350, 100, 350, 81)
    svg.arrow(390, 62, 398, 62)
    svg.text(150, 25, 'source, any length', 10, GRAY)
    svg.text(250, 25, 'fixed shape', 10, GRAY)
    svg.text(360, 25, 'target, any length', 10, GRAY)
    svg.save('encoder-decoder-overview.svg')


def unrolled():
    src = ['they', 'are', 'watching', '.', '<eos>']
    dec_in = ['<bos>', 'ils', 'regardent', '.']
    dec_out = ['ils', 'regardent', '.', '<eos>']
    svg = Svg(560, 170, 'An RNN encoder-decoder unrolled in time',
              'The encoder reads they are watching . <eos> one token per '
              'step; its final hidden state starts the decoder, which reads '
              '<bos> ils regardent . and predicts ils regardent . <eos>. The '
              'final encoder state is also given to every decoder step.')
    cw = 58
    for i, tok in enumerate(src):
        x = 10 + i * cw
        svg.box(x, 70, cw - 12, 30, 'RNN', '#dbe9f6', BLUE, 10)
        svg.text(x + (cw - 12) / 2, 125, tok, 10)
        svg.arrow(x + (cw - 12) / 2, 116, x + (cw - 12) / 2, 102)
        if i:
            svg.arrow(x - 12, 85, x - 1, 85)
    x0 = 10 + 5 * cw + 20
    svg.arrow(x0 - 32, 85, x0 - 1, 85, PURPLE)
    svg.text(x0 - 28, 60, 'state', 10, PURPLE)
    for i, (a, b) in enumerate(zip(dec_in, dec_out)):
        x = x0 + i * cw
        svg.box(x, 70, cw - 12, 30, 'RNN', '#fde3c8', ORANGE, 10)
        svg.text(x + (cw - 12) / 2, 125, a, 10)
        svg.arrow(x + (cw - 12) / 2, 116, x + (cw - 12) / 2, 102)
        svg.text(x + (cw - 12) / 2, 35, b, 10)
        svg.arrow(x + (cw - 12) / 2, 69, x + (cw - 12) / 2, 45)
        if i:
            svg.arrow(x - 12, 85, x - 1, 85)
    svg.text(150, 155, 'encoder', 11, BLUE, weight='bold')
    svg.text(x0 + 110, 155, 'decoder', 11, ORANGE, weight='bold')
    svg.save('seq2seq-unrolled.svg')


def layers():
    svg = Svg(420, 230, 'Layers of the RNN encoder-decoder',
              'The encoder is an embedding layer followed by recurrent '
              'layers. The decoder is an embedding layer, recurrent layers '
              'and a dense output layer. The encoder final state '
              'initialises the decoder recurrent layers and is also '
              'concatenated with every decoder input.')
    svg.box(30, 170, 140, 30, 'Embedding', '#dbe9f6', BLUE)
    svg.box(30, 100, 140, 40, 'Recurrent layers', '#dbe9f6', BLUE)
    svg.box(250, 170, 140, 30, 'Embedding', '#fde3c8', ORANGE)
    svg.box(250, 100, 140, 40, 'Recurrent layers', '#fde3c8', ORANGE)
    svg.box(250, 40, 140, 30, 'Dense', '#fde3c8', ORANGE)
    svg.arrow(100, 215, 100, 202)
    svg.arrow(100, 170, 100, 142)
    svg.arrow(320, 215, 320, 202)
    svg.arrow(320, 170, 320, 142)
    svg.arrow(320, 100, 320, 72)
    svg.arrow(320, 40, 320, 20)
    svg.arrow(170, 115, 248, 115, PURPLE)
    svg.text(210, 105, 'initial state', 9, PURPLE)
    svg.path('M170,130 C215,130 215,155 258,160', PURPLE, dash=True)
    svg.text(210, 150, 'context', 9, PURPLE)
    svg.text(100, 225, 'source tokens', 10, GRAY)
    svg.text(320, 225, 'decoder input', 10, GRAY)
    svg.text(320, 12, 'scores over target vocabulary', 10, GRAY)
    svg.text(100, 80, 'encoder', 11, BLUE, weight='bold')
    svg.save('seq2seq-layers.svg')


def predict():
    svg = Svg(440, 150, 'Greedy prediction with an RNN decoder',
              'The decoder starts from <bos>; at each step the most probable '
              'token (ils, regardent, ., <eos>) is emitted and fed back as '
              'the input of the next step, until <eos>.')
    outs = ['ils', 'regardent', '.', '<eos>']
    ins = ['<bos>'] + outs[:-1]
    cw = 95
    svg.text(20, 80, 'state', 10, PURPLE)
    svg.arrow(40, 80, 58, 80, PURPLE)
    for i, (a, b) in enumerate(zip(ins, outs)):
        x = 60 + i * cw
        svg.box(x, 65, 60, 30, 'RNN', '#fde3c8', ORANGE, 10)
        svg.text(x + 30, 130, a, 10)
        svg.arrow(x + 30, 120, x + 30, 97)
        svg.text(x + 30, 25, b, 10, weight='bold')
        svg.arrow(x + 30, 64, x + 30, 37)
        if i:
            svg.arrow(x - 35, 80, x - 1, 80)
        if i < 3:
            svg.path(f'M{x + 45},{25} C{x + 75},{25} {x + 75},{130} '
                     f'{x + cw + 12},{130}', GRAY, dash=True)
    svg.save('seq2seq-predict.svg')


def beam_tree():
    svg = Svg(470, 250, 'Beam search with beam size 2 on a toy table',
              'Step 1 keeps A (0.45) and B (0.30). Step 2 extends both and '
              'keeps the two best of eight: AB (0.18) and AC (0.158). Step 3 '
              'keeps AC<eos> (0.126, finished) and ABC (0.063); step 4 '
              'finishes ABC<eos> (0.0315). AC<eos> has the best score.')
    nodes = {'': (30, 125), 'A': (120, 70), 'B': (120, 180),
             'AB': (220, 40), 'AC': (220, 100),
             'AC<eos>': (330, 100), 'ABC': (330, 40),
             'ABC<eos>': (430, 40)}
    probs = {'A': '.45', 'B': '.30', 'AB': '.18', 'AC': '.158',
             'AC<eos>': '.126', 'ABC': '.063', 'ABC<eos>': '.0315'}
    edges = [('', 'A'), ('', 'B'), ('A', 'AB'), ('A', 'AC'),
             ('AC', 'AC<eos>'), ('AB', 'ABC'), ('ABC', 'ABC<eos>')]
    for a, b in edges:
        (x1, y1), (x2, y2) = nodes[a], nodes[b]
        svg.arrow(x1 + 26, y1, x2 - 28, y2, GRAY)
    for name, (x, y) in nodes.items():
        best = name == 'AC<eos>'
        label = name.replace('<eos>', '·') if name else '<bos>'
        svg.box(x - 26, y - 13, 52, 26, label or '<bos>',
                '#d8f0d8' if best else '#dbe9f6', GREEN if best else BLUE,
                10)
        if name in probs:
            svg.text(x, y + 22, probs[name], 9, GRAY)
    svg.text(120, 215, 'dropped at step 2: BA, BB, BC, B·', 9, RED)
    svg.text(235, 160, '· = <eos> (finished)', 9, GRAY, 'start')
    for i, x in enumerate([120, 220, 330, 430]):
        svg.text(x, 240, f'step {i + 1}', 10, GRAY)
    svg.save('beam-search-tree.svg')


if __name__ == '__main__':
    mt_arrays()
    encoder_decoder()
    unrolled()
    layers()
    predict()
    beam_tree()
