"""Write the diagrams of Section 14.8 (rcnn) as SVG: run from this folder.

The four R-CNN designs as pipelines, one row each with what is new in
colour, and RoI pooling on the section's own 6 x 6 feature map (the bins
and maxima are computed here with torchvision's rounding rules), in the
book's figure style (tools/figure_svg.py).
"""
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, PURPLE,  # noqa: E402
                        arrow, path, rect, text)

HERE = pathlib.Path(__file__).resolve().parent
LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         PURPLE: '#e2d7ee', GRAY: '#f0f0f0'}

# the section's feature map (digits of e), its region and output grid
FEATURES = [[2, 7, 1, 8, 2, 8], [1, 8, 2, 8, 4, 5], [9, 0, 4, 5, 2, 3],
            [5, 3, 6, 0, 2, 8], [7, 4, 7, 1, 3, 5], [2, 6, 6, 2, 4, 9]]
REGION = (1, 2, 5, 4)          # columns 1..5, rows 2..4, corners included
OUTPUT = (2, 2)


def box(x, y, w, h, lines, new=False, color=ORANGE):
    """A pipeline stage: a rounded box with one or two lines of text."""
    fill, stroke = (LIGHT[color], color) if new else ('#ffffff', GRAY)
    out = [rect(x, y, w, h, fill=fill, stroke=stroke, rx=4)]
    top = y + h / 2 + 4 - 6.5 * (len(lines) - 1)
    out += [text(x + w / 2, top + 13 * k, s, font_size=11)
            for k, s in enumerate(lines)]
    return out


def family_figure():
    """R-CNN, Fast, Faster and Mask R-CNN, one row each."""
    width, w, h, row_h = 508, 82, 34, 104
    xs = [12 + k * (w + 19) for k in range(5)]   # five columns
    body = []
    rows = [('R-CNN', None), ('Fast R-CNN', ['selective', 'search']),
            ('Faster R-CNN', ['RPN']), ('Mask R-CNN', ['RPN'])]
    for r, (name, source) in enumerate(rows):
        y = 26 + r * row_h
        body.append(text(12, y - 8, name, anchor='start', font_size=12,
                         font_weight='bold'))
        if source is None:                       # R-CNN: one straight chain
            stages = [(['image'], False), (['selective', 'search'], False),
                      (['warp each', 'region'], False),
                      (['CNN, once', 'per region'], False),
                      (['SVM per class,', 'box regressor'], False)]
            for k, (lines, new) in enumerate(stages):
                body += box(xs[k], y, w, h, lines, new)
                if k:
                    body.append(arrow(xs[k] - 19, y + h / 2, xs[k] - 2,
                                      y + h / 2))
            body.append(text(xs[3] + w / 2, y + h + 14, '× 2,000',
                             font_size=11, fill=INK))
            continue
        pool = 'RoI align' if r == 3 else 'RoI pooling'
        heads = (['class, box', '+ mask (FCN)'] if r == 3
                 else ['FC: softmax', 'class, box'])
        body += box(xs[0], y, w, h, ['image'])
        body += box(xs[1], y, w, h, ['CNN, once', 'per image'], r == 1)
        body += box(xs[3], y, w, h, [pool], r in (1, 3), BLUE if r == 3
                    else ORANGE)
        body += box(xs[4], y, w, h, heads, r in (1, 3), BLUE if r == 3
                    else ORANGE)
        sy = y + h + 12                          # the proposal source
        body += box(xs[2], sy, w, 32, source, r == 2, GREEN)
        body += [arrow(xs[1] - 19, y + h / 2, xs[1] - 2, y + h / 2),
                 arrow(xs[1] + w, y + h / 2, xs[3] - 2, y + h / 2),
                 arrow(xs[4] - 19, y + h / 2, xs[4] - 2, y + h / 2),
                 path([(xs[2] + w, sy + 16), (xs[3] + w / 2, sy + 16),
                       (xs[3] + w / 2, y + h + 2)])]
        if r == 1:                               # proposals from the image
            body.append(path([(xs[0] + w / 2, y + h), (xs[0] + w / 2,
                                                       sy + 16),
                              (xs[2] - 2, sy + 16)]))
        else:                                    # proposals from features
            body.append(path([(xs[1] + w / 2, y + h), (xs[1] + w / 2,
                                                       sy + 16),
                              (xs[2] - 2, sy + 16)]))
    height = 26 + 4 * row_h - 14
    figure_svg.write(HERE / 'rcnn-family.svg', figure_svg.document(
        width, height, 'Four region-based detectors, each a change of the '
        'one above', body,
        'R-CNN: image, selective search, warp each region, CNN once per '
        'region (2,000 times), an SVM per class and a box regressor. Fast '
        'R-CNN (new in orange): the CNN runs once per image, selective '
        'search still proposes regions from the image, RoI pooling cuts '
        'them out of the feature map, fully connected layers output class '
        'and box. Faster R-CNN (new in green): a region proposal network '
        'computes the proposals from the feature map. Mask R-CNN (new in '
        'blue): RoI align instead of RoI pooling, and a mask branch next '
        'to the class and box heads.'))


