"""Write the diagrams of chapter 7 as SVG (run from this folder).

Style: about 400 px wide, sans-serif, matplotlib's tab10 colours. Every
number shown in a grid is computed here, so the figures agree with the
notebooks' outputs.
"""
import math
import pathlib
import random
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, BROWN, CYAN, GRAY, GREEN, INK, OLIVE, ORANGE,
                         PINK, PURPLE, RED)  # noqa: E402


def svg(width, height, title, body, font_size=13):
    return figure_svg.document(width, height, title, body,
                               font_size=font_size, marker='a')


text, rect = figure_svg.text, figure_svg.rect


def arrow(x1, y1, x2, y2, color=GRAY):
    return figure_svg.arrow(x1, y1, x2, y2, color, marker='a')


def grid(x, y, values, cell=24, shade=(), shade_color=BLUE, gray=(),
         fmt='{:g}', fills=None):
    """A table of numbers; `shade` and `gray` are sets of (row, col)."""
    out = []
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            fill, alpha = '#ffffff', 1.0
            if fills is not None:
                fill, alpha = fills[i][j]
            elif (i, j) in gray:
                fill = '#e6e6e6'
            if (i, j) in shade:
                fill, alpha = shade_color, 0.35
            opacity = f' fill-opacity="{alpha:.2f}"' if alpha < 1 else ''
            out.append(f'<rect x="{x + j * cell:g}" y="{y + i * cell:g}" '
                       f'width="{cell}" height="{cell}" fill="{fill}"'
                       f'{opacity} stroke="{INK}" stroke-width="0.8"/>')
            if v is not None:
                out.append(text(x + j * cell + cell / 2,
                                y + i * cell + cell / 2 + 4.5, fmt.format(v)))
    return out


def corr(X, K, stride=(1, 1)):
    kh, kw = K.shape
    h = (X.shape[0] - kh) // stride[0] + 1
    w = (X.shape[1] - kw) // stride[1] + 1
    return np.array([[(X[i * stride[0]:i * stride[0] + kh,
                         j * stride[1]:j * stride[1] + kw] * K).sum()
                      for j in range(w)] for i in range(h)])


X9 = np.array([[3, 1, 0], [2, 5, 1], [0, 2, 4]])      # input of 7.2 / 7.3
K4 = np.array([[2, 0], [1, -1]])                     # kernel of 7.2 / 7.3
P34 = np.array([[1, 4, 2, 0], [3, 0, 6, 1], [2, 5, 1, 3]])  # input of 7.5


# ---------------------------------------------------------------- 7.1
def scene_shapes(seed=3, width=380, height=230, n=70):
    """Random clutter plus one striped figure; returns (shapes, target)."""
    rng = random.Random(seed)
    colors = [BLUE, ORANGE, GREEN, PURPLE, BROWN, PINK, OLIVE, CYAN, GRAY]
    target = (262, 142)
    shapes = []
    while len(shapes) < n:
        x, y = rng.uniform(12, width - 12), rng.uniform(12, height - 12)
        if math.hypot(x - target[0], y - target[1]) < 22:
            continue
        shapes.append((rng.choice('cst'), x, y, rng.uniform(5, 10),
                       rng.choice(colors)))
    return shapes, target


def draw_shapes(shapes, target, dx=0, dy=0, scale=1.0):
    out = []
    for kind, x, y, r, c in shapes:
        x, y, r = dx + x * scale, dy + y * scale, r * scale
        if kind == 'c':
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                       f'fill="{c}" fill-opacity="0.7"/>')
        elif kind == 's':
            out.append(rect(x - r, y - r, 2 * r, 2 * r, fill=c, stroke='none',
                            fill_opacity=0.7))
        else:
            out.append(f'<polygon points="{x:.1f},{y - r:.1f} '
                       f'{x - r:.1f},{y + r:.1f} {x + r:.1f},{y + r:.1f}" '
                       f'fill="{c}" fill-opacity="0.7"/>')
    tx, ty = dx + target[0] * scale, dy + target[1] * scale
    s = scale
    out.append(f'<circle cx="{tx:.1f}" cy="{ty - 9 * s:.1f}" '
               f'r="{3.5 * s:.1f}" fill="#f2c9a0" stroke="{INK}" '
               'stroke-width="0.6"/>')
    for k in range(5):                          # red-white striped shirt
        out.append(rect(tx - 5 * s, ty - 5 * s + k * 2.4 * s, 10 * s,
                        2.4 * s, fill=RED if k % 2 == 0 else '#ffffff',
                        stroke='none'))
    out.append(rect(tx - 5 * s, ty - 5 * s, 10 * s, 12 * s, fill='none',
                    stroke=INK, stroke_width=0.6))
    return out


