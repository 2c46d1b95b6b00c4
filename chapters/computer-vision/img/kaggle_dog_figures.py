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
    width, height, y, h = 440, 180, 24, 62
    body = [rect(6, y + 12, 58, 38, fill='#f8f8f8', stroke=INK),
            text(35, y + 28, 'image', font_size=11),
            text(35, y + 42, '3×224²', font_size=11, fill=GRAY),
            arrow(64, y + 24, 74, y + 24),
            rect(76, y, 140, h, fill=LIGHT_GRAY, stroke=GRAY,
                 stroke_dasharray='4 3'),
            text(146, y + 17, 'frozen extractor φ', font_size=11),
            text(146, y + 32, 'ResNet-34 without fc', font_size=11,
                 fill=GRAY),
            text(146, y + 45, '21.3 M fixed weights', font_size=11,
                 fill=GRAY),
            text(146, y + 57, 'batch norm: eval', font_size=11,
                 fill=GRAY),
            arrow(216, y + 24, 228, y + 24),
            rect(230, y + 12, 44, 38, fill='#ffffff', stroke=BLUE),
            text(252, y + 28, 'φ(x)', font_size=11),
            text(252, y + 42, '512', font_size=11, fill=GRAY),
            arrow(274, y + 24, 286, y + 24),
            rect(288, y, 146, h, fill=LIGHT_ORANGE, stroke=ORANGE),
            text(361, y + 17, 'head (trained)', font_size=11),
            text(361, y + 32, 'Linear 512→256, ReLU,', font_size=11,
                 fill=GRAY),
            text(361, y + 45, 'Linear 256→120', font_size=11, fill=GRAY),
            text(361, y + 57, f'{HEAD:,} parameters', font_size=11,
                 fill=GRAY),
            arrow(410, y + h, 410, y + h + 28),
            rect(288, y + h + 30, 146, 30, fill='#ffffff', stroke=INK),
            text(361, y + h + 49, 'softmax, log loss', font_size=11)]
    # the gradient: from the loss back through the head, stopping at phi(x)
    body += [line(322, y + h + 30, 322, y + h + 2, color=RED, dash=True),
             line(288, y + 44, 276, y + 44, color=RED, dash=True),
             line(222, y + 34, 222, y + 56, tip=False, color=RED),
             text(146, y + h + 22, 'the gradient stops at φ(x):',
                  font_size=11, fill=RED),
             text(146, y + h + 36, 'the extractor only runs forward',
                  font_size=11, fill=RED),
             text(146, y + h + 50, 'and stores nothing for backward',
                  font_size=11, fill=RED),
             text(220, height - 10, 'grey: forward pass;  red dashed: '
                  'gradient of the loss', font_size=11, fill=GRAY)]
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
