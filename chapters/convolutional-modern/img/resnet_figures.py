"""Write the diagrams of Section 8.6 (resnet) as SVG: run from this folder.

Style of the book: about 400 px wide, sans-serif, matplotlib's tab10
colours, one file per figure, each with a <title> and a <desc>. Shapes in the
ResNet-18 diagram are computed from the output-size formula, so they agree
with the notebook's layer_summary.
"""
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, BROWN, GRAY, GREEN, INK, ORANGE, PURPLE, RED  # noqa: E402

LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         RED: '#f6d1d1', PURPLE: '#e6dcef', GRAY: '#e6e6e6'}
HERE = pathlib.Path(__file__).resolve().parent


def svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def label(x, y, s, anchor='middle', size=12, color=INK, style=''):
    extra = f' font-style="{style}"' if style else ''
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}"{extra}>{s}</text>')


def box(cx, cy, w, h, s, color=BLUE, size=12):
    """A rounded box centred at (cx, cy) with one line of text."""
    return [f'<rect x="{cx - w / 2:g}" y="{cy - h / 2:g}" width="{w:g}" '
            f'height="{h:g}" rx="4" fill="{LIGHT[color]}" stroke="{color}"/>',
            label(cx, cy + size / 3, s, size=size)]


line, path = figure_svg.line, figure_svg.path


def plus(cx, cy, r=9):
    return [f'<circle cx="{cx:g}" cy="{cy:g}" r="{r}" fill="#ffffff" '
            f'stroke="{INK}"/>',
            line(cx - r + 3, cy, cx + r - 3, cy, tip=False, color=INK),
            line(cx, cy - r + 3, cx, cy + r - 3, tip=False, color=INK)]


def dashed_box(x, y, w, h, color=RED):
    return (f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
            f'fill="none" stroke="{color}" stroke-dasharray="5 4"/>')


def star(cx, cy, r=7, color=RED):
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.45
        a = -math.pi / 2 + k * math.pi / 5
        pts.append(f'{cx + rad * math.cos(a):.1f},{cy + rad * math.sin(a):.1f}')
    return f'<polygon points="{" ".join(pts)}" fill="{color}"/>'


# ------------------------------------------------ function classes

def closest(ellipse, target, n=720):
    """The point of a filled ellipse (cx, cy, rx, ry) closest to target."""
    cx, cy, rx, ry = ellipse
    tx, ty = target
    if ((tx - cx) / rx) ** 2 + ((ty - cy) / ry) ** 2 <= 1:
        return target
    pts = [(cx + rx * math.cos(2 * math.pi * k / n),
            cy + ry * math.sin(2 * math.pi * k / n)) for k in range(n)]
    return min(pts, key=lambda p: (p[0] - tx) ** 2 + (p[1] - ty) ** 2)


def inside(inner, outer, n=360):
    cx, cy, rx, ry = inner
    ox, oy, orx, ory = outer
    return all(((cx + rx * math.cos(t) - ox) / orx) ** 2
               + ((cy + ry * math.sin(t) - oy) / ory) ** 2 < 1
               for t in (2 * math.pi * k / n for k in range(n)))


def function_classes():
    colors = [BLUE, ORANGE, GREEN, PURPLE]
    truth = (160, 52)
    loose = [(128, 92, 20, 15), (100, 128, 30, 22), (64, 110, 38, 28),
             (72, 160, 60, 26)]
    nested = [(70, 150, 22, 16), (80, 138, 46, 36), (90, 124, 70, 56),
              (102, 106, 94, 82)]
    assert all(inside(a, b) for a, b in zip(nested, nested[1:]))
    body = []
    for x0, classes, title in [(0, loose, 'non-nested classes'),
                               (200, nested, 'nested classes')]:
        body.append(label(x0 + 100, 18, title, size=13))
        dists = []
        for i, ((cx, cy, rx, ry), c) in enumerate(zip(classes, colors)):
            body.append(f'<ellipse cx="{x0 + cx:g}" cy="{cy:g}" rx="{rx:g}" '
                        f'ry="{ry:g}" fill="{LIGHT[c]}" fill-opacity="0.45" '
                        f'stroke="{c}" stroke-width="1.5"/>')
        for i, (e, c) in enumerate(zip(classes, colors)):
            px, py = closest(e, truth)
            dists.append(math.dist((px, py), truth))
            body.append(f'<circle cx="{x0 + px:.1f}" cy="{py:.1f}" r="3.5" '
                        f'fill="{c}" stroke="{INK}" stroke-width="0.6"/>')
            cx, cy, rx, ry = e
            body.append(label(x0 + cx, cy - ry + 15 if i else cy + 5,
                              f'F<tspan font-size="9" dy="3">{i + 1}</tspan>',
                              size=12, color=c))
        body.append(star(x0 + truth[0], truth[1]))
        body.append(label(x0 + truth[0] + 10, truth[1] - 8, 'f*',
                          anchor='start', style='italic'))
        if classes is nested:
            assert all(a >= b for a, b in zip(dists, dists[1:]))
        else:
            assert dists == sorted(dists)    # bigger classes, farther away
    body.append(line(200, 30, 200, 200, tip=False, color='#cccccc'))
    svg('resnet-function-classes.svg', 400, 210,
        'Non-nested and nested function classes',
        'Two panels. Left: four ellipses F1 to F4 of growing size whose '
        'centres drift away from a red star marking the true function; the '
        'dot marking the best member of each class gets farther from the '
        'star as the classes grow. Right: four ellipses, each containing the '
        'previous one, growing towards the star; the best member gets closer '
        'each time and the largest class contains the star.', body)


