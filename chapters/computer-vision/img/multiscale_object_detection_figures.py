"""Write the diagram of Section 14.5 (multiscale-object-detection) as SVG:
run from this folder.

Grids and receptive fields of the section's four blocks (3x3 convolution
with padding 1, ReLU, 2x2 average pooling), drawn on one axis of input
pixels: each block's positions are j pixels apart, and the receptive field
of its marked position, r pixels wide, follows the recursion of the text
(r_l = r_{l-1} + (k - 1) j_{l-1}, j_l = s j_{l-1}), in the book's figure
style (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, INK, ORANGE, rect, text  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
LIGHT_BLUE, LIGHT_ORANGE = '#d2e3f0', '#ffe2c8'


def blocks(num_blocks):
    """(step j, receptive field r) after each block, by the recursion."""
    r, j, out = 1, 1, []
    for _ in range(num_blocks):
        r, j = r + 2 * j, j          # 3x3 convolution, stride 1
        r, j = r + j, 2 * j          # 2x2 pooling, stride 2
        out.append((j, r))
    return out


def receptive_field_figure():
    """One row of positions per block over 48 input pixels, labelled above
    and with the receptive field of one position drawn under it."""
    n, px, x0 = 48, 8, 12                 # input pixels, SVG units per pixel
    top, row_h = 40, 58
    width, height = 2 * x0 + n * px, top + 5 * row_h - 8
    body = [text(x0, 18, 'input pixels (one axis)', anchor='start',
                 font_size=12, fill=GRAY)]
    rows = [('input', 1, 1)] + [(f'block {i}', j, r)
                                for i, (j, r) in enumerate(blocks(4), 1)]
    for row, (name, j, r) in enumerate(rows):
        y = top + row * row_h             # baseline of the row's labels
        unit = (n // j - 1) // 2          # the middle (left of it if even)
        body += [text(x0, y, f'{name}: {n // j} positions, j = {j}',
                      anchor='start', font_size=12, fill=INK),
                 text(x0 + n * px, y, f'receptive field r = {r}',
                      anchor='end', font_size=12, fill=ORANGE)]
        for u in range(n // j):
            fill = LIGHT_ORANGE if u == unit else LIGHT_BLUE
            body.append(rect(x0 + u * j * px, y + 6, j * px, 16, fill=fill,
                             stroke=BLUE if u != unit else ORANGE,
                             stroke_width=1))
        start = unit * j - (r - j) // 2                  # first pixel seen
        body.append(rect(x0 + start * px, y + 27, r * px, 8, fill=ORANGE,
                         stroke='none', fill_opacity=0.8))
    figure_svg.write(
        HERE / 'multiscale-object-detection-rf.svg', figure_svg.document(
            width, height, 'Grids and receptive fields of four blocks', body,
            'Each row shows the positions of one block along one axis of a '
            '48-pixel input: 48, 24, 12, 6 and 3 positions, j = 1, 2, 4, 8 '
            'and 16 pixels apart. Under the marked position of each row, a '
            'bar shows the input pixels it depends on: 1, 4, 10, 22 and 46 '
            'pixels.'))


if __name__ == '__main__':
    receptive_field_figure()
