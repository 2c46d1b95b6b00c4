"""Write the diagrams of Sections 13.1 (hybridize) and 13.2
(async-computation) as SVG: run from this folder
(`python hybridize_async_figures.py`).

hybridize-fusion.svg: the GELU graph run eagerly, one kernel and one
    intermediate tensor per node, next to one fused kernel.
hybridize-compile.svg: the stages of torch.compile and of torch.export.
async-queue.svg: a frontend queueing work for a backend, on a timeline.
async-deps.svg: the dependency graph of Section 13.2's example.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]
                       / 'tools'))
import figure_svg  # noqa: E402
from figure_svg import (BLUE, ORANGE, GREEN, RED, GRAY, INK,  # noqa: E402
                        arrow, line, rect, text)

HERE = pathlib.Path(__file__).resolve().parent


def node(x, y, label, color, w=76, h=22, size=11):
    """A rounded box centred at (x, y) with a one-line label."""
    return [f'<rect x="{x - w / 2:g}" y="{y - h / 2:g}" width="{w:g}" '
            f'height="{h:g}" rx="4" fill="{color}" fill-opacity="0.18" '
            f'stroke="{color}" stroke-width="1.3"/>',
            text(x, y + 4, label, font_size=size, fill=INK)]


def lines_box(x, y, w, h, rows, color, size=11, bold_first=True):
    """A box with its top-left corner at (x, y) and centred text rows."""
    out = [f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="5" '
           f'fill="{color}" fill-opacity="0.15" stroke="{color}" '
           'stroke-width="1.3"/>']
    top = y + h / 2 - (len(rows) - 1) * (size + 2) / 2 + size / 3
    for i, row in enumerate(rows):
        weight = 'bold' if (i == 0 and bold_first) else 'normal'
        out.append(text(x + w / 2, top + i * (size + 2), row,
                        font_size=size, font_weight=weight, fill=INK))
    return out


def memory(x, y):
    """The small square that marks a tensor written to memory."""
    return rect(x - 4, y - 4, 8, 8, fill=RED, stroke=RED)


def fusion():
    width, height = 440, 340
    body = [text(110, 18, 'eager: 8 kernels', font_size=12,
                 font_weight='bold', fill=INK),
            text(330, 18, 'compiled: 1 kernel', font_size=12,
                 font_weight='bold', fill=INK)]
    # left: the graph; every edge between two operations through memory
    cx, side = 84, 172
    ys = {'x': 44, 'pow': 74, 'c': 104, 'add': 134, 's': 164, 'tanh': 194,
          'one': 224, 'prod': 266, 'y': 306}
    labels = {'x': 'x', 'pow': 'x ** 3', 'c': '0.0447 * ·', 'add': 'x + ·',
              's': '0.798 * ·', 'tanh': 'tanh', 'one': '1 + ·',
              'prod': '· * ·', 'y': 'y'}
    for key, y in ys.items():
        body += node(cx, y, labels[key], GREEN if key in 'xy' else BLUE)
    order = list(ys)
    for a, b in zip(order[:-1], order[1:]):
        body.append(line(cx, ys[a] + 11, cx, ys[b] - 11))
        if a not in ('x', 'prod'):
            body.append(memory(cx, (ys[a] + ys[b]) / 2))
    body += node(side, 224, '0.5 * x', BLUE, w=62)
    body.append(line(cx + 38, 44, side, 44, tip=False))   # x, to the side
    body.append(line(side, 44, side, 213))
    body.append(line(side, 134, cx + 39, 134))             # x into x + .
    body.append(line(side, 235, cx + 39, 262))             # 0.5 x into .*.
    body.append(memory(side - 40, 249))
    body.append(memory(18, 326))
    body.append(text(28, 329, '= a 4 MB tensor in memory', anchor='start',
                     font_size=9, fill=INK))
    # right: one fused loop
    body += node(330, 44, 'x', GREEN)
    body += lines_box(238, 92, 184, 150,
                      ['one fused loop', 'for each i, in parallel:',
                       'v = x[i]', 'u = 0.798 * (v + 0.0447 * v³)',
                       'y[i] = 0.5 * v * (1 + tanh(u))',
                       '', 'all intermediates', 'stay in registers'],
                      ORANGE, size=11)
    body.append(line(330, 55, 330, 91))
    body.append(line(330, 243, 330, 295))
    body += node(330, 306, 'y', GREEN)
    body.append(text(330, 268, 'memory traffic for 10⁶ floats:',
                     font_size=10, fill=INK))
    body.append(text(330, 282, 'eager ≈ 72 MB, fused 8 MB',
                     font_size=10, font_weight='bold', fill=INK))
    title = 'GELU run eagerly and as one fused kernel'
    desc = ('Left: the graph of the tanh approximation of GELU, from x '
            'through x cubed, scaling, adding x, scaling, tanh, adding 1 and '
            'a final product with 0.5 x, down to y. Every edge between two '
            'operations passes through a red square, a 4 MB tensor written '
            'to memory and read back. Right: one orange box, a single loop '
            'that reads x[i], computes the whole formula in registers and '
            'writes y[i]. Memory traffic for a million floats: about 72 MB '
            'eagerly, 8 MB fused.')
    figure_svg.write(HERE / 'hybridize-fusion.svg', figure_svg.document(
        width, height, title, body, desc))


def compile_stages():
    width, height = 490, 250
    w, h, gap, x0 = 106, 52, 12, 11
    xs = [x0 + i * (w + gap) for i in range(4)]
    body = [text(x0, 20, 'torch.compile: speed inside Python',
                 anchor='start', font_size=12, font_weight='bold', fill=INK),
            text(x0, 150, 'torch.export: a program without Python',
                 anchor='start', font_size=12, font_weight='bold', fill=INK)]
    top = [(['Python', 'function'], GREEN),
           (['TorchDynamo', 'graph + guards'], BLUE),
           (['AOTAutograd', 'backward graph'], BLUE),
           (['TorchInductor', 'C++ (CPU),', 'Triton (GPU)'], ORANGE)]
    bottom = [(['model +', 'example inputs'], GREEN),
              (['torch.export', 'whole graph', 'or an error'], BLUE),
              (['.pt2 file', 'ATen graph', '+ weights'], GRAY),
              (['deployment', 'AOTInductor: C++', 'ExecuTorch: phones'], ORANGE)]
    for row, y in ((top, 32), (bottom, 162)):
        for x, (rows, color) in zip(xs, row):
            body += lines_box(x, y, w, h, rows, color, size=10)
        for x in xs[:-1]:
            body.append(arrow(x + w + 1, y + h / 2, x + w + gap - 1,
                              y + h / 2))
    # graph breaks fall back to Python
    bx = xs[1] + w / 2
    body.append(line(bx, 85, bx, 104, dash=True))
    body.append(text(bx, 118, 'graph break: that part', font_size=10,
                     fill=RED))
    body.append(text(bx, 131, 'runs in Python', font_size=10, fill=RED))
    title = 'The stages of torch.compile and torch.export'
    desc = ('Top row, torch.compile: a Python function goes to TorchDynamo, '
            'which records a graph and guards; AOTAutograd adds the backward '
            'graph; TorchInductor generates C++ code for the CPU or Triton '
            'kernels for the GPU. A dashed line from TorchDynamo marks graph '
            'breaks, parts that run in Python. Bottom row, torch.export: a '
            'model and example inputs give a whole graph or an error, saved '
            'as a .pt2 file of ATen operations and weights, which AOTInductor '
            'compiles for C++ and ExecuTorch runs on phones.')
    figure_svg.write(HERE / 'hybridize-compile.svg', figure_svg.document(
        width, height, title, body, desc))


def queue_timeline():
    width, height = 460, 200
    left, scale = 96, 3.4                    # x of time 0, px per time unit
    y_front, y_back, bar = 60, 130, 26
    body = [text(12, y_front + 4, 'frontend', anchor='start',
                 font_size=11, font_weight='bold', fill=INK),
            text(12, y_front + 18, '(Python)', anchor='start', font_size=10,
                 fill=INK),
            text(12, y_back + 4, 'backend', anchor='start', font_size=11,
                 font_weight='bold', fill=INK),
            text(12, y_back + 18, '(device)', anchor='start', font_size=10,
                 fill=INK)]
    issue = [0, 8, 16, 24]                   # the frontend issues 4 ops
    run = [(2, 20), (22, 20), (42, 20), (62, 20)]
    for k, t in enumerate(issue):
        x = left + t * scale
        body.append(rect(x, y_front - bar / 2, 4 * scale, bar, fill=BLUE,
                         stroke=BLUE, fill_opacity='0.35'))
        body.append(text(x + 2 * scale, y_front - bar / 2 - 4, f'op {k + 1}',
                         font_size=9, fill=INK))
        start, length = run[k]
        bx = left + start * scale
        body.append(rect(bx, y_back - bar / 2, length * scale, bar,
                         fill=ORANGE, stroke=ORANGE, fill_opacity='0.35'))
        body.append(text(bx + length * scale / 2, y_back + 4, f'op {k + 1}',
                         font_size=10, fill=INK))
        body.append(line(x + 2 * scale, y_front + bar / 2,
                         bx + 4, y_back - bar / 2, dash=True))
    wait0, wait1 = 32, 82                    # .item() waits for op 4
    x0, x1 = left + wait0 * scale, left + wait1 * scale
    body.append(rect(x0, y_front - bar / 2, x1 - x0, bar, fill='#ffffff',
                     stroke=RED, stroke_dasharray='4 3'))
    body.append(text((x0 + x1) / 2, y_front + 4, '.item(): waits',
                     font_size=10, fill=RED))
    body.append(line(x1, y_back - bar / 2, x1, y_front + bar / 2,
                     color=RED))
    body.append(line(left, 176, left + 95 * scale, 176))
    body.append(text(left + 95 * scale, 192, 'time', anchor='end',
                     font_size=10, fill=INK))
    title = 'A frontend that queues work for a backend'
    desc = ('Two lanes over time. The frontend issues op 1 to op 4 in quick '
            'succession; each call returns at once. The backend runs op 1 '
            'to op 4 one after another, each much longer than issuing it, so '
            'it falls behind. Then the frontend calls .item() and waits, '
            'shown as a dashed red box, until the backend finishes op 4.')
    figure_svg.write(HERE / 'async-queue.svg', figure_svg.document(
        width, height, title, body, desc))


def dependencies():
    width, height = 400, 210
    body = []
    body += node(200, 30, 'a', GREEN, w=60)
    body += node(110, 100, 'e = exp(a)', BLUE, w=90)
    body += node(290, 100, 't = 3a', BLUE, w=90)
    body += node(200, 170, 's = e + t', BLUE, w=90)
    body.append(line(185, 41, 125, 89))
    body.append(line(215, 41, 275, 89))
    body.append(line(125, 111, 185, 159))
    body.append(line(275, 111, 215, 159))
    body.append(text(200, 104, 'independent:', font_size=10, fill=INK))
    body.append(text(200, 117, 'any order', font_size=10, fill=INK))
    body += node(330, 170, 'print(s)', RED, w=70)
    body.append(line(245, 170, 295, 170))
    body.append(text(330, 198, 'the frontend waits here', font_size=10,
                     fill=RED))
    title = 'The dependencies of the example'
    desc = ('A small graph: a at the top feeds e = exp(a) and t = 3a, which '
            'do not depend on each other and may run in any order; both '
            'feed s = e + t. An arrow from s leads to print(s), where the '
            'frontend waits.')
    figure_svg.write(HERE / 'async-deps.svg', figure_svg.document(
        width, height, title, body, desc))


if __name__ == '__main__':
    fusion()
    compile_stages()
    queue_timeline()
    dependencies()