# ------------------------------------------------ plain vs residual block

def block_pair():
    body = []
    for x, residual in [(100, False), (300, True)]:
        body.append(label(x, 18, 'residual block' if residual
                          else 'plain block', size=13))
        body.append(label(x, 262, 'x', style='italic', size=14))
        body.append(line(x, 250, x, 226))
        body += box(x, 212, 110, 26, 'weight layer')
        body.append(line(x, 199, x, 179))
        body += box(x, 166, 110, 26, 'activation', ORANGE)
        body.append(line(x, 153, x, 133))
        body += box(x, 120, 110, 26, 'weight layer')
        if residual:
            body.append(line(x, 107, x, 90))
            body += plus(x, 80)
            body.append(path([(x, 240), (x + 80, 240), (x + 80, 80),
                              (x + 11, 80)]))
            body.append(label(x + 84, 165, 'x', anchor='start',
                              style='italic'))
            body.append(line(x, 71, x, 57))
        else:
            body.append(line(x, 107, x, 57))
        body += box(x, 44, 110, 26, 'activation', ORANGE)
        body.append(dashed_box(x - 66, 92 if not residual else 97, 132,
                               140 if not residual else 135))
        body.append(label(x - 70, 165, 'f(x)' if not residual
                          else 'f(x) − x', anchor='end', color=RED,
                          style='italic'))
    svg('resnet-block.svg', 400, 275, 'A plain block and a residual block',
        'Left: input x passes through a weight layer, an activation, a '
        'second weight layer and an activation; a dashed box around the '
        'layers is labelled f(x). Right: the same layers, but a line carries '
        'x around them to a plus node before the last activation, and the '
        'dashed box is labelled f(x) minus x.', body)


# ------------------------------------------------ the two ResNet blocks

def block_variants():
    body = []
    steps = [('3×3 conv', BLUE), ('batch norm', GREEN), ('ReLU', ORANGE),
             ('3×3 conv', BLUE), ('batch norm', GREEN)]
    for x, proj in [(85, False), (255, True)]:
        body.append(label(x + 20, 18, 'with a 1×1 convolution' if proj
                          else 'identity shortcut', size=13))
        y = 350
        body.append(label(x, y + 12, 'input', size=12))
        body.append(line(x, y, x, y - 16))
        y -= 30
        for name, c in steps:
            body += box(x, y, 100, 24, name, c)
            body.append(line(x, y - 12, x, y - 26))
            y -= 38
        body += plus(x, y + 4)
        body.append(line(x, y - 5, x, y - 21))
        body += box(x, y - 33, 100, 24, 'ReLU', ORANGE)
        body.append(line(x, y - 45, x, y - 58))
        body.append(label(x, y - 64, 'output'))
        sx = x + (100 if proj else 75)
        if proj:
            body.append(path([(x, 342), (sx, 342), (sx, 205)]))
            body += box(sx, 192, 62, 24, '1×1 conv', PURPLE)
            body.append(path([(sx, 180), (sx, y + 4), (x + 11, y + 4)]))
        else:
            body.append(path([(x, 342), (sx, 342), (sx, y + 4),
                              (x + 11, y + 4)]))
    svg('resnet-block-variants.svg', 400, 375,
        'The ResNet block with and without a 1x1 convolution',
        'Two columns read from bottom to top: 3x3 convolution, batch norm, '
        'ReLU, 3x3 convolution, batch norm, a plus node, ReLU. In the left '
        'column the shortcut carries the input unchanged to the plus node; '
        'in the right column it passes through a 1x1 convolution first.',
        body)


# ------------------------------------------------ ResNet-18

def out_size(n, k, p, s):
    """Output size of a convolution or pooling: floor((n - k + 2p + s)/s)."""
    return (n - k + 2 * p + s) // s


