"""Write the diagrams of Section 13.7 (parameterserver) as SVG.

Run from any folder: the figure lands next to this script. Style of the
book: about 400 px wide, sans-serif, matplotlib's tab10 colours, a <title>
and a <desc>.
"""
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, INK, ORANGE, PURPLE, RED  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         RED: '#f6d1d1', PURPLE: '#e6dcef'}
SHARDS = [BLUE, ORANGE, GREEN, PURPLE]


def box(cx, cy, w, h, s, color, size=11):
    return [figure_svg.rect(cx - w / 2, cy - h / 2, w, h, fill=LIGHT[color],
                            stroke=color, rx=4),
            figure_svg.text(cx, cy + size / 3, s, font_size=size, fill=INK)]


def single(x0):
    """One server above four workers, with the bytes on each link."""
    body = box(x0 + 110, 44, 170, 30, 'server: sends, receives 4|g|', RED)
    for k in range(4):
        x, tx = x0 + 29 + 54 * k, x0 + 50 + 40 * k
        body += [figure_svg.rect(x - 24, 135, 48, 30, fill='#ffffff',
                                 stroke=INK, rx=4),
                 figure_svg.text(x, 154, f'w{k + 1}', font_size=11,
                                 fill=INK),
                 figure_svg.line(x - 6, 135, tx - 6, 60, color=GRAY),
                 figure_svg.line(tx + 6, 60, x + 6, 135, color=RED)]
    body.append(figure_svg.text(x0 + 110, 192, 'each worker: |g| up, |g| '
                                'down', font_size=11, fill=INK))
    return body


def sharded(x0):
    """Four workers on a circle, each owning a quarter, all pairs linked."""
    cx, cy, r = x0 + 110, 100, 66
    pos = [(cx + r * math.cos(math.pi / 4 + k * math.pi / 2),
            cy + r * math.sin(math.pi / 4 + k * math.pi / 2))
           for k in range(4)]
    body = []
    for a in range(4):
        for b in range(a + 1, 4):
            (x1, y1), (x2, y2) = pos[a], pos[b]
            body.append(figure_svg.line(x1, y1, x2, y2, tip=False,
                                        color=GRAY))
    for k, (x, y) in enumerate(pos):
        body += box(x, y, 84, 30, f'w{k + 1}: piece {k + 1}', SHARDS[k])
    body.append(figure_svg.text(cx, 192, 'each worker: 3|g|/4 out per phase', font_size=11, fill=INK))
    return body


def sharding():
    left, right = single(0), sharded(235)
    body = left + right + [
        figure_svg.text(110, 14, 'one server', font_size=12, fill=INK),
        figure_svg.text(345, 14, 'servers sharded over the workers',
                        font_size=12, fill=INK)]
    desc = ('Left: a single parameter server above four workers; every '
            'worker sends its gradient |g| up and receives the sum back, so '
            'the server sends and receives 4|g|. Right: four workers, each '
            'owning one quarter of the parameters and linked to all others; '
            'each sends three quarters of |g| to the owners during the push '
            'and as much during the pull.')
    figure_svg.write(HERE / 'parameterserver-sharding.svg',
                     figure_svg.document(470, 206, 'A single parameter '
                                         'server versus sharded servers',
                                         body, desc))


def rings():
    """Eight GPUs with four links each, split into two disjoint rings."""
    cx, cy, r = 200, 118, 84
    pos = [(cx + r * math.sin(2 * math.pi * k / 8),
            cy - r * math.cos(2 * math.pi * k / 8)) for k in range(8)]
    body = []
    for step, color in ((1, BLUE), (3, ORANGE)):
        for k in range(8):
            (x1, y1), (x2, y2) = pos[k], pos[(k + step) % 8]
            body.append(figure_svg.line(x1, y1, x2, y2, tip=False,
                                        color=color))
    for k, (x, y) in enumerate(pos):
        body += [figure_svg.rect(x - 17, y - 12, 34, 24, fill='#ffffff',
                                 stroke=INK, rx=4),
                 figure_svg.text(x, y + 4, f'{k}', font_size=11, fill=INK)]
    body += [figure_svg.text(cx, 16, 'ring A: 0-1-2-3-4-5-6-7-0 (blue)',
                             font_size=11, fill=BLUE),
             figure_svg.text(cx, 230, 'ring B: 0-3-6-1-4-7-2-5-0 (orange)',
                             font_size=11, fill=ORANGE)]
    desc = ('Eight GPUs on a circle. Every GPU has four links: to its two '
            'neighbours (blue) and to the GPUs three places away on either '
            'side (orange). The blue links form one ring through all eight '
            'GPUs and the orange links a second one; no link belongs to '
            'both, so two all-reduces, each over one half of the gradient, '
            'can run at the same time.')
    figure_svg.write(HERE / 'parameterserver-rings.svg',
                     figure_svg.document(400, 240, 'Two disjoint rings '
                                         'through eight GPUs', body, desc))


if __name__ == '__main__':
    sharding()
    rings()