def roi_bins():
    """torchvision's bins of REGION: (top, bottom, left, right), exclusive
    ends, row-major over the output grid."""
    x1, y1, x2, y2 = REGION
    h, w = y2 - y1 + 1, x2 - x1 + 1
    h2, w2 = OUTPUT
    return [(y1 + math.floor(i * h / h2), y1 + math.ceil((i + 1) * h / h2),
             x1 + math.floor(j * w / w2), x1 + math.ceil((j + 1) * w / w2))
            for i in range(h2) for j in range(w2)]


def roi_pool_figure():
    """The feature map, the region's four overlapping bins, the output."""
    c, x0, y0 = 34, 30, 34
    colors = [BLUE, ORANGE, GREEN, PURPLE]
    bins = roi_bins()
    maxima = [max(FEATURES[r][q] for r in range(t, b) for q in range(le, ri))
              for t, b, le, ri in bins]
    argmax = set()
    for (t, b, le, ri), m in zip(bins, maxima):
        argmax |= {(r, q) for r in range(t, b) for q in range(le, ri)
                   if FEATURES[r][q] == m}
    body = [text(x0 + 3 * c, 20, 'feature map (6 × 6), region 3 × 5',
                 font_size=12)]
    x1, y1, x2, y2 = REGION
    for i, row in enumerate(FEATURES):
        body.append(text(x0 - 10, y0 + (i + 0.5) * c + 4, str(i),
                         font_size=10, fill=GRAY))
        for j, v in enumerate(row):
            inside = x1 <= j <= x2 and y1 <= i <= y2
            body.append(rect(x0 + j * c, y0 + i * c, c, c,
                             fill=LIGHT[GRAY] if inside else '#ffffff',
                             stroke=GRAY))
            bold = {'font_weight': 'bold'} if (i, j) in argmax else {}
            body.append(text(x0 + (j + 0.5) * c, y0 + (i + 0.5) * c + 5,
                             str(v), font_size=13, **bold))
    for j in range(6):
        body.append(text(x0 + (j + 0.5) * c, y0 + 6 * c + 14, str(j),
                         font_size=10, fill=GRAY))
    for k, ((t, b, le, ri), color) in enumerate(zip(bins, colors)):
        inset = 2 + 2.5 * k                      # keep overlapping outlines
        body.append(rect(x0 + le * c + inset, y0 + t * c + inset,
                         (ri - le) * c - 2 * inset, (b - t) * c - 2 * inset,
                         fill='none', stroke=color, stroke_width=2))
    ox, oy, oc = x0 + 6 * c + 70, y0 + 2 * c + 2, 40
    body.append(arrow(x0 + 6 * c + 12, oy + oc, ox - 10, oy + oc))
    body.append(text(ox + oc, oy - 10, 'output 2 × 2', font_size=12))
    for k, (m, color) in enumerate(zip(maxima, colors)):
        i, j = divmod(k, OUTPUT[1])
        body.append(rect(ox + j * oc, oy + i * oc, oc, oc, fill=LIGHT[color],
                         stroke=color, stroke_width=2))
        body.append(text(ox + (j + 0.5) * oc, oy + (i + 0.5) * oc + 5, str(m),
                         font_size=14, font_weight='bold'))
    width, height = ox + 2 * oc + 20, y0 + 6 * c + 24
    figure_svg.write(HERE / 'rcnn-roi-pool.svg', figure_svg.document(
        width, height, 'RoI pooling of a 3 by 5 region into 2 by 2', body,
        'A 6 by 6 feature map of digits; the region covers rows 2 to 4 and '
        'columns 1 to 5 (shaded). Its four bins, outlined in blue, orange, '
        'green and purple, are rows 2–3 or 3–4 by columns 1–3 or 3–5, '
        'so '
        'neighbouring bins share a row or a column. The maxima 6, 8, 7 and '
        '8 (bold) fill the 2 by 2 output; the 8 in row 3, column 5 is the '
        'maximum of the orange and the purple bin.'))


if __name__ == '__main__':
    family_figure()
    roi_pool_figure()