def resnet18():
    n = 96
    rows = [('input', f'1×{n}×{n}', GRAY)]
    n = out_size(n, 7, 3, 2)
    rows.append(('7×7 conv, 64, stride 2 · BN · ReLU', f'64×{n}×{n}', BLUE))
    n = out_size(n, 3, 1, 2)
    rows.append(('3×3 max-pool, stride 2', f'64×{n}×{n}', GRAY))
    c = 64
    for stage in range(4):
        if stage:
            c, n = 2 * c, out_size(n, 3, 1, 2)
            first = f'Residual({c}, 1×1 conv, stride 2)'
        else:
            first = f'Residual({c})'
        rows.append((first, f'{c}×{n}×{n}', GREEN if stage % 2 else ORANGE))
        rows.append((f'Residual({c})', f'{c}×{n}×{n}',
                     GREEN if stage % 2 else ORANGE))
    assert (c, n) == (512, 3)
    rows.append(('global average pool', '512', GRAY))
    rows.append(('dense, 10', '10', PURPLE))
    body, y = [], 40 + 30 * (len(rows) - 1)
    body.append(label(165, 20, 'layer', size=12, color=GRAY))
    body.append(label(345, 20, 'output at 96 px', size=12, color=GRAY))
    for i, (name, shape, color) in enumerate(rows):
        body += box(165, y, 240, 22, name, color, size=11)
        body.append(label(345, y + 4, shape, size=11))
        if i:
            body.append(line(165, y + 19, 165, y + 12))
        y -= 30
    # brackets naming the stages
    for stage in range(4):
        top = 40 + 30 * (len(rows) - 5 - 2 * stage) - 11
        body.append(path([(40, top + 52), (34, top + 52), (34, top),
                          (40, top)], tip=False, color=INK))
        body.append(label(24, top + 30, f'stage {stage + 1}', size=10,
                          anchor='middle').replace(
            '<text', f'<text transform="rotate(-90 24 {top + 26})"'))
    svg('resnet-18.svg', 400, 30 + 30 * len(rows), 'ResNet-18 at 96 pixels',
        'A column of boxes from bottom to top: a 1x96x96 input; a 7x7 '
        'convolution with 64 channels and stride 2 with batch norm and ReLU '
        '(64x48x48); 3x3 max-pooling with stride 2 (64x24x24); four stages '
        'of two residual blocks, with 64 channels at 24x24, 128 at 12x12, '
        '256 at 6x6 and 512 at 3x3, each later stage starting with a block '
        'that has a 1x1 convolution and stride 2; global average pooling to '
        '512 numbers; a dense layer to 10 class scores.', body)


# ------------------------------------------------ ResNeXt block

def resnext():
    body = []
    x = 120
    body.append(label(x, 382, 'input, c channels'))
    body.append(line(x, 370, x, 352))
    body += box(x, 340, 150, 24, '1×1 conv, b · BN · ReLU', BLUE, size=11)
    for bx in [55, 100, 185]:
        body.append(path([(x, 328), (bx, 306)]))
        body += box(bx, 292, 40, 24, '3×3', BLUE, size=11)
        body.append(path([(bx, 280), (x, 258)]))
    body.append(label(142, 296, '…', size=14))
    body += box(x, 246, 150, 24, 'concat · BN · ReLU', GREEN, size=11)
    body.append(line(x, 234, x, 216))
    body += box(x, 204, 150, 24, '1×1 conv, c · BN', BLUE, size=11)
    body.append(line(x, 192, x, 171))
    body += plus(x, 162)
    body.append(path([(x, 362), (14, 362), (14, 162), (x - 11, 162)]))
    body.append(line(x, 153, x, 136))
    body += box(x, 124, 150, 24, 'ReLU', ORANGE, size=11)
    body.append(line(x, 112, x, 96))
    body.append(label(x, 88, 'output, c channels'))
    x = 310
    body.append(label(x, 382, 'input, c channels'))
    body.append(line(x, 370, x, 352))
    body += box(x, 340, 140, 24, '1×1 conv, b', BLUE, size=11)
    body.append(line(x, 328, x, 304))
    body += box(x, 292, 140, 24, '3×3 conv, b, g groups', BLUE, size=11)
    body.append(line(x, 280, x, 216))
    body += box(x, 204, 140, 24, '1×1 conv, c', BLUE, size=11)
    body.append(line(x, 192, x, 171))
    body += plus(x, 162)
    body.append(path([(x, 362), (x + 78, 362), (x + 78, 162),
                      (x + 11, 162)]))
    body.append(line(x, 153, x, 136))
    body += box(x, 124, 140, 24, 'ReLU', ORANGE, size=11)
    body.append(line(x, 112, x, 96))
    body.append(label(x, 88, 'output, c channels'))
    body = (['<g transform="translate(0,-40)">'] + body + ['</g>'])
    body += [label(120, 18, 'g branches of b/g channels', size=13),
             label(310, 18, 'one grouped convolution', size=13),
             line(222, 8, 222, 355, tip=False, color='#cccccc')]
    svg("resnet-resnext-block.svg", 400, 360, 'The ResNeXt block',
        'Left, read from bottom to top: an input of c channels goes through '
        'a 1x1 convolution to b channels with batch norm and ReLU, then g '
        'parallel 3x3 convolutions on b/g channels each, whose outputs are '
        'concatenated and followed by batch norm and ReLU, then a 1x1 '
        'convolution back to c channels with batch norm; a shortcut adds '
        'the input, and a ReLU follows. Right: the same block with the g '
        'branches drawn as a single 3x3 convolution with g groups.', body)


if __name__ == '__main__':
    function_classes()
    block_pair()
    block_variants()
    resnet18()
    resnext()
