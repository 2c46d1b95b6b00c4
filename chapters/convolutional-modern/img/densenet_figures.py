"""Write the diagrams of Section 8.7 (densenet) as SVG: run from this folder.

Style of the book: about 400 px wide, sans-serif, matplotlib's tab10
colours, each file with a <title> and a <desc>.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, INK, ORANGE, PURPLE  # noqa: E402

LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4',
         PURPLE: '#e6dcef', GRAY: '#e6e6e6'}
HERE = pathlib.Path(__file__).resolve().parent


def svg(name, width, height, title, desc, body):
    figure_svg.write(HERE / name, figure_svg.document(width, height, title,
                                                      body, desc))


def label(x, y, s, anchor='middle', size=12, color=INK):
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{size}" fill="{color}">{s}</text>')


def box(cx, cy, w, h, s, color=GRAY, size=12):
    return [f'<rect x="{cx - w / 2:g}" y="{cy - h / 2:g}" width="{w:g}" '
            f'height="{h:g}" rx="4" fill="{LIGHT[color]}" stroke="{color}"/>',
            label(cx, cy + size / 3, s, size=size)]


def line(x1, y1, x2, y2, tip=True):
    end = ' marker-end="url(#tip)"' if tip else ''
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" '
            f'stroke="{GRAY}" stroke-width="1.5"{end}/>')


def path(d, tip=True):
    end = ' marker-end="url(#tip)"' if tip else ''
    return (f'<path d="{d}" fill="none" stroke="{GRAY}" stroke-width="1.5"'
            f'{end}/>')


def tensor(x, y, w, h, color):
    """A feature tensor drawn as a bar whose width stands for channels."""
    return (f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
            f'fill="{LIGHT[color]}" stroke="{color}" stroke-width="1.5"/>')


def concat():
    width, height = 420, 280
    body = []
    for cx, dense in ((105, False), (315, True)):
        body.append(label(cx, 20, 'DenseNet: concatenate' if dense
                          else 'ResNet: add', size=13))
        # input x at the bottom (width = channels)
        body.append(tensor(cx - 24, 236, 48, 16, BLUE))
        body.append(label(cx + 36, 249, 'x', anchor='start'))
        # main path through f, shortcut on the left
        body += box(cx + 20, 170, 56, 28, 'f', GRAY)
        body.append(path(f'M{cx + 10:g},236 L{cx + 10:g},218 '
                         f'L{cx + 20:g},218 L{cx + 20:g},185'))
        if dense:
            body.append(path(f'M{cx - 14:g},236 L{cx - 14:g},200 '
                             f'L{cx - 40:g},200 L{cx - 40:g},118'))
            body.append(line(cx + 20, 156, cx + 20, 118))
        else:
            body.append(path(f'M{cx - 14:g},236 L{cx - 14:g},200 '
                             f'L{cx - 40:g},200 L{cx - 40:g},104 '
                             f'L{cx - 21:g},104'))
            body.append(path(f'M{cx + 20:g},156 L{cx + 20:g},104 '
                             f'L{cx + 1:g},104'))
        if dense:
            body += box(cx - 10, 104, 92, 26, 'concatenate', GREEN, size=11)
            body.append(line(cx - 10, 91, cx - 10, 68))
            body.append(tensor(cx - 58, 48, 48, 16, BLUE))
            body.append(tensor(cx - 10, 48, 40, 16, ORANGE))
            body.append(label(cx - 10, 40, '[x, f(x)]: c + k channels',
                              size=11))
        else:
            body.append(f'<circle cx="{cx - 10:g}" cy="104" r="10" '
                        f'fill="#ffffff" stroke="{INK}"/>')
            body.append(label(cx - 10, 109, '+', size=14))
            body.append(line(cx - 10, 94, cx - 10, 68))
            body.append(tensor(cx - 34, 48, 48, 16, PURPLE))
            body.append(label(cx - 10, 40, 'x + f(x): c channels', size=11))
    body.append(f'<line x1="210" y1="30" x2="210" y2="262" stroke="'
                f'{LIGHT[GRAY]}" stroke-width="1"/>')
    svg('densenet-concat.svg', width, height,
        'Addition in ResNet versus concatenation in DenseNet',
        'Two small diagrams. Left: the input x (a blue bar) goes through '
        'a layer f and along a shortcut; a plus node adds the two, and the '
        'output is a single purple bar of the same width as x. Right: the '
        'same input and layer, but a concatenate node places x (blue) and '
        'f(x) (orange) side by side, so the output bar is wider: c + k '
        'channels.', body)


def chain():
    width, height = 420, 190
    names = ['x', 'f₁', 'f₂', 'f₃', 'f₄', '[ … ]']
    xs = [38 + 66 * i for i in range(len(names))]
    y = 150
    body = []
    colors = [BLUE, ORANGE, ORANGE, ORANGE, ORANGE, GREEN]
    for x, name, color in zip(xs, names, colors):
        body += box(x, y, 46 if name != '[ … ]' else 54, 28, name, color)
    for j in range(1, len(names)):
        body.append(line(xs[j - 1] + 23, y, xs[j] - 23 - 4 * (j == 5), y))
        for i in range(j - 1):                   # skip arcs over the chain
            rise = 26 + 22 * (j - i - 2)
            start = xs[i] - 12 + 24 * (j - i - 2) / max(1, 4 - i)
            end = xs[j] - 14 + 24 * i / max(1, j - 2)
            body.append(path(f'M{start:g},{y - 14:g} '
                             f'C{start:g},{y - 14 - rise:g} '
                             f'{end:g},{y - 14 - rise:g} '
                             f'{end:g},{y - 16:g}'))
    body.append(label(xs[-1], y + 34, 'concatenation', size=11, color=GRAY))
    body.append(label(xs[0], y + 34, 'block input', size=11, color=GRAY))
    svg('densenet-chain.svg', width, height,
        'Dense connections inside a dense block',
        'A row of six boxes: the block input x, four layers f1 to f4, and '
        'a final concatenation node. Straight arrows join neighbours; '
        'curved arcs above the row join every box to every later box, so '
        'f4 receives four arrows and the concatenation node five.', body)


if __name__ == '__main__':
    concat()
    chain()
