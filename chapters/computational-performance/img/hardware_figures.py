"""Write the diagrams of Section 13.4 (hardware) as SVG: run from this
folder (`python hardware_figures.py`).

hardware-machine.svg: the parts of a deep learning server and the rates of
the links between them.
hardware-ladder.svg: the times of the section's table on one logarithmic
axis, one row per entry.
hardware-systolic.svg: a 4 x 4 systolic array computing y = x W, with the
weights held in the cells, inputs moving right and partial sums moving down.
"""
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]
                       / 'tools'))
import figure_svg  # noqa: E402
from figure_svg import BLUE, ORANGE, GREEN, GRAY, PURPLE, INK  # noqa: E402
from figure_svg import text, rect, line  # noqa: E402

# the rows of the table in hardware.md: (what, seconds, from Dean's talk)
TIMES = [('L1 cache reference', 0.5e-9, True),
         ('mispredicted branch', 5e-9, True),
         ('L2 cache reference', 7e-9, True),
         ('mutex lock and unlock', 25e-9, True),
         ('main memory reference', 100e-9, True),
         ('1 MB from H200 HBM3e', 0.2e-6, False),
         ('1 MB over NVLink (H100)', 2.2e-6, False),
         ('1 MB over PCIe 5.0 x16', 16e-6, False),
         ('2 kB over 1 Gbit/s Ethernet', 20e-6, True),
         ('1 MB from a DDR5-4800 channel', 26e-6, False),
         ('1 MB over PCIe 4.0 x16', 32e-6, False),
         ('1 MB over 100 Gbit/s Ethernet', 80e-6, False),
         ('1 MB from NVMe (PCIe 4.0 x4)', 127e-6, False),
         ('1 MB sequentially from memory', 250e-6, True),
         ('round trip in a datacenter', 500e-6, True),
         ('disk seek', 10e-3, True),
         ('1 MB sequentially from disk', 20e-3, True),
         ('California-Netherlands-California', 150e-3, True)]


def box(x, y, w, h, lines, color):
    """A tinted box with one or two centred lines of text."""
    out = [rect(x, y, w, h, fill=color, stroke=color, fill_opacity='0.3')]
    top = y + h / 2 + 4 - 7 * (len(lines) - 1)
    for k, s in enumerate(lines):
        out.append(text(x + w / 2, top + 14 * k, s, fill=INK))
    return out


def machine():
    body = box(12, 104, 84, 48, ['main', 'memory'], GREEN)
    body += box(150, 96, 100, 64, ['CPU', 'cores, caches'], BLUE)
    body += [line(96, 128, 150, 128, tip=False, color=INK),
             text(123, 176, 'DDR5: 38.4 GB/s', font_size=10),
             text(123, 188, 'per channel', font_size=10)]
    # devices on PCIe, one link each from the CPU
    devices = [(20, ['GPU'], ORANGE, 'PCIe 5.0 x16: 63 GB/s'),
               (84, ['GPU'], ORANGE, 'PCIe 5.0 x16: 63 GB/s'),
               (160, ['NVMe SSD'], GRAY, 'PCIe 4.0 x4: 7.9 GB/s'),
               (220, ['network', 'card'], PURPLE, '100 Gbit/s: 12.5 GB/s')]
    for y, name, color, label in devices:
        body += box(400, y, 84, 40, name, color)
        body += [figure_svg.path([(250, 128), (290, 128), (290, y + 20),
                                  (400, y + 20)], tip=False, color=INK),
                 text(345, y + 15, label, font_size=10)]
    for y in (20, 84):                          # each GPU's own memory
        body += box(520, y, 64, 40, ['HBM', '4,800 GB/s'], ORANGE)
        body.append(line(484, y + 20, 520, y + 20, tip=False, color=INK))
    body += [line(442, 60, 442, 84, tip=False, color=ORANGE),
             text(438, 76, 'NVLink: 450 GB/s', anchor='end', font_size=10),
             line(484, 240, 520, 240, tip=False, color=INK),
             text(550, 244, 'others', font_size=11)]
    desc = ('Block diagram. Main memory connects to the CPU over DDR5 at '
            '38.4 GB/s per channel. From the CPU, PCIe links lead to two '
            'GPUs (PCIe 5.0 x16, 63 GB/s each), an NVMe SSD (PCIe 4.0 x4, '
            '7.9 GB/s) and a network card (100 Gbit/s, 12.5 GB/s) that '
            'leads to other machines. Each GPU has its own HBM memory at '
            '4,800 GB/s, and the two GPUs are joined by NVLink at 450 GB/s '
            'per direction.')
    figure_svg.write('hardware-machine.svg', figure_svg.document(
        596, 270, 'The links of a deep learning server', body, desc,
        font_size=11))


