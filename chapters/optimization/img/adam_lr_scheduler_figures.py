"""Write the diagrams of Sections 12.10 (adam) and 12.11 (lr-scheduler) as
SVG: run from this folder (`python adam_lr_scheduler_figures.py`).

adam-dataflow.svg: one Adam step, gradient -> two leaky averages -> bias
correction -> update. lr-scheduler-fresh-copy.svg: one scheduler factory
used twice, once for a throw-away plot and once for training.
"""
import pathlib
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]
                       / 'tools'))
import figure_svg  # noqa: E402
from figure_svg import BLUE, ORANGE, GREEN, RED, GRAY, INK  # noqa: E402


def svg(name, width, height, title, desc, body):
    figure_svg.write(name, figure_svg.document(
        width, height, title, body, desc, marker_color=INK,
        escape_text=True))


def box(x, y, w, h, lines, color, size=11):
    """A rounded box with its top-left corner at (x, y) and centred lines."""
    out = [f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" '
           f'fill="{color}" fill-opacity="0.15" stroke="{color}" '
           'stroke-width="1.5"/>']
    step = size + 4
    top = y + h / 2 - step * (len(lines) - 1) / 2 + size * 0.35
    for i, line in enumerate(lines):
        out.append(label(x + w / 2, top + i * step, line, size=size))
    return out


def label(x, y, text, size=11, anchor='middle', color=INK):
    return (f'<text x="{x}" y="{y:.1f}" font-size="{size}" '
            f'text-anchor="{anchor}" fill="{color}">{escape(text)}</text>')


def arrow(d, dash=False, color=INK):
    extra = ' stroke-dasharray="4,3"' if dash else ''
    return (f'<path d="{d}" fill="none" stroke="{color}" stroke-width="1.4"'
            f'{extra} marker-end="url(#tip)"/>')


def adam_dataflow():
    body = []
    body += box(10, 88, 62, 44, ['g', 'gradient'], GREEN)
    body += box(100, 20, 150, 44, ['leaky average (β₁)',
                                   'v ← β₁v + (1−β₁)g'], BLUE)
    body += box(100, 156, 150, 44, ['leaky average (β₂)',
                                    's ← β₂s + (1−β₂)g²'], ORANGE)
    body += box(272, 20, 100, 44, ['correct', 'v̂ = v / (1−β₁ᵗ)'], BLUE)
    body += box(272, 156, 100, 44, ['correct', 'ŝ = s / (1−β₂ᵗ)'], ORANGE)
    body += box(396, 88, 154, 44, ['step',
                                   'x ← x − η v̂ / (√ŝ + ε)'], GRAY)
    body.append(arrow('M72,110 L84,110 L84,42 L98,42'))
    body.append(arrow('M84,110 L84,178 L98,178'))
    body.append(label(88, 145, 'square', size=9, anchor='start',
                      color=GRAY))
    body.append(arrow('M250,42 L270,42'))
    body.append(arrow('M250,178 L270,178'))
    body.append(arrow('M372,42 L473,42 L473,86'))
    body.append(arrow('M372,178 L473,178 L473,134'))
    for y0, y1 in ((20, 6), (200, 214)):          # state kept between steps
        body.append(arrow(f'M150,{y0} C150,{y1} 200,{y1} 200,{y0}',
                          dash=True, color=GRAY))
    body.append(label(210, 10, 'state kept for step t+1', size=9,
                      anchor='start', color=GRAY))
    body.append(label(210, 216, 'state kept for step t+1', size=9,
                      anchor='start', color=GRAY))
    body.append(label(473, 152, 'η: step length', size=9, color=GRAY))
    svg('adam-dataflow.svg', 560, 222, 'One step of Adam',
        'The minibatch gradient g feeds two leaky averages: v, the average '
        'gradient with rate beta1, and s, the average squared gradient with '
        'rate beta2; both are kept as state for the next step. Each is '
        'divided by one minus its rate to the power t (bias correction), '
        'and the parameters move by eta times the corrected v divided by '
        'the square root of the corrected s plus epsilon.', body)


def fresh_copy():
    body = []
    body += box(10, 96, 150, 48, ['make_scheduler(optimizer)',
                                  'a function, not an object'], GREEN,
                size=10)
    body += box(220, 18, 220, 48, ['throw-away optimizer + scheduler',
                                   'stepped through all epochs → plot'],
                BLUE, size=10)
    body += box(220, 96, 220, 48, ['training optimizer + scheduler',
                                   'starts at epoch 0 → training'], ORANGE,
                size=10)
    body += box(220, 176, 220, 48, ['one scheduler plotted, then trained:',
                                    'training starts at the last rate'], RED,
                size=10)
    body.append(arrow('M160,110 L190,110 L190,42 L218,42'))
    body.append(arrow('M160,120 L218,120'))
    body.append(arrow('M160,132 L190,132 L190,200 L218,200', dash=True,
                      color=RED))
    body.append(label(450, 46, '✓', size=16, anchor='start', color=GREEN))
    body.append(label(450, 124, '✓', size=16, anchor='start', color=GREEN))
    body.append(label(450, 204, '✗', size=16, anchor='start', color=RED))
    svg('lr-scheduler-fresh-copy.svg', 480, 236,
        'Plot a schedule from a fresh copy',
        'A function that builds a scheduler for a given optimizer is called '
        'twice: once on a throw-away optimizer, which is stepped through all '
        'epochs to plot the schedule, and once on the training optimizer, '
        'which therefore starts at epoch 0. Plotting by stepping the '
        'training scheduler itself (dashed, marked wrong) would leave it at '
        'the end of its schedule before training starts.', body)


if __name__ == '__main__':
    adam_dataflow()
    fresh_copy()
