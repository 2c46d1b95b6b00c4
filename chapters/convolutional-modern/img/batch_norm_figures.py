"""Write the diagram of Section 8.5 (batch-norm) as SVG: run from this folder.

Style of the book: about 400 px wide, sans-serif, matplotlib's tab10
colours, each file with a <title> and a <desc>.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, INK, ORANGE  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def label(x, y, s, anchor='middle', size=12, color=INK, rotate=None):
    turn = f' transform="rotate({rotate} {x:g} {y:g})"' if rotate else ''
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}"{turn}>{s}</text>')


def map_cell(x, y, size, shaded, color):
    """One feature map (H x W values), drawn as a small stack of sheets."""
    out = []
    for k in (2, 1, 0):                       # back sheets first
        fill = color if shaded else '#ffffff'
        opacity = ' fill-opacity="0.35"' if shaded else ''
        out.append(f'<rect x="{x + 3 * k:g}" y="{y - 3 * k:g}" '
                   f'width="{size:g}" height="{size:g}" fill="{fill}"'
                   f'{opacity} stroke="{INK}" stroke-width="0.8"/>')
    return out


def panel(x0, y0, heading, shade, color, note):
    """A grid of 4 examples (rows) x 3 channels (columns)."""
    size, step = 26, 38
    body = [label(x0 + 1.5 * step, y0 - 28, heading, size=13)]
    for j in range(3):
        body.append(label(x0 + j * step + size / 2 + 3, y0 - 10,
                          f'c{j + 1}', size=11, color=GRAY))
    for i in range(4):
        body.append(label(x0 - 12, y0 + i * step + size / 2 + 4,
                          f'x{i + 1}', size=11, color=GRAY))
        for j in range(3):
            body += map_cell(x0 + j * step, y0 + i * step, size,
                             shade(i, j), color)
    body.append(label(x0 + 1.5 * step, y0 + 4 * step + 12, note, size=11))
    return body


def axes():
    width, height = 420, 250
    body = panel(60, 56, 'batch normalization', lambda i, j: j == 1, BLUE,
                 'one channel, all examples')
    body += panel(270, 56, 'layer normalization', lambda i, j: i == 1,
                  ORANGE, 'one example, all channels')
    body.append(label(20, 140, 'examples', size=11, color=GRAY, rotate=-90))
    body.append(label(210, 140, 'examples', size=11, color=GRAY, rotate=-90))
    svg('batch-norm-axes.svg', width, height,
        'Which values batch and layer normalization average over',
        'Two grids of four examples (rows) by three channels (columns); '
        'each cell is a small stack standing for one feature map. Left, '
        'batch normalization: the whole column of channel 2 is shaded, '
        'one mean and variance over all examples and positions. Right, '
        'layer normalization: the whole row of example 2 is shaded, one '
        'mean and variance over all channels and positions of that '
        'example.', body)


if __name__ == '__main__':
    axes()