def ladder():
    x0, per_decade, row = 236, 30, 17         # axis from 1e-10 s (0.1 ns)
    top = 16
    rows = sorted(TIMES, key=lambda r: r[1])
    height = top + row * len(rows) + 40

    def x_of(seconds):
        return x0 + per_decade * (math.log10(seconds) + 10)

    body = []
    for decade, label in ((-9, '1 ns'), (-6, '1 us'), (-3, '1 ms'),
                          (0, '1 s')):
        x = x_of(10.0 ** decade)
        body += [f'<path d="M{x:g},{top - 6} V{height - 34}" stroke="{GRAY}"'
                 ' stroke-width="0.6" stroke-dasharray="2,3"/>',
                 text(x, height - 20, label.replace('us', '\u00b5s'),
                      font_size=11, fill=GRAY)]
    for k, (what, seconds, dean) in enumerate(rows):
        y = top + row * k + 6
        color = BLUE if dean else ORANGE
        body += [text(x0 - 10, y + 4, what, anchor='end', font_size=11),
                 line(x0, y, x_of(seconds), y, tip=False, color=color),
                 f'<circle cx="{x_of(seconds):.1f}" cy="{y}" r="3.5" '
                 f'fill="{color}"/>']
    body += [text(x0, height - 4, 'blue: Dean (2010); orange: from the '
                  'specifications', anchor='start', font_size=10, fill=GRAY)]
    desc = ('One row per entry of the table, sorted by time, with a dot on '
            'a logarithmic axis from 0.1 nanoseconds to 1 second: '
            + '; '.join(f'{w} {s:.1e} s' for w, s, _ in rows) + '.')
    figure_svg.write('hardware-ladder.svg', figure_svg.document(
        x0 + per_decade * 10 + 16, height, 'How long things take', body,
        desc))


def sub(name, index):
    """A letter with a lowered index, e.g. w with 12."""
    return f'{name}<tspan dy="3" font-size="9">{index}</tspan>'


def marker(name, color):
    """An arrow head in `color`, for arrows drawn in that colour."""
    return (f'<defs><marker id="{name}" viewBox="0 0 10 10" refX="9" '
            'refY="5" markerWidth="6" markerHeight="6" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker></defs>')


def systolic(n=4, cell=46, gap=22):
    x0, y0 = 76, 56                           # top-left corner of the grid
    step = cell + gap
    body = [marker('tip-in', BLUE), marker('tip-sum', ORANGE)]
    for i in range(n):                        # row i: input x_i, weights
        for j in range(n):                    # column j: output y_j
            x, y = x0 + j * step, y0 + i * step
            body += [rect(x, y, cell, cell, fill=GREEN, stroke=GREEN,
                          fill_opacity='0.3'),
                     text(x + cell / 2, y + cell / 2 + 3,
                          sub('w', f'{i + 1}{j + 1}'), fill=INK)]
            if j < n - 1:                     # input on to the right
                body.append(figure_svg.arrow(x + cell + 2, y + 17,
                                             x + step - 2, y + 17, BLUE,
                                             'tip-in'))
            if i < n - 1:                     # partial sum on downwards
                body.append(figure_svg.arrow(x + 30, y + cell + 2,
                                             x + 30, y + step - 2, ORANGE,
                                             'tip-sum'))
        y = y0 + i * step
        body += [text(x0 - 40, y + 21, sub('x', i + 1), anchor='end',
                      fill=BLUE),
                 figure_svg.arrow(x0 - 34, y + 17, x0 - 2, y + 17, BLUE,
                                  'tip-in')]
    bottom = y0 + n * step - gap
    for j in range(n):
        x = x0 + j * step + 30
        body += [text(x, y0 - 26, '0', fill=ORANGE),
                 figure_svg.arrow(x, y0 - 20, x, y0 - 2, ORANGE, 'tip-sum'),
                 figure_svg.arrow(x, bottom + 2, x, bottom + 22, ORANGE,
                                  'tip-sum'),
                 text(x, bottom + 38, sub('y', j + 1), fill=ORANGE)]
    # one cell enlarged: what it does in every step
    cx, cy = x0 + n * step + 60, y0 + 70
    body += [text(cx + 23, cy - 52, 'every step, one cell:', font_size=10,
                  fill=GRAY),
             text(cx + 30, cy - 30, 's', fill=ORANGE),
             figure_svg.arrow(cx + 30, cy - 24, cx + 30, cy - 2, ORANGE,
                              'tip-sum'),
             figure_svg.arrow(cx - 30, cy + 17, cx - 2, cy + 17, BLUE,
                              'tip-in'),
             text(cx - 36, cy + 21, 'x', anchor='end', fill=BLUE),
             rect(cx, cy, cell, cell, fill=GREEN, stroke=GREEN,
                  fill_opacity='0.3'),
             text(cx + cell / 2, cy + cell / 2 + 3, 'w', fill=INK),
             figure_svg.arrow(cx + cell + 2, cy + 17, cx + cell + 30,
                              cy + 17, BLUE, 'tip-in'),
             text(cx + cell + 36, cy + 21, 'x', anchor='start', fill=BLUE),
             figure_svg.arrow(cx + 30, cy + cell + 2, cx + 30, cy + cell + 24,
                              ORANGE, 'tip-sum'),
             text(cx + 30, cy + cell + 40, 's + w x', fill=ORANGE)]
    body.append(text(x0 - 50, bottom + 64, 'Row i starts one step after '
                     'row i \u2212 1, so that its input meets the partial '
                     'sum coming down.', anchor='start', font_size=10,
                     fill=GRAY))
    desc = ('A 4 by 4 grid of cells; the cell in row i and column j holds '
            'the weight w_ij. Inputs x_1 to x_4 enter the rows from the '
            'left and are passed to the right from cell to cell. Partial '
            'sums start as 0 at the top of every column, move down, and '
            'leave at the bottom as the outputs y_1 to y_4. An enlarged '
            'cell shows one step: it receives x from the left and a partial '
            'sum s from above, passes x on to the right and s + w x down. '
            'Row i starts one step after row i - 1, so that its input meets '
            'the partial sum coming down.')
    figure_svg.write('hardware-systolic.svg', figure_svg.document(
        x0 + n * step + 200, bottom + 76, 'A 4 by 4 systolic array computing'
        ' y = x W', body, desc))


if __name__ == '__main__':
    machine()
    ladder()
    systolic()
