"""Write the diagrams of Section 14.10 (transposed-conv) as SVG: run from
this folder.

A transposed convolution as the sum of scaled kernel copies, with stride 1
and with stride 2, on the section's own input and kernel (the values are
computed here), in the book's figure style (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE,  # noqa: E402
                        rect, text)

HERE = pathlib.Path(__file__).resolve().parent
COLORS = [BLUE, ORANGE, GREEN, PURPLE]        # one per input element
LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         PURPLE: '#e2d7ee'}

# the section's example
X = [[2, -1], [1, 3]]
K = [[1, 0, 2], [-1, 1, 0]]


def fmt(v):
    """An integer-valued number as text, with a true minus sign."""
    return f'{v:g}'.replace('-', '−')


def grid(x0, y0, values, cell, fills=None, gray_zero=False, size=12):
    """A table of numbers with its top-left corner at (x0, y0)."""
    out = []
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            fill = fills[i][j] if fills else '#ffffff'
            out.append(rect(x0 + j * cell, y0 + i * cell, cell, cell,
                            fill=fill, stroke=GRAY))
            faint = gray_zero and fill == '#ffffff'
            out.append(text(x0 + (j + 0.5) * cell,
                            y0 + (i + 0.5) * cell + size / 3,  # baseline
                            fmt(v), font_size=size,
                            fill=GRAY if faint else INK))
    return out


def scatter(stride):
    """The scaled copies (one grid per input element) and their sum."""
    k_h, k_w = len(K), len(K[0])
    h, w = (len(X) - 1) * stride + k_h, (len(X[0]) - 1) * stride + k_w
    copies, total = [], [[0] * w for _ in range(h)]
    for i, row in enumerate(X):
        for j, x in enumerate(row):
            values = [[0] * w for _ in range(h)]
            fills = [['#ffffff'] * w for _ in range(h)]
            color = COLORS[i * len(row) + j]
            for a in range(k_h):
                for b in range(k_w):
                    r, c = stride * i + a, stride * j + b
                    values[r][c] = x * K[a][b]
                    fills[r][c] = LIGHT[color]
                    total[r][c] += x * K[a][b]
            copies.append((i, j, x, color, values, fills))
    return copies, total


def scatter_figure(stride, name, title, desc):
    """Input and kernel, the four copies in a 2 by 2 block, the output."""
    copies, total = scatter(stride)
    h, w = len(total), len(total[0])
    c = 20                                     # cell of the copy grids
    gap = 20                                   # between the copy grids
    left, e = 12, 20                           # margin; cell of X and K
    x_copies = left + 3 * e + 28
    ox = x_copies + 2 * w * c + gap + 36       # left edge of the output
    width = ox + w * c + 12
    height = 48 + 2 * h * c + gap + 14
    body = [text(left + e, 30, 'input X', font_size=12),
            text(left + 1.5 * e, 30 + 2 * e + 36, 'kernel K', font_size=12)]
    fills = [[LIGHT[COLORS[i * 2 + j]] for j in range(2)] for i in range(2)]
    body += grid(left, 38, X, e, fills, size=12)
    body += grid(left, 38 + 2 * e + 48, K, e, size=12)
    for n, (i, j, x, color, values, fills) in enumerate(copies):
        gx = x_copies + (n % 2) * (w * c + gap)
        gy = 48 + (n // 2) * (h * c + gap)
        label = f'({fmt(x)}) · K' if x < 0 else f'{fmt(x)} · K'
        body.append(text(gx + w * c / 2, gy - 6, label,
                         font_size=12, fill=color, font_weight='bold'))
        body += grid(gx, gy, values, c, fills, gray_zero=True, size=12)
        if n != 0:                             # + before every copy but one
            plus_x = gx - gap / 2 if n % 2 else gx - 14
            body.append(text(plus_x, gy + h * c / 2 + 6, '+', font_size=16))
    oy = 48 + h * c + gap / 2 - h * c / 2
    body.append(text(ox - 18, oy + h * c / 2 + 6, '=', font_size=18))
    body.append(text(ox + w * c / 2, oy - 8, 'output Y', font_size=12))
    body += grid(ox, oy, total, c, size=12)
    figure_svg.write(HERE / name, figure_svg.document(
        width, height, title, body, desc))


if __name__ == '__main__':
    scatter_figure(
        1, 'transposed-conv-scatter.svg',
        'Transposed convolution with stride 1 as a sum of kernel copies',
        'The 2 by 2 input [[2, −1], [1, 3]] and the 2 by 3 kernel '
        '[[1, 0, 2], [−1, 1, 0]]. Each input element multiplies the kernel; '
        'the copy is placed at the element\'s offset in a 3 by 4 grid of '
        'zeros. The four grids add up to the output [[2, −1, 4, −2], '
        '[−1, 6, 1, 6], [−1, −2, 3, 0]].')
    scatter_figure(
        2, 'transposed-conv-stride.svg',
        'Transposed convolution with stride 2 as a sum of kernel copies',
        'The same input and kernel with stride 2: the copy of element '
        '(i, j) is placed at offset (2i, 2j) in a 4 by 5 grid. The copies '
        'do not overlap in rows and overlap in the middle column only. The '
        'sum is [[2, 0, 3, 0, −2], [−2, 2, 1, −1, 0], [1, 0, 5, 0, 6], '
        '[−1, 1, −3, 3, 0]].')
