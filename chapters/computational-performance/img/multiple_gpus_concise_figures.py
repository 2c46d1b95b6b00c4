"""Write the diagram of Section 13.6 (multiple-gpus-concise) as SVG.

Run from any folder: the figure lands next to this script. Style of the
book: about 400 px wide, sans-serif, matplotlib's tab10 colours, a <title>
and a <desc>.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import BLUE, GRAY, GREEN, INK, ORANGE  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
LIGHT = {BLUE: '#d2e3f0', ORANGE: '#ffe2c8', GREEN: '#d5ecd4'}


def bar(x, y, w, h, s, color):
    """A box from x to x + w on the timeline, with a centred label."""
    return [figure_svg.rect(x, y, w, h, fill=LIGHT[color], stroke=color,
                            rx=3),
            figure_svg.text(x + w / 2, y + h / 2 + 4, s, font_size=11,
                            fill=INK)]


def buckets():
    """Backward pass of three buckets with their all-reduces overlapped."""
    body = [figure_svg.text(8, 52, 'compute', anchor='start', fill=INK),
            figure_svg.text(8, 102, 'network', anchor='start', fill=INK)]
    x0, w, gap = 74, 112, 4
    comm_end = x0
    for k, layers in enumerate(['last layers', 'middle', 'first layers']):
        start = x0 + k * (w + gap)
        body += bar(start, 36, w, 26, f'grads {layers}', BLUE)
        comm = max(start + w + gap, comm_end + gap)
        body += bar(comm, 86, w - 8, 26, f'all-reduce {k + 1}', ORANGE)
        body.append(figure_svg.line(start + w - 6, 62, comm + 6, 86,
                                    color=GRAY, dash=True))
        comm_end = comm + w - 8
    body += bar(comm_end + gap, 36, 46, 26, 'step', GREEN)
    end = comm_end + gap + 46
    body.append(figure_svg.line(x0, 140, end + 10, 140, color=INK))
    body.append(figure_svg.text((x0 + end) / 2, 158, 'time within one '
                                'training step', fill=INK, font_size=11))
    body.append(figure_svg.text(x0 + 1.5 * w, 24, 'backward(): buckets '
                                'filled from the output back', fill=INK,
                                font_size=11))
    desc = ('A timeline of one DDP step. On the compute row, backpropagation '
            'produces the gradients of three buckets, last layers first. On '
            'the network row, the all-reduce of each bucket starts as soon '
            'as its gradients exist and runs while the next bucket is '
            'computed; only the last all-reduce delays the optimizer step.')
    figure_svg.write(HERE / 'multiple-gpus-concise-buckets.svg',
                     figure_svg.document(int(end + 24), 170,
                                         'DDP overlaps gradient all-reduce '
                                         'with backpropagation', body, desc))


if __name__ == '__main__':
    buckets()
