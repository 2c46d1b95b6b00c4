"""Write the diagrams of Section 8.1 (alexnet) as SVG: run from this folder.

The drawing helpers here are shared by vgg_figures.py, nin_figures.py and
googlenet_figures.py. Style of the chapter: about 400 px wide, sans-serif,
matplotlib's tab10 colors as light fills with a colored outline, one file
per figure, each with a <title> and a <desc>. Colors code the layer type:
blue convolution, purple pooling, orange dense, gray input and reshaping,
red merging of branches.
"""
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, INK, ORANGE, PURPLE, RED  # noqa: E402

LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         RED: '#f6d1d1', PURPLE: '#e6dcef', GRAY: '#e6e6e6'}
HERE = pathlib.Path(__file__).resolve().parent


def write_svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def text(x, y, s, anchor='middle', size=12, color=INK, weight=''):
    bold = f' font-weight="{weight}"' if weight else ''
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}"{bold}>{s}</text>')


def box(x, y, w, h, s, color=BLUE, size=11):
    """A rounded box with top-left corner (x, y) and one centred label."""
    return [f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
            f'rx="4" fill="{LIGHT[color]}" stroke="{color}"/>',
            text(x + w / 2, y + h / 2 + size / 3, s, size=size)]


def arrow(x1, y1, x2, y2, color=GRAY):
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" '
            f'stroke="{color}" stroke-width="1.5" marker-end="url(#tip)"/>')


def polyline(points, color=GRAY, tip=True):
    d = ' '.join(f'{"M" if i == 0 else "L"}{x:g},{y:g}'
                 for i, (x, y) in enumerate(points))
    end = ' marker-end="url(#tip)"' if tip else ''
    return (f'<path d="{d}" fill="none" stroke="{color}" '
            f'stroke-width="1.5"{end}/>')


def brace(x, y0, y1, s, side='left', size=11):
    """A square bracket from y0 to y1 beside a column, with a label."""
    d = -6 if side == 'left' else 6
    out = [polyline([(x, y0), (x + d, y0), (x + d, y1), (x, y1)],
                    color=INK, tip=False)]
    tx = x + 2 * d
    out.append(text(tx, (y0 + y1) / 2 + 4, s, size=size,
                    anchor='end' if side == 'left' else 'start'))
    return out


def stack(x, bottom, w, layers, h=22, gap=8):
    """Boxes from bottom to top, joined by arrows.

    `layers` lists (label, color); returns (elements, [top y of each box]).
    """
    out, tops = [], []
    for k, (label, color) in enumerate(layers):
        y = bottom - h - k * (h + gap)
        out += box(x, y, w, h, label, color)
        if k:
            out.append(arrow(x + w / 2, y + h + gap, x + w / 2, y + h + 1))
        tops.append(y)
    return out, tops


# ---------------------------------------------------------------- 8.1
LENET = [('image 28×28 (1 channel)', GRAY),
         ('5×5 conv, 6, pad 2', BLUE),
         ('2×2 avg-pool, stride 2', PURPLE),
         ('5×5 conv, 16', BLUE),
         ('2×2 avg-pool, stride 2', PURPLE),
         ('dense 120', ORANGE), ('dense 84', ORANGE), ('dense 10', ORANGE)]

ALEXNET = [('image 224×224 (3 channels)', GRAY),
           ('11×11 conv, 96, stride 4', BLUE),
           ('3×3 max-pool, stride 2', PURPLE),
           ('5×5 conv, 256, pad 2', BLUE),
           ('3×3 max-pool, stride 2', PURPLE),
           ('3×3 conv, 384, pad 1', BLUE),
           ('3×3 conv, 384, pad 1', BLUE),
           ('3×3 conv, 256, pad 1', BLUE),
           ('3×3 max-pool, stride 2', PURPLE),
           ('dense 4096, dropout', ORANGE),
           ('dense 4096, dropout', ORANGE),
           ('dense 1000', ORANGE)]


def lenet_vs_alexnet():
    h, gap = 22, 8
    height = 56 + len(ALEXNET) * (h + gap)
    bottom = height - 10
    body = []
    for x, layers, name, act in [(20, LENET, 'LeNet-5', 'sigmoid'),
                                 (230, ALEXNET, 'AlexNet', 'ReLU')]:
        elements, tops = stack(x, bottom, 170, layers)
        body += elements
        body.append(text(x + 85, tops[-1] - 26, name, size=13, weight='bold'))
        body.append(text(x + 85, tops[-1] - 10, f'{act} activations',
                         size=10, color=GRAY))
    write_svg('alexnet-lenet-vs-alexnet.svg', 420, height,
              'LeNet-5 and AlexNet side by side',
              'Two columns of layers read from bottom to top. Left, LeNet-5: '
              'a 28x28 gray image, a 5x5 convolution with 6 channels, 2x2 '
              'average pooling, a 5x5 convolution with 16 channels, 2x2 '
              'average pooling, then dense layers with 120, 84 and 10 '
              'outputs, with sigmoid activations. Right, AlexNet: a '
              '224x224 color image, an 11x11 convolution with 96 channels '
              'and stride 4, 3x3 max-pooling with stride 2, a 5x5 '
              'convolution with 256 channels, 3x3 max-pooling, three 3x3 '
              'convolutions with 384, 384 and 256 channels, 3x3 '
              'max-pooling, two dense layers of 4096 outputs with dropout '
              'and a dense layer with 1000 outputs, with ReLU activations.',
              body)


