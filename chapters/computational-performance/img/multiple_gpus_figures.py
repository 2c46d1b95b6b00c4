"""Write the diagrams of Section 13.5 (multiple-gpus) as SVG: run from this
folder (`python multiple_gpus_figures.py`).

multiple-gpus-splits.svg: a four-layer network divided among two devices by
examples (data), between layers (pipeline) and inside layers (tensor).
multiple-gpus-step.svg: one data-parallel SGD step on two devices.
multiple-gpus-ring.svg: the chunk contents of a ring all-reduce among three
processes after every step, computed by simulating the algorithm.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]
                       / 'tools'))
import figure_svg  # noqa: E402
from figure_svg import BLUE, ORANGE, GREEN, GRAY, INK  # noqa: E402
from figure_svg import text, rect, arrow  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
LIGHT = {BLUE: '#c6dbef', ORANGE: '#fdd0a2'}   # pale fills of the devices


def layer(x, y, w, color, label=''):
    """One layer of the network as a box filled in a device's colour."""
    out = [rect(x, y, w, 20, fill=LIGHT[color], stroke=color)]
    if label:
        out.append(text(x + w / 2, y + 14, label, font_size=10, fill=INK))
    return out


def pipeline(cx, ys):
    """Layers 1-2 on device 0, layers 3-4 on device 1; centre at cx."""
    body = [text(cx, 22, 'pipeline', font_weight='bold')]
    for i, y in enumerate(ys):
        body += layer(cx - 50, y, 100, BLUE if i < 2 else ORANGE,
                      f'layer {i + 1}')
    for y in ys[1:]:                              # forward flow
        body.append(arrow(cx, y + 32, cx, y + 22))
    body.append(arrow(cx, 182, cx, 172))
    body.append(text(cx, 196, 'all examples', font_size=10))
    # the activations of layer 2 leave device 0 for layer 3 on device 1
    mid2, mid3 = ys[1] + 10, ys[2] + 10
    body.append(figure_svg.path([(cx + 50, mid2), (cx + 62, mid2),
                                 (cx + 62, mid3), (cx + 52, mid3)]))
    body.append(text(cx + 68, 115, 'activations', anchor='start',
                     font_size=9, fill=GRAY))
    return body


def tensor(cx, ys):
    """Every layer split in two halves a and b; centre at cx."""
    body = [text(cx, 22, 'tensor', font_weight='bold')]
    for i, y in enumerate(ys):
        body += layer(cx - 50, y, 50, BLUE, f'{i + 1}a')
        body += layer(cx, y, 50, ORANGE, f'{i + 1}b')
    for y0, y1 in zip(ys, ys[1:]):                # exchanges between layers
        body.append(figure_svg.line(cx - 25, y0, cx + 25, y1 + 20,
                                    tip=False))
        body.append(figure_svg.line(cx + 25, y0, cx - 25, y1 + 20,
                                    tip=False))
    body.append(arrow(cx, 182, cx, 172))
    body.append(text(cx, 196, 'all examples', font_size=10))
    return body


def data(cx, ys):
    """Two full copies, half of the examples each; centre at cx."""
    body = [text(cx, 22, 'data', font_weight='bold')]
    left, right = cx - 40, cx + 40                # centres of the copies
    for i, y in enumerate(ys):
        body += layer(left - 30, y, 60, BLUE, f'layer {i + 1}')
        body += layer(right - 30, y, 60, ORANGE, f'layer {i + 1}')
    for y in ys[1:]:
        body += [arrow(left, y + 32, left, y + 22),
                 arrow(right, y + 32, right, y + 22)]
    for x in (left, right):                       # gradients to both copies
        body.append(f'<path d="M{cx:g},40 H{x:g} V52" fill="none" '
                    f'stroke="{GRAY}" stroke-width="1.5" '
                    'stroke-dasharray="4 3" marker-end="url(#tip)"/>')
    body.append(text(cx, 35, 'gradients', font_size=9, fill=GRAY))
    body += [arrow(left, 182, left, 172), arrow(right, 182, right, 172),
             text(left, 196, 'half 1', font_size=10),
             text(right, 196, 'half 2', font_size=10)]
    return body


def splits():
    ys = [150, 118, 86, 54]                       # layers 1-4, bottom up
    body = data(100, ys) + pipeline(290, ys) + tensor(490, ys)
    body += [rect(40, 212, 12, 10, fill=LIGHT[BLUE], stroke=BLUE),
             text(58, 221, 'device 0', anchor='start', font_size=10),
             rect(130, 212, 12, 10, fill=LIGHT[ORANGE], stroke=ORANGE),
             text(148, 221, 'device 1', anchor='start', font_size=10)]
    title = 'Three ways to divide a network among two devices'
    desc = ('Three panels with a four-layer network each. Data: a full copy '
            'of the network on each device, each fed half of the examples, '
            'with a dashed bracket over the two copies, ending in an arrow on '
            'each, for the gradients they exchange. Pipeline: layers 1 and 2 '
            'on device 0, layers 3 and 4 on device 1, and an arrow carrying '
            'the activations from layer 2 to layer 3. Tensor: every layer '
            'split into halves a and b on the two devices, with crossing '
            'exchanges between all layers.')
    return figure_svg.document(580, 232, title, body, desc)


