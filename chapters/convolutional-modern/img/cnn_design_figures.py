"""Write the diagram of Section 8.8 (cnn-design) as SVG: run from this folder.

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


def box(cx, cy, w, h, lines, color=GRAY, size=12, dash=False):
    extra = ' stroke-dasharray="4 3"' if dash else ''
    out = [f'<rect x="{cx - w / 2:g}" y="{cy - h / 2:g}" width="{w:g}" '
           f'height="{h:g}" rx="4" fill="{LIGHT[color]}" stroke="{color}"'
           f'{extra}/>']
    top = cy - (len(lines) - 1) * (size + 2) / 2 + size / 3
    for k, s in enumerate(lines):
        out.append(label(cx, top + k * (size + 2), s, size=size))
    return out


def arrow(x1, y1, x2, y2):
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" '
            f'stroke="{GRAY}" stroke-width="1.5" marker-end="url(#tip)"/>')


def anynet():
    width, height = 430, 250
    body = [label(8, 18, 'network (input: 3 channels, r × r pixels)',
                  anchor='start', size=12, color=GRAY)]
    # top row: stem, four stages, head; annotations below the arrows
    parts = [('stem', GREEN), ('stage 1', BLUE), ('stage 2', BLUE),
             ('stage 3', BLUE), ('stage 4', BLUE), ('head', ORANGE)]
    xs = [44 + 68 * i for i in range(len(parts))]
    y = 52
    for x, (name, color) in zip(xs, parts):
        body += box(x, y, 54, 30, [name], color, size=11)
    shapes = ['c₀, r/2', 'c₁, r/4', 'c₂, r/8', 'c₃, r/16', 'c₄, r/32',
              'n classes']
    for k, s in enumerate(shapes):
        if k < len(shapes) - 1:
            body.append(arrow(xs[k] + 27, y, xs[k + 1] - 27, y))
        body.append(label(xs[k], y + 29, s, size=10, color=GRAY))
    # zoom lines from stage i to the bottom row
    body.append(f'<path d="M{xs[2] - 27:g},{y + 36:g} L20,136 M'
                f'{xs[2] + 27:g},{y + 36:g} L410,136" fill="none" '
                f'stroke="{LIGHT[GRAY]}" stroke-width="1"/>')
    body.append(label(8, 128, 'stage i', anchor='start', size=12,
                      color=GRAY))
    # bottom row: d_i ResNeXt blocks
    by = 172
    blocks = [(['block 1', 'stride 2,', '1×1 shortcut'], True),
              (['block 2'], False), (['…'], False), (['block dᵢ'], False)]
    bxs = [70, 180, 262, 344]
    widths = [104, 70, 50, 70]
    for x, w, (lines, first) in zip(bxs, widths, blocks):
        body += box(x, by, w, 48, lines, PURPLE if lines != ['…'] else GRAY,
                    size=11)
    for k in range(3):
        body.append(arrow(bxs[k] + widths[k] / 2, by,
                          bxs[k + 1] - widths[k + 1] / 2, by))
    body.append(label(215, 226, 'each block: ResNeXt, width cᵢ, group width '
                      'gᵢ, bottleneck ratio kᵢ', size=11))
    body.append(label(215, 242, 'per stage four numbers: dᵢ, cᵢ, gᵢ, kᵢ',
                      size=11, color=GRAY))
    svg('cnn-design-anynet.svg', width, height,
        'The AnyNet design space: stem, four stages, head',
        'Top row: boxes for stem, stage 1 to stage 4 and head, joined by '
        'arrows labelled with channels and resolution: input 3 channels at '
        'r pixels, then c0 at r/2, c1 at r/4, c2 at r/8, c3 at r/16, c4 at '
        'r/32, and n classes out of the head. Bottom row, a zoom into '
        'stage i: a chain of d_i ResNeXt blocks, the first with stride 2 '
        'and a 1x1 convolution on its shortcut. Each stage is set by four '
        'numbers: depth, width, group width and bottleneck ratio.', body)


if __name__ == '__main__':
    anynet()
