"""Write the diagram of Section 14.13 (kaggle-cifar10) as SVG: run from this
folder.

How reorg_train_valid and reorg_test copy a competition's flat folders into
the four ImageFolder trees, on six labelled images and three test images
with one validation image per class, in the book's figure style
(tools/figure_svg.py).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG frame)
from figure_svg import (BLUE, GRAY, GREEN, INK, ORANGE, line,  # noqa: E402
                        rect, text)

HERE = pathlib.Path(__file__).resolve().parent
LABELS = {1: 'cat', 2: 'ship', 3: 'cat', 4: 'ship', 5: 'cat', 6: 'ship'}


def mono(x, y, s, anchor='start', **attrs):
    """A line of monospaced text (file and folder names)."""
    return text(x, y, s, anchor=anchor, font_family='monospace', **attrs)


def panel(x, y, w, h, title, colour, rows, note=None):
    """A titled box listing `rows` of file names, one per line."""
    body = [rect(x, y, w, h, fill='#fafafa', stroke=colour),
            mono(x + 8, y + 17, title, font_weight='bold', fill=colour)]
    if note:
        body.append(text(x + w - 6, y + 17, note, anchor='end',
                         font_size=11, fill=GRAY))
    body += [mono(x + 14, y + 35 + 16 * i, row, font_size=11)
             for i, row in enumerate(rows)]
    return body


def folders():
    """The flat competition layout on the left, the four trees right."""
    width, height = 440, 330
    body = [text(90, 18, 'data_dir/', font_weight='bold', fill=INK),
            text(335, 18, 'data_dir/train_valid_test/', font_weight='bold',
                 fill=INK)]
    body += panel(10, 30, 160, 138, 'train/', BLUE,
                  [f'{i}.png  ({LABELS[i]})' for i in LABELS])
    body += [mono(10, 190, 'trainLabels.csv', fill=BLUE),
             mono(18, 206, 'id,label  1,cat ...', font_size=11, fill=GRAY)]
    body += panel(10, 228, 160, 86, 'test/', GREEN,
                  ['1.png', '2.png', '3.png'])
    right = [(30, 'train_valid/', INK, ['cat/  1 3 5', 'ship/ 2 4 6'],
              'all of them'),
             (110, 'valid/', ORANGE, ['cat/  1', 'ship/ 2'],
              'n_valid per class'),
             (190, 'train/', BLUE, ['cat/  3 5', 'ship/ 4 6'], 'the rest'),
             (260, 'test/', GREEN, ['unknown/ 1 2 3'], 'one class')]
    for y, title, colour, rows, note in right:
        h = 34 + 16 * len(rows)
        body += panel(240, y, 190, h, title, colour, rows, note)
        if title != 'test/':
            body.append(line(170, 99, 238, y + h / 2, color=colour))
    body.append(line(170, 271, 238, 285, color=GREEN))
    body.append(text(205, 326, 'copies; the originals stay', font_size=11,
                     fill=GRAY))
    figure_svg.write(HERE / 'kaggle-cifar10-folders.svg', figure_svg.document(
        width, height, 'Reorganising the competition files into class '
        'folders', body, 'Six labelled images (cat: 1, 3, 5; ship: 2, 4, 6) '
        'and three test images. With one validation image per class, '
        'images 1 and 2, the first of each class in name order, are copied '
        'to valid/, the others to train/, and all six to train_valid/; the '
        'test images go to the single folder test/unknown/.'))


if __name__ == '__main__':
    folders()