def _gabor(size, theta, wavelength, phase, sigma):
    c = (size - 1) / 2
    out = []
    for i in range(size):
        row = []
        for j in range(size):
            x, y = j - c, i - c
            u = x * math.cos(theta) + y * math.sin(theta)
            g = math.exp(-(x * x + y * y) / (2 * sigma * sigma))
            row.append(g * math.cos(2 * math.pi * u / wavelength + phase))
        out.append(row)
    return out


def _blob(size, sigma, sign=1.0):
    c = (size - 1) / 2
    return [[sign * (math.exp(-((j - c) ** 2 + (i - c) ** 2)
                              / (2 * sigma ** 2))
                     - 0.5 * math.exp(-((j - c) ** 2 + (i - c) ** 2)
                                      / (8 * sigma ** 2)))
             for j in range(size)] for i in range(size)]


def _color(v, tint):
    """Map v in [-1, 1] to a gray (tint None) or a two-color opponent."""
    v = max(-1.0, min(1.0, v))
    if tint is None:
        g = round(127.5 + 127.5 * v)
        return f'#{g:02x}{g:02x}{g:02x}'
    (r1, g1, b1), (r2, g2, b2) = tint
    t = (v + 1) / 2
    rgb = [round(a + (b - a) * t) for a, b in ((r1, r2), (g1, g2),
                                                  (b1, b2))]
    return '#' + ''.join(f'{c:02x}' for c in rgb)


def filters():
    size, cell, pad = 11, 4, 8
    side = size * cell
    red_green = ((40, 170, 60), (220, 50, 50))
    blue_yellow = ((40, 70, 200), (235, 215, 60))
    patches = []
    for k, theta in enumerate([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4]):
        patches.append((_gabor(size, theta, 6, 0, 2.6), None))
        patches.append((_gabor(size, theta + 0.3, 3.5, math.pi / 2, 2.2),
                        None))
    patches += [(_gabor(size, 0.5, 8, 0, 3.0), red_green),
                (_gabor(size, 2.0, 8, 0, 3.0), blue_yellow),
                (_blob(size, 1.6), red_green),
                (_blob(size, 1.6, -1.0), blue_yellow),
                (_blob(size, 2.4), blue_yellow),
                (_gabor(size, 1.1, 5, math.pi / 2, 2.5), red_green),
                (_gabor(size, 2.6, 4, 0, 2.0), blue_yellow),
                (_blob(size, 2.2, -1.0), red_green)]
    cols, levels = 8, 8
    cells, frames = {}, []     # one path per color keeps the file small
    for n, (values, tint) in enumerate(patches):
        peak = max(abs(v) for row in values for v in row) or 1.0
        x0 = 12 + (n % cols) * (side + pad)
        y0 = 12 + (n // cols) * (side + pad)
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                v = round(v / peak * levels) / levels
                cells.setdefault(_color(v, tint), []).append(
                    f'M{x0 + j * cell},{y0 + i * cell}h{cell}v{cell}'
                    f'h-{cell}z')
        frames.append(f'<rect x="{x0}" y="{y0}" width="{side}" '
                      f'height="{side}" fill="none" stroke="{INK}" '
                      'stroke-width="0.5"/>')
    body = [f'<path fill="{color}" d="{"".join(parts)}"/>'
            for color, parts in sorted(cells.items())] + frames
    rows = math.ceil(len(patches) / cols)
    width = 24 + cols * side + (cols - 1) * pad
    height = 24 + rows * side + (rows - 1) * pad + 18
    body.append(text(width / 2, height - 8, 'top row: gray edges and '
                     'gratings · bottom row: color-opponent patterns',
                     size=10, color=GRAY))
    write_svg('alexnet-filters.svg', width, height,
              'Patterns of the kind a first convolution layer learns',
              'Sixteen synthetic 11x11 patches, computed from formulas. '
              'The eight in the top row are gray oriented stripes at four '
              'angles and two widths, as edge and grating detectors look. '
              'The eight in the bottom row are color patterns: '
              'red-green and blue-yellow stripes and round blobs with a '
              'surround of the opposite color.', body)


FIGURES = {'alexnet-lenet-vs-alexnet.svg': lenet_vs_alexnet,
           'alexnet-filters.svg': filters}

if __name__ == '__main__':
    for make in FIGURES.values():
        make()
