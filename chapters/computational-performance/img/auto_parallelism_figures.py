"""Write the diagrams of Section 13.3 (auto-parallelism) as SVG: run from
this folder (`python auto_parallelism_figures.py`).

auto-parallelism-cores.svg: two chains of products on two cores, split
inside each product (left) or one chain per core (right).
auto-parallelism-overlap.svg: compute-then-send against compute-and-send,
as timelines of a processor and a link.
auto-parallelism-graph.svg: the dependency graph of one training step of a
two-layer network on two devices, up to the gradient sums.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]
                       / 'tools'))
import figure_svg  # noqa: E402
from figure_svg import BLUE, ORANGE, GREEN, GRAY, INK  # noqa: E402
from figure_svg import text, rect, arrow  # noqa: E402


def box(x, y, w, h, label, color):
    """A tinted box with a centred label."""
    return [rect(x, y, w, h, fill=color, stroke=color, fill_opacity='0.35'),
            text(x + w / 2, y + h / 2 + 4, label, font_size=11, fill=INK)]


def cores():
    body = [text(130, 18, 'inside each product', font_weight='bold'),
            text(395, 18, 'one core per chain', font_weight='bold')]
    for i, lane in enumerate(('core 0', 'core 1')):
        y = 34 + 36 * i
        body.append(text(10, y + 18, lane, anchor='start', font_size=11))
        body.append(text(275, y + 18, lane, anchor='start', font_size=11))
    # left: each product split in halves over both cores, chains in turn
    x = 58
    for name, color in (('A1', BLUE), ('A2', BLUE), ('B1', ORANGE),
                        ('B2', ORANGE)):
        for i in range(2):
            body += box(x, 34 + 36 * i, 40, 28, name, color)
        x += 46                                   # gap: wait for each other
    # right: one chain per core, back to back on its own core
    for i, (chain, color) in enumerate((('A', BLUE), ('B', ORANGE))):
        for k in range(4):
            body += box(322 + 46 * k, 34 + 36 * i, 40, 28, f'{chain}{k + 1}',
                        color)
    body.append(arrow(58, 114, 240, 114, color=GRAY))
    body.append(arrow(322, 114, 504, 114, color=GRAY))
    body.append(text(149, 130, 'time', font_size=11, fill=GRAY))
    body.append(text(413, 130, 'time', font_size=11, fill=GRAY))
    desc = ('Two timelines of two cores. Left, inside each product: every '
            'product of chain A, then every product of chain B, is split '
            'across both cores, with a short gap after each product. Right, '
            'one core per chain: core 0 runs A1 to A4 and core 1 runs B1 to '
            'B4, side by side without gaps.')
    figure_svg.write('auto-parallelism-cores.svg', figure_svg.document(
        520, 140, 'Two ways to use two cores for two chains', body, desc))


def timeline(y, label, starts, color, width):
    out = [text(10, y + 18, label, anchor='start', font_size=11)]
    for k, x in enumerate(starts):
        out += box(x, y, width, 26, str(k + 1), color)
    return out


def overlap():
    c, s, x0 = 60, 48, 80                      # compute and send widths
    body = [text(10, 16, 'compute, then send', anchor='start',
                 font_weight='bold')]
    body += timeline(24, 'processor', [x0 + c * k for k in range(4)], BLUE,
                     c - 4)
    body += timeline(54, 'link', [x0 + 4 * c + s * k for k in range(4)],
                     ORANGE, s - 4)
    body.append(text(10, 108, 'compute and send', anchor='start',
                     font_weight='bold'))
    body += timeline(116, 'processor', [x0 + c * k for k in range(4)], BLUE,
                     c - 4)
    body += timeline(146, 'link', [x0 + c * (k + 1) for k in range(4)],
                     ORANGE, s - 4)
    end_seq, end_ovl = x0 + 4 * c + 4 * s, x0 + 4 * c + s
    body += [f'<path d="M{end_seq},22 v62" stroke="{INK}" '
             'stroke-dasharray="3,3"/>',
             f'<path d="M{end_ovl},114 v62" stroke="{INK}" '
             'stroke-dasharray="3,3"/>',
             text(end_seq + 6, 74, 'n(c + s)', anchor='start', font_size=11),
             text(end_ovl + 6, 166, 'n max(c, s) + min(c, s)',
                  anchor='start', font_size=11),
             arrow(x0, 190, 560, 190), text(320, 206, 'time', font_size=11,
                                           fill=GRAY)]
    desc = ('Two schedules of four results. Top: the processor computes '
            'results 1 to 4, and only then the link sends 1 to 4; the total '
            'is n times (c + s). Bottom: the link sends result k while the '
            'processor computes result k + 1; the total is n max(c, s) + '
            'min(c, s).')
    figure_svg.write('auto-parallelism-overlap.svg', figure_svg.document(
        580, 214, 'Sending results while computing the next ones', body,
        desc))


def graph():
    w, h = 62, 26
    steps = ['data', 'layer 1', 'layer 2', 'loss', 'grad 2', 'grad 1']
    xs = [12 + 78 * k for k in range(6)]
    body = []
    for i, y in enumerate((30, 150)):
        body.append(text(12, y - 8, f'device {i}', anchor='start',
                         font_size=11, font_weight='bold'))
        for k, (x, name) in enumerate(zip(xs, steps)):
            color = GRAY if k == 0 else (BLUE if k < 4 else GREEN)
            body += box(x, y, w, h, name, color)
            if k:
                body.append(arrow(xs[k - 1] + w, y + h / 2, x, y + h / 2))
    # the sums: the only places where the devices meet
    centers = {4: xs[4] + w / 2, 5: xs[5] + w / 2}
    for k, label in ((4, 'sum grad 2'), (5, 'sum grad 1')):
        cx = centers[k]
        body += box(cx - 35, 90, 70, h, label, ORANGE)
        body.append(arrow(cx, 30 + h, cx, 90))
        body.append(arrow(cx, 150, cx, 90 + h))
    desc = ('Two rows, device 0 and device 1, each a chain: data, layer 1, '
            'layer 2, loss (forward, blue), then grad 2 and grad 1 '
            '(backward, green). Between the rows, orange boxes: sum grad 2 '
            'takes arrows from grad 2 of both devices, sum grad 1 from grad '
            '1 of both. No other arrow joins the two rows.')
    figure_svg.write('auto-parallelism-graph.svg', figure_svg.document(
        480, 190, 'Dependency graph of a data-parallel training step', body,
        desc))


if __name__ == '__main__':
    cores()
    overlap()
    graph()