def step():
    body = [rect(10, 62, 70, 76, fill='#eeeeee', stroke=INK),
            text(45, 96, 'minibatch'), text(45, 112, 'B', font_size=11)]
    for lane, (color, y) in enumerate(((BLUE, 40), (ORANGE, 130))):
        j = lane + 1
        body += [arrow(80, 100, 110, y + 15),
                 rect(112, y, 58, 30, fill=LIGHT[color], stroke=color),
                 text(141, y + 19, f'shard B{j}', font_size=11),
                 arrow(170, y + 15, 196, y + 15),
                 rect(198, y, 104, 30, fill=LIGHT[color], stroke=color),
                 text(250, y + 13, 'forward, backward', font_size=10),
                 text(250, y + 26, f'copy of w on dev. {lane}',
                      font_size=10),
                 arrow(302, y + 15, 328, y + 15),
                 text(342, y + 19, f'g{j}', font_size=12),
                 arrow(356, y + 15, 382, y + 15),
                 arrow(454, y + 15, 476, y + 15),
                 rect(478, y, 108, 30, fill=LIGHT[color], stroke=color),
                 text(532, y + 13, 'w ← w − η g / |B|', font_size=10),
                 text(532, y + 26, f'on device {lane}', font_size=10)]
    body += [rect(384, 40, 70, 120, fill='#e5f5e0', stroke=GREEN),
             text(419, 92, 'all-reduce'),
             text(419, 110, 'g = g1 + g2', font_size=11),
             text(419, 182, 'the only exchange', font_size=10, fill=GRAY)]
    title = 'One data-parallel SGD step on two devices'
    desc = ('A minibatch B is split into shards B1 and B2. Device 0 and '
            'device 1 each run the forward and backward pass on their shard '
            'with their own copy of the parameters w, giving gradients g1 '
            'and g2. An all-reduce gives both devices g = g1 + g2, and each '
            'applies the same update w <- w - eta g / |B|.')
    return figure_svg.document(600, 196, title, body, desc,
                               escape_text=True)


def ring_states(n):
    """Titles and contributions[rank][chunk] after every ring step."""
    counts = [[1] * n for _ in range(n)]
    states = [('start', [row[:] for row in counts], set())]
    for phase in ('reduce-scatter', 'all-gather'):
        for s in range(n - 1):
            sent, new = [], set()
            for r in range(n):          # what every rank sends this step
                c = (r - s) % n if phase == 'reduce-scatter' else \
                    (r - s + 1) % n
                sent.append((c, counts[r][c]))
            for r, (c, value) in enumerate(sent):
                right = (r + 1) % n
                if phase == 'reduce-scatter':
                    counts[right][c] += value
                else:
                    counts[right][c] = value
                new.add((right, c))
            states.append((f'{phase} {s + 1}', [row[:] for row in counts],
                           new))
    return states


def ring(n=3, cell=22):
    fills = {1: '#f7fcf5', 2: '#a1d99b', 3: GREEN}
    body, gap = [], 46
    for k, (title, counts, new) in enumerate(ring_states(n)):
        x0, y0 = 58 + k * (n * cell + gap), 46
        body.append(text(x0 + n * cell / 2, 30, title, font_size=10))
        for r in range(n):
            for c in range(n):
                stroke = ORANGE if (r, c) in new else INK
                width = 2 if (r, c) in new else 1
                body.append(rect(x0 + c * cell, y0 + r * cell, cell, cell,
                                 fill=fills[counts[r][c]], stroke=stroke,
                                 stroke_width=width))
                body.append(text(x0 + c * cell + cell / 2,
                                 y0 + r * cell + 15, counts[r][c],
                                 font_size=11))
        if k:
            body.append(arrow(x0 - gap + 8, y0 + n * cell / 2,
                              x0 - 8, y0 + n * cell / 2))
    for r in range(n):
        body.append(text(50, 46 + r * cell + 15, f'rank {r}', anchor='end',
                         font_size=10))
    body.append(text(50, 46 + n * cell + 14, 'chunk', anchor='end',
                     font_size=10, fill=GRAY))
    for c in range(n):
        body.append(text(58 + c * cell + cell / 2, 46 + n * cell + 14, c,
                         font_size=10, fill=GRAY))
    body.append(text(300, 150, 'number = contributions summed in the chunk;'
                     ' orange outline = received in this step',
                     font_size=10, fill=GRAY))
    title = 'Ring all-reduce among three processes'
    desc = ('Five 3-by-3 grids, rows are ranks 0 to 2 and columns chunks 0 '
            'to 2, each cell giving how many processes\' contributions it '
            'holds. Start: all 1. After reduce-scatter step 1 each rank '
            'holds one chunk with 2; after step 2 each rank holds a '
            'different chunk with 3. The two all-gather steps copy the '
            'complete chunks around the ring until every cell is 3.')
    return figure_svg.document(600, 164, title, body, desc,
                               escape_text=False)


if __name__ == '__main__':
    figure_svg.write(HERE / 'multiple-gpus-splits.svg', splits())
    figure_svg.write(HERE / 'multiple-gpus-step.svg', step())
    figure_svg.write(HERE / 'multiple-gpus-ring.svg', ring())