def whyconv_scene():
    shapes, target = scene_shapes()
    body = [rect(10, 10, 380, 230, fill='#fbfbfb', stroke=GRAY)]
    body += draw_shapes(shapes, target, dx=10, dy=10)
    body.append(f'<circle cx="{10 + target[0]}" cy="{10 + target[1] - 2}" '
                f'r="19" fill="none" stroke="{INK}" stroke-width="1.5" '
                'stroke-dasharray="4 3"/>')
    return svg(400, 250, 'A cluttered scene with one small striped figure',
               body)


def whyconv_sweep():
    shapes, target = scene_shapes()
    s = 0.55                                     # scene drawn at 55 %
    body = [rect(8, 30, 380 * s, 230 * s, fill='#fbfbfb', stroke=GRAY)]
    body += draw_shapes(shapes, target, dx=8, dy=30, scale=s)
    body.append(text(8 + 190 * s, 20, 'one detector, every position'))
    win = 40 * s                                 # window of 40 px
    for k, (wx, wy) in enumerate([(20, 20), (60, 20), (100, 20)]):
        body.append(rect(8 + wx * s, 30 + wy * s, win, win, fill='none',
                         stroke=INK, stroke_width=1.6 if k == 2 else 0.8,
                         stroke_dasharray='' if k == 2 else '3 2'))
    body.append(arrow(8 + 64 * s, 30 + 12 * s, 8 + 104 * s, 30 + 12 * s))
    # score grid: 8 x 5 window positions (stride 47 px, 40 px windows)
    rows, cols = 5, 8
    rng = random.Random(1)
    scores = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            cx, cy = 20 + j * 48, 20 + i * 48
            d = math.hypot(cx - target[0], cy - target[1])
            scores[i, j] = math.exp(-(d / 28) ** 2) + 0.12 * rng.random()
    scores /= scores.max()
    cell, gx, gy = 20, 232, 55
    fills = [[(BLUE, 0.08 + 0.92 * v) for v in row] for row in scores]
    body += grid(gx, gy, [[None] * cols] * rows, cell=cell, fills=fills)
    body.append(text(gx + cols * cell / 2, 20, 'score per position'))
    body.append(text(gx + cols * cell / 2, gy + rows * cell + 20,
                     'darker: more figure-like', font_size=11, fill=GRAY))
    body.append(arrow(8 + 380 * s + 6, 95, gx - 6, 95))
    return svg(400, 200, 'One detector swept over the scene, with the score '
               'of each window position', body)


# ---------------------------------------------------------------- 7.2
def corr2d_fig():
    Y = corr(X9, K4)
    body = [text(46, 20, 'input'), text(158, 20, 'kernel'),
            text(262, 20, 'output')]
    body += grid(10, 30, X9, shade={(0, 0), (0, 1), (1, 0), (1, 1)})
    body.append(text(95, 70, '⋆', font_size=30))
    body += grid(134, 42, K4, shade={(0, 0), (0, 1), (1, 0), (1, 1)},
                 shade_color=ORANGE)
    body.append(text(208, 70, '=', font_size=18))
    body += grid(238, 42, Y, shade={(0, 0)}, shade_color=GREEN)
    body.append(text(170, 125, '3·2 + 1·0 + 2·1 + 5·(−1) = 3', fill=INK))
    return svg(320, 140, 'Two-dimensional cross-correlation of a 3x3 input '
               'with a 2x2 kernel', body)


# ---------------------------------------------------------------- 7.3
def usage(n, k):
    u = np.zeros((n, n), dtype=int)
    for i in range(n - k + 1):
        for j in range(n - k + 1):
            u[i:i + k, j:j + k] += 1
    return u


