"""Write the diagram of Section 14.14 (kaggle-dog) as SVG: run from this
folder.

The frozen feature extractor with its trainable head, as the section builds
it with ImageNet ResNet-34: the forward pass runs through both parts, the
gradient of the loss reaches only the head, and the extractor's batch
normalization stays in evaluation mode. Parameter counts are the section's
(ResNet-34 without fc; head 512 -> 256 -> 120), in the book's figure style
(tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, INK, ORANGE, RED, arrow,  # noqa: E402
                        line, rect, text)

HERE = pathlib.Path(__file__).resolve().parent
LIGHT_GRAY, LIGHT_ORANGE = '#eeeeee', '#ffe2c8'
HEAD = 512 * 256 + 256 + 256 * 120 + 120     # the head's parameters


def frozen_figure():
    """Image -> frozen extractor -> features -> head -> loss, and back."""
    width, height, y, h = 480, 174, 24, 62
    body = [rect(8, y + 12, 62, 38, fill='#f8f8f8', stroke=INK),
            text(39, y + 28, 'image', font_size=11),
            text(39, y + 42, '3×224×224', font_size=9, fill=GRAY),
            arrow(70, y + 24, 86, y + 24),
            rect(88, y, 150, h, fill=LIGHT_GRAY, stroke=GRAY,
                 stroke_dasharray='4 3'),
            text(163, y + 17, 'frozen extractor φ', font_size=11),
            text(163, y + 32, 'ResNet-34 without fc', font_size=10,
                 fill=GRAY),
            text(163, y + 45, '21.3 M fixed parameters', font_size=10,
                 fill=GRAY),
            text(163, y + 57, 'batch norm in eval mode', font_size=10,
                 fill=GRAY),
            arrow(238, y + 24, 256, y + 24),
            rect(258, y + 12, 48, 38, fill='#ffffff', stroke=BLUE),
            text(282, y + 28, 'φ(x)', font_size=11),
            text(282, y + 42, '512', font_size=9, fill=GRAY),
            arrow(306, y + 24, 324, y + 24),
            rect(326, y, 146, h, fill=LIGHT_ORANGE, stroke=ORANGE),
            text(399, y + 17, 'head (trained)', font_size=11),
            text(399, y + 32, 'Linear 512→256, ReLU,', font_size=10,
                 fill=GRAY),
            text(399, y + 45, 'Linear 256→120', font_size=10, fill=GRAY),
            text(399, y + 57, f'{HEAD:,} parameters', font_size=10,
                 fill=GRAY),
            arrow(420, y + h, 420, y + h + 28),
            rect(326, y + h + 30, 146, 30, fill='#ffffff', stroke=INK),
            text(399, y + h + 49, 'softmax, log loss', font_size=11)]
    # the gradient: from the loss back through the head, stopping at phi(x)
    body += [line(360, y + h + 30, 360, y + h + 2, color=RED, dash=True),
             line(326, y + 44, 308, y + 44, color=RED, dash=True),
             line(248, y + 34, 248, y + 56, tip=False, color=RED),
             text(163, y + h + 22, 'the gradient stops at φ(x):',
                  font_size=10, fill=RED),
             text(163, y + h + 35, 'the extractor only runs forward',
                  font_size=10, fill=RED),
             text(163, y + h + 48, 'and stores nothing for a backward pass',
                  font_size=10, fill=RED),
             text(240, height - 12, 'grey: forward pass;  red dashed: '
                  'gradient of the loss', font_size=10, fill=GRAY)]
    figure_svg.write(HERE / 'kaggle-dog-frozen.svg', figure_svg.document(
        width, height, 'A frozen feature extractor with a trained head',
        body,
        'An image of 3 by 224 by 224 pixels goes through the frozen '
        'ResNet-34 without its last layer (21.3 million fixed parameters, '
        'batch normalization in evaluation mode) to a 512-dimensional '
        f'feature vector, then through the trained head ({HEAD:,} '
        'parameters) to a softmax and the log loss. The gradient of the '
        'loss flows back through the head only and stops at the feature '
        'vector.'))


if __name__ == '__main__':
    frozen_figure()
