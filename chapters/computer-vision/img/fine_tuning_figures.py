"""Write the diagram of Section 14.2 (fine-tuning) as SVG: run from this
folder.

The source model's layers are copied into the target model, all but the
output layer, which the target model gets new; the copies learn at the base
rate, the new layer at ten times it (tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, ORANGE, line, rect,  # noqa: E402
                        text)

HERE = pathlib.Path(__file__).resolve().parent
PALE_BLUE, PALE_ORANGE, PALE_GRAY = '#d2e3f0', '#ffe2c8', '#eeeeee'
LAYERS = ['conv', 'block 1', 'block 2', 'block 3', 'block 4']


def model_row(y, data_lines, head_lines, head_fill, head_stroke):
    """A data box, five layer boxes and an output box, left to right."""
    body = [rect(10, y, 92, 54, fill=PALE_GRAY, stroke=GRAY, rx=4)]
    body += [text(56, y + 22 + 15 * k, s, font_size=11)
             for k, s in enumerate(data_lines)]
    body.append(line(102, y + 27, 118, y + 27))
    for k, name in enumerate(LAYERS):
        x = 120 + 44 * k
        body.append(rect(x, y, 38, 54, fill=PALE_BLUE, stroke=BLUE, rx=3))
        words = name.split()
        body += [text(x + 19, y + 31 + 12 * (j - (len(words) - 1) / 2), w,
                      font_size=10) for j, w in enumerate(words)]
        if k:
            body.append(line(x - 6, y + 27, x, y + 27, tip=False))
    body.append(line(338, y + 27, 348, y + 27))
    body.append(rect(350, y, 80, 54, fill=head_fill, stroke=head_stroke,
                     rx=3))
    body += [text(390, y + 22 + 14 * k, s, font_size=11)
             for k, s in enumerate(head_lines)]
    return body


def steps_figure():
    """Source row on top, target row below, copies drawn as dashed lines."""
    top, bottom = 10, 150
    body = model_row(top, ['large source', 'data set'],
                     ['output layer:', 'source classes'], PALE_GRAY, GRAY)
    for k in range(len(LAYERS)):               # copy every layer down
        x = 139 + 44 * k
        body.append(line(x, top + 56, x, bottom - 2, dash=True, color=BLUE))
    body += [text(56, 100 + 14 * k, s, font_size=11, fill=BLUE)
             for k, s in enumerate(['copied, with', 'their weights'])]
    body.append(text(390, 107, 'not copied', font_size=11, fill=GRAY))
    body += model_row(bottom, ['small target', 'data set'],
                      ['new output', 'layer, random'], PALE_ORANGE, ORANGE)
    body.append(text(229, bottom + 74, 'go on learning at the base rate η',
                     font_size=11, fill=BLUE))
    body.append(text(390, bottom + 74, 'learns at 10η', font_size=11,
                     fill=ORANGE))
    return figure_svg.document(
        440, bottom + 86, 'The steps of fine-tuning',
        body, 'Top: a source model, trained on a large data set, '
        'made of a convolution, four residual blocks and an output layer '
        'for the source classes. Bottom: the target model, trained on a '
        'small data set. Dashed arrows copy the convolution and the '
        'four blocks, with their weights, from the source to the target '
        'model, where they go on learning at the base rate. The source '
        'output layer is not copied; the target model has a new, randomly '
        'initialized output layer that learns at ten times the base rate.')


if __name__ == '__main__':
    figure_svg.write(HERE / 'fine-tuning-steps.svg', steps_figure())
