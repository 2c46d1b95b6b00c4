"""Write the diagrams of Section 13.4 (hardware) as SVG: run from this
folder (`python hardware_figures.py`).

hardware-machine.svg: the parts of a deep learning server and the rates of
the links between them.
hardware-ladder.svg: the times of the section's table on one logarithmic
axis, one row per entry.
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


if __name__ == '__main__':
    machine()
    ladder()