def pad_usage():
    body, cell, n = [], 16, 10
    for t, k in enumerate([3, 5, 7]):
        u = usage(n, k)
        x0 = 10 + t * (n * cell + 15)
        fills = [[(BLUE, 0.05 + 0.6 * v / u.max()) for v in row] for row in u]
        body += grid(x0, 30, u, cell=cell, fills=fills)
        body.append(text(x0 + n * cell / 2, 20, f'{k}×{k} kernel',
                         font_size=13))
        body.append(text(x0 + n * cell / 2, 30 + n * cell + 20,
                         f'corner {u[0, 0]}, center {u[n // 2, n // 2]}',
                         font_size=12, fill=GRAY))
    return svg(20 + 3 * n * cell + 30, 30 + n * cell + 32,
               'How many windows use each pixel of a 10x10 input for 3x3, '
               '5x5 and 7x7 kernels', body, font_size=11)


def padded():
    P = np.zeros((5, 5), dtype=int)
    P[1:4, 1:4] = X9
    return P


def pad_zeros():
    P = padded()
    border = {(i, j) for i in range(5) for j in range(5)
              if i in (0, 4) or j in (0, 4)}
    Y = corr(P, K4)
    body = [text(70, 18, 'padded input'), text(176, 18, 'kernel'),
            text(294, 18, 'output')]
    body += grid(10, 28, P, gray=border, shade={(0, 0), (0, 1), (1, 0),
                                                (1, 1)})
    body.append(text(142, 92, '⋆', font_size=30))
    body += grid(152, 64, K4, shade={(0, 0), (0, 1), (1, 0), (1, 1)},
                 shade_color=ORANGE)
    body.append(text(222, 92, '=', font_size=18))
    body += grid(246, 40, Y, shade={(0, 0)}, shade_color=GREEN)
    return svg(350, 160, 'Zero padding of a 3x3 input before a 2x2 '
               'cross-correlation', body)


def pad_stride():
    P = padded()
    border = {(i, j) for i in range(5) for j in range(5)
              if i in (0, 4) or j in (0, 4)}
    Y = corr(P, K4, stride=(1, 2))                  # (4, 2)
    win_a = {(0, 2), (0, 3), (1, 2), (1, 3)}       # output (0, 1)
    body = [text(70, 18, 'padded input'), text(176, 18, 'kernel'),
            text(290, 18, 'output')]
    body += grid(10, 28, P, gray=border, shade=win_a)
    body += [rect(10 + 2 * 24, 28 + 3 * 24, 48, 48, fill=PURPLE,
                  stroke=PURPLE, fill_opacity=0.3, stroke_width=1.5)]
    body.append(text(142, 92, '⋆', font_size=30))
    body += grid(152, 64, K4, shade_color=ORANGE,
                 shade={(0, 0), (0, 1), (1, 0), (1, 1)})
    body.append(text(222, 92, '=', font_size=18))
    out = grid(266, 40, Y, shade={(0, 1)}, shade_color=BLUE)
    out += [rect(266 + 24, 40 + 3 * 24, 24, 24, fill=PURPLE, stroke=PURPLE,
                 fill_opacity=0.3, stroke_width=1.5)]
    body += out
    body.append(text(175, 168, 'strides: 1 row down, 2 columns right',
                     font_size=11, fill=GRAY))
    return svg(350, 178, 'Strided cross-correlation with strides 1 and 2',
               body)


# ---------------------------------------------------------------- 7.4
def chan_multi_in():
    X0 = np.zeros((4, 4), dtype=int)
    X0[:, 2:] = 1                                   # vertical edge
    X1 = np.zeros((4, 4), dtype=int)
    X1[2:, :] = 1                                   # horizontal edge
    K0 = np.array([[-1, 1], [-1, 1]])               # left-to-right step
    K1 = np.array([[-1, -1], [1, 1]])               # top-to-bottom step
    Y = corr(X0, K0) + corr(X1, K1)                 # (3, 3)
    win = {(1, 1), (1, 2), (2, 1), (2, 2)}
    body = [text(58, 18, 'input'), text(198, 18, 'kernel'),
            text(328, 18, 'output')]
    body.append(text(58, 32, '2 channels', font_size=11, fill=GRAY))
    body.append(text(198, 32, '2 channels', font_size=11, fill=GRAY))
    body += grid(10, 40, X0, shade=win)             # channel 0
    body += grid(10, 150, X1, shade=win)            # channel 1
    body += grid(174, 64, K0, shade={(0, 0), (0, 1), (1, 0), (1, 1)},
                 shade_color=ORANGE)
    body += grid(174, 174, K1, shade={(0, 0), (0, 1), (1, 0), (1, 1)},
                 shade_color=ORANGE)
    for y in (88, 198):
        body.append(text(136, y + 6, '⋆', font_size=30))
    body.append(f'<path d="M 232 88 L 250 88 L 250 198 L 232 198" '
                f'fill="none" stroke="{GRAY}" stroke-width="1.5"/>')
    body.append(arrow(250, 143, 280, 143))
    body.append(text(262, 136, '+', font_size=16))
    body += grid(286, 107, Y, cell=24, shade={(1, 1)}, shade_color=GREEN)
    body.append(text(190, 268, 'center window: '
                     '(1 + 1) + (1 + 1) = 4', font_size=11))
    return svg(370, 280, 'Cross-correlation of a two-channel image whose '
               'vertical and horizontal edges cross', body)


