"""Write the diagrams of Section 14.4 (anchor) as SVG: run from this folder.

The intersection over union of two boxes, and the greedy assignment of
ground-truth boxes to anchors on the section's own example (the IoU values
are computed here from the same pixel boxes as in the notebook), in the
book's figure style (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE,  # noqa: E402
                        rect, text)

HERE = pathlib.Path(__file__).resolve().parent
LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         PURPLE: '#c9b6dd', GRAY: '#e4e4e4'}

# the section's example: ground truths and six anchors, (x1, y1, x2, y2)
GROUND_TRUTH = [('dog', (55, 45, 473, 515)), ('cat', (400, 117, 657, 486))]
ANCHORS = [(70, 60, 460, 500), (30, 100, 400, 540), (430, 250, 700, 540),
           (300, 20, 560, 300), (600, 10, 720, 100), (150, 300, 350, 540)]


def iou(a, b):
    """Intersection over union of two corner-form boxes."""
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area = lambda c: (c[2] - c[0]) * (c[3] - c[1])  # noqa: E731
    return w * h / (area(a) + area(b) - w * h)


def iou_figure():
    """Two overlapping boxes; IoU = shaded intersection / union."""
    width, height = 440, 190
    a, b = (30, 40, 150, 130), (95, 75, 205, 165)   # (x1, y1, x2, y2)

    def pair(dx, dy, k, fill_a, fill_b, fill_i, stroke=True):
        s = [rect(dx + a[0] * k, dy + a[1] * k, (a[2] - a[0]) * k,
                  (a[3] - a[1]) * k, fill=fill_a,
                  stroke=BLUE if stroke else 'none', stroke_width=2),
             rect(dx + b[0] * k, dy + b[1] * k, (b[2] - b[0]) * k,
                  (b[3] - b[1]) * k, fill=fill_b,
                  stroke=ORANGE if stroke else 'none', stroke_width=2,
                  fill_opacity=1 if fill_b != 'none' else 0)]
        s.append(rect(dx + b[0] * k, dy + b[1] * k, (a[2] - b[0]) * k,
                      (a[3] - b[1]) * k, fill=fill_i, stroke='none'))
        return s

    body = pair(0, 0, 1, LIGHT[BLUE], 'none', LIGHT[PURPLE])
    body += [rect(a[0], a[1], a[2] - a[0], a[3] - a[1], fill='none',
                  stroke=BLUE, stroke_width=2),
             text(40, 60, 'A', anchor='start', fill=BLUE, font_weight='bold'),
             text(196, 158, 'B', anchor='end', fill=ORANGE,
                  font_weight='bold'),
             text(122, 118, 'A ∩ B', font_size=11),
             text(232, 108, 'IoU =', font_size=14)]
    # the fraction: intersection over union, drawn at half size
    k, fx = 0.5, 262
    body += pair(fx, -8, k, 'none', 'none', LIGHT[PURPLE], stroke=False)
    body.append(f'<line x1="{fx + 10}" y1="{100}" x2="{fx + 110}" y2="100" '
                f'stroke="{INK}" stroke-width="1.5"/>')
    body += pair(fx, 95, k, LIGHT[GRAY], LIGHT[GRAY], LIGHT[GRAY],
                 stroke=False)
    body += [text(fx + 116, 48, '|A ∩ B|', anchor='start', font_size=11),
             text(fx + 116, 150, '|A ∪ B|', anchor='start', font_size=11)]
    figure_svg.write(HERE / 'anchor-iou.svg', figure_svg.document(
        width, height, 'Intersection over union of two boxes', body,
        'Boxes A and B overlap in a shaded region. Their IoU is the area of '
        'that intersection divided by the area covered by either box, their '
        'union.'))


def greedy_figure():
    """The IoU matrix of the example in three steps of the assignment."""
    X = [[iou(anchor, box) for _, box in GROUND_TRUTH] for anchor in ANCHORS]
    names = [name for name, _ in GROUND_TRUTH]
    width, height = 460, 250
    cw, ch, top = 44, 22, 58
    steps = ['1. largest entry', '2. largest remaining', '3. threshold 0.5']
    # (row, column) picked in steps 1 and 2, and the rows of step 3
    pick1 = max(((i, j) for i in range(6) for j in range(2)),
                key=lambda p: X[p[0]][p[1]])
    rest = [(i, j) for i in range(6) for j in range(2)
            if i != pick1[0] and j != pick1[1]]
    pick2 = max(rest, key=lambda p: X[p[0]][p[1]])
    body = []
    for k, title in enumerate(steps):
        x0 = 32 + k * 132
        body.append(text(x0 + cw, 22, title, font_size=12))
        for j, name in enumerate(names):
            body.append(text(x0 + j * cw + cw / 2, top - 8, name,
                             font_size=11))
        for i in range(6):
            y = top + i * ch
            body.append(text(x0 - 6, y + 15, f'A<tspan baseline-shift="sub" '
                             f'font-size="8">{i}</tspan>', anchor='end',
                             font_size=11))
            for j in range(2):
                gone = ((k >= 1 and (i == pick1[0] or j == pick1[1])) or
                        (k >= 2 and (i == pick2[0] or j == pick2[1])))
                fill, stroke = ('#ffffff', GRAY)
                if k == 2:
                    gone = i in (pick1[0], pick2[0])
                if gone:
                    fill = LIGHT[GRAY]
                if (k, (i, j)) in ((0, pick1), (1, pick2)):
                    fill, stroke = LIGHT[ORANGE], ORANGE
                if k == 2 and not gone and X[i][j] == max(X[i]):
                    ok = X[i][j] >= 0.5
                    fill = LIGHT[GREEN] if ok else fill
                    stroke = GREEN if ok else stroke
                body += [rect(x0 + j * cw, y, cw, ch, fill=fill,
                              stroke=stroke),
                         text(x0 + j * cw + cw / 2, y + 15,
                              f'{X[i][j]:.2f}', font_size=11,
                              fill=GRAY if gone else INK)]
    # the result, beside the last panel
    x0 = 32 + 2 * 132 + 2 * cw + 4
    labels = []
    for i in range(6):
        if i == pick1[0]:
            labels.append(names[pick1[1]])
        elif i == pick2[0]:
            labels.append(names[pick2[1]])
        else:
            j = max(range(2), key=lambda j: X[i][j])
            labels.append(names[j] if X[i][j] >= 0.5 else 'bg')
    body.append(text(x0 + 14, top - 8, 'label', font_size=11))
    for i, label in enumerate(labels):
        body.append(text(x0 + 14, top + i * ch + 15, label, font_size=11,
                         fill=INK if label != 'bg' else GRAY))
    body.append(text(width / 2, top + 6 * ch + 30,
                     'orange: greedy pick (row and column then leave)  ·  '
                     'green: best IoU ≥ 0.5', font_size=11, fill=INK))
    body.append(text(width / 2, top + 6 * ch + 48,
                     'bg: background (no ground truth)', font_size=11,
                     fill=INK))
    figure_svg.write(HERE / 'anchor-greedy.svg', figure_svg.document(
        width, height, 'Assigning two ground-truth boxes to six anchors',
        body, 'The 6 by 2 IoU matrix of the example, three times. Step 1 '
        'assigns the dog to anchor A0, the largest entry. Step 2 assigns the '
        'cat to A2, the largest entry left once row A0 and the dog column '
        'are removed, although its IoU is below 0.5. Step 3 gives each '
        'remaining anchor its best ground truth when that IoU is at least '
        '0.5: A1 becomes a dog, A3, A4 and A5 stay background.'))


if __name__ == '__main__':
    iou_figure()
    greedy_figure()
