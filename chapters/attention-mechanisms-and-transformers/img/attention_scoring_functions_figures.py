"""Write the diagram of Section 11.3 (attention-scoring-functions) as SVG:
run from this folder. Helpers and style from queries_keys_values_figures.py.
"""
from queries_keys_values_figures import (BLUE, GRAY, GREEN, ORANGE, PURPLE,
                                         RED, box, label, node, path, svg,
                                         sym)


def pipeline():
    """Scores, then a masked softmax, then a weighted sum; the last key pair
    is padding and gets weight 0."""
    width, height = 460, 265
    ys = [55, 105, 155, 205]
    subs = ['1', '2', '3', '4']
    kx, bus, ax_, sx, vx = 60, 150, 200, 285, 390
    body = box(bus, 18, sym('q'), RED, w=34)
    body.append(label(bus - 22, 22, 'query', anchor='end', size=10))
    body.append(path(f'M{bus},31 L{bus},{ys[-1] - 22}', tip=False))
    for i, (y, sub) in enumerate(zip(ys, subs)):
        pad = i == len(ys) - 1
        color = GRAY if pad else BLUE
        body += box(kx, y, sym('k', sub), color, dash=pad)
        body.append(path(f'M{bus},{y - 22} L{ax_ - 8},{y - 8}'))
        # the key's arrow passes over the query's line: a white gap shows it
        body.append(f'<path d="M{bus - 5},{y} L{bus + 5},{y}" '
                    f'stroke="#ffffff" stroke-width="5"/>')
        body.append(path(f'M{kx + 22},{y} L{ax_ - 11},{y}', dash=pad))
        body += node(ax_, y, 'a', PURPLE)
        body.append(path(f'M{ax_ + 10},{y} L{sx - 32},{y}', dash=pad))
        body += box(vx, y, sym('v', sub), GRAY if pad else GREEN, dash=pad)
    body.append(f'<rect x="{sx - 30}" y="40" width="60" height="180" rx="6" '
                f'fill="#ffe2c8" stroke="{ORANGE}"/>')
    body.append(label(sx, 125, 'masked', size=11))
    body.append(label(sx, 140, 'softmax', size=11))
    for y, w in zip(ys, ['0.6', '0.3', '0.1', '0']):
        body.append(path(f'M{sx + 30},{y} L{vx - 24},{y}', dash=w == '0'))
        body.append(label((sx + vx) / 2 + 4, y - 6, w, size=10))
    cx = vx + 38                                  # the values' collector
    for y, w in zip(ys, ['0.6', '0.3', '0.1', '0']):
        body.append(path(f'M{vx + 22},{y} L{cx},{y}', tip=False,
                         dash=w == '0'))
    body.append(path(f'M{cx},{ys[0]} L{cx},{240 - 11}'))
    body += node(cx, 240, 'Σ', ORANGE)
    body.append(path(f'M{cx - 10},240 L{vx - 20},240'))
    body.append(label(vx - 24, 244, 'output', anchor='end'))
    body.append(label(kx, 20, 'keys', size=10))
    body.append(label(ax_, 20, 'scores', size=10))
    body.append(label(vx, 20, 'values', size=10))
    body.append(label(kx, 236, 'padding', size=10, color=GRAY))
    svg('attention-scoring-functions-pipeline.svg', width, height,
        'Attention with a scoring function and a masked softmax',
        'A query q and each key k_1 to k_4 enter a scoring function a. A '
        'masked softmax turns the scores into weights 0.6, 0.3, 0.1 and 0; '
        'the fourth key is padding and its weight is 0. The weighted values '
        'are summed into the output.', body)


if __name__ == '__main__':
    pipeline()