def stack(x, y, depth, size, colors, label):
    """Draw `depth` square maps of side `size`, offset diagonally."""
    out = []
    for k in range(depth):
        off = (depth - 1 - k) * 8
        out.append(rect(x + off, y - off, size, size, fill=colors[k],
                        stroke=INK, fill_opacity=0.35))
    out.append(text(x + size / 2 + (depth - 1) * 4, y + size + 18, label))
    return out


def chan_1x1():
    """2 input channels -> 3 output channels; one pixel followed through."""
    body = []
    body += stack(20, 70, 2, 60, [BLUE, ORANGE], '2 × h × w')
    px, py, c = 20 + 8 + 24, 70 - 8 + 24, 12       # shaded pixel (front map)
    for k in range(2):
        off = (1 - k) * 8
        body.append(rect(20 + off + 24, 70 - off + 24, c, c, fill=INK,
                         stroke=INK, fill_opacity=0.55))
    body.append(text(118, 106, '⋆', font_size=30))
    W = [['w₁₁', 'w₁₂'], ['w₂₁', 'w₂₂'], ['w₃₁', 'w₃₂']]
    colors = [BLUE, ORANGE]
    for o in range(3):
        for ch in range(2):
            body.append(rect(140 + ch * 30, 62 + o * 28, 24, 24,
                             fill=colors[ch], fill_opacity=0.35))
            body.append(text(152 + ch * 30, 79 + o * 28, W[o][ch],
                             font_size=11))
    body.append(text(167, 160, '3 × 2 × 1 × 1'))
    body.append(text(222, 106, '=', font_size=18))
    body += stack(250, 70, 3, 60, [PURPLE, BROWN, GREEN], '3 × h × w')
    for k in range(3):
        off = (2 - k) * 8
        body.append(rect(250 + off + 24, 70 - off + 24, c, c, fill=INK,
                         stroke=INK, fill_opacity=0.55))
    body.append(text(200, 30, 'the 2 values at a pixel become 3 values at '
                     'the same pixel', font_size=11, fill=GRAY))
    return svg(400, 170, 'A 1x1 convolution with 2 input and 3 output '
               'channels', body)


# ---------------------------------------------------------------- 7.5
def pool_max():
    Y = np.array([[P34[i:i + 2, j:j + 2].max() for j in range(3)]
                  for i in range(2)])
    body = [text(58, 18, 'input'), text(236, 18, 'output')]
    body += grid(10, 28, P34, shade={(0, 0), (0, 1), (1, 0), (1, 1)})
    body.append(text(140, 64, '2×2 max', font_size=12))
    body.append(arrow(112, 70, 172, 70))
    body += grid(200, 40, Y, shade={(0, 0)}, shade_color=GREEN)
    body.append(text(140, 122, 'max(1, 4, 3, 0) = 4', font_size=12))
    return svg(290, 135, 'Two-by-two max-pooling of a 3x4 input', body)


# ---------------------------------------------------------------- 7.6
def lenet_flow():
    body = []
    top = [(1, 56, '1@28×28', 'image'), (6, 56, '6@28×28', 'conv 5×5'),
           (6, 32, '6@14×14', 'avg pool'), (16, 26, '16@10×10', 'conv 5×5'),
           (16, 16, '16@5×5', 'avg pool')]
    x = 10
    centers = []
    for depth, size, label, op in top:
        d = min(depth, 4)
        y = 80 - size / 2
        colors = [BLUE] * d if depth > 1 else [GRAY]
        body += [rect(x + (d - 1 - k) * 5, y - (d - 1 - k) * 5, size, size,
                      fill=colors[k], fill_opacity=0.3) for k in range(d)]
        body.append(text(x + size / 2 + (d - 1) * 2.5, 80 + 44, label,
                         font_size=11))
        body.append(text(x + size / 2 + (d - 1) * 2.5, 20, op,
                         font_size=11, fill=GRAY))
        centers.append((x, x + size + (d - 1) * 5))
        x += size + (d - 1) * 5 + 24
    for (a0, a1), (b0, b1) in zip(centers, centers[1:]):
        body.append(arrow(a1 + 3, 80, b0 - 3, 80))
    # dense part on a second row, right to left flow avoided: left to right
    y2 = 175
    dense = [(400, 'flatten 400'), (120, 'dense 120'), (84, 'dense 84'),
             (10, 'dense 10: scores')]
    xs = [40, 135, 220, 305]
    for (n, label), xx in zip(dense, xs):
        h = 8 + 52 * n / 400
        body.append(rect(xx, y2 - h / 2, 22, h, fill=ORANGE,
                         fill_opacity=0.35))
        body.append(text(xx + 11, y2 + 44, label, font_size=11))
    for a, b in zip(xs, xs[1:]):
        body.append(arrow(a + 26, y2, b - 4, y2))
    last = centers[-1]
    body.append(f'<path d="M {last[1] - 8} 92 L {last[1] - 8} 140 L 51 140 '
                f'L 51 {y2 - 34}" fill="none" stroke="{GRAY}" '
                'stroke-width="1.5" marker-end="url(#a)"/>')
    return svg(400, 230, 'LeNet: two convolution blocks, then three dense '
               'layers', body)


def lenet_blocks():
    layers = [('input 28×28 image', GRAY),
              ('conv 5×5, 6 channels, pad 2', BLUE), ('sigmoid', GREEN),
              ('avg pool 2×2, stride 2', PURPLE),
              ('conv 5×5, 16 channels', BLUE), ('sigmoid', GREEN),
              ('avg pool 2×2, stride 2', PURPLE), ('flatten', GRAY),
              ('dense 120', ORANGE), ('sigmoid', GREEN),
              ('dense 84', ORANGE), ('sigmoid', GREEN),
              ('dense 10', ORANGE)]
    body, h, gap, x, w = [], 22, 6, 100, 200
    top = 10 + (len(layers) - 1) * (h + gap)
    for k, (label, color) in enumerate(layers):
        y = top - k * (h + gap)
        body.append(rect(x, y, w, h, fill=color, fill_opacity=0.25,
                         stroke=color, rx=4))
        body.append(text(x + w / 2, y + h / 2 + 4.5, label))
        if k:
            body.append(arrow(x + w / 2, y + h + gap - 0.5, x + w / 2,
                              y + h + 1))
    for k0, k1, label in [(1, 3, 'block 1'), (4, 6, 'block 2')]:
        y0 = top - k1 * (h + gap)
        y1 = top - k0 * (h + gap) + h
        body.append(f'<path d="M {x - 8} {y0} L {x - 14} {y0} L {x - 14} '
                    f'{y1} L {x - 8} {y1}" fill="none" stroke="{INK}"/>')
        body.append(text(x - 20, (y0 + y1) / 2 + 4, label, anchor='end',
                         font_size=11))
    return svg(400, top + h + 12, 'LeNet in compact notation, one box per '
               'layer, read from bottom to top', body, font_size=12)


FIGURES = {
    'whyconv-scene.svg': whyconv_scene, 'whyconv-sweep.svg': whyconv_sweep,
    'corr2d.svg': corr2d_fig, 'pad-usage.svg': pad_usage,
    'pad-zeros.svg': pad_zeros, 'pad-stride.svg': pad_stride,
    'chan-multi-in.svg': chan_multi_in, 'chan-1x1.svg': chan_1x1,
    'pool-max.svg': pool_max, 'lenet-flow.svg': lenet_flow,
    'lenet-blocks.svg': lenet_blocks,
}

if __name__ == '__main__':
    for name, make in FIGURES.items():
        with open(name, 'w') as f:
            f.write(make())
