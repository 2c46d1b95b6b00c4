"""Write the diagram of Section 12.5 (minibatch-sgd) as SVG: run from this
folder (`python minibatch_sgd_figures.py`).

minibatch-sgd-matmul.svg: the four ways of computing A = BC, each showing
what one call into the library reads (B, C) and writes (A), with the number
of calls for B (128 x 512) and C (512 x 192).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]
                       / 'tools'))
import figure_svg  # noqa: E402
from figure_svg import BLUE, ORANGE, GREEN, GRAY, INK  # noqa: E402

# schematic sizes (not to scale): B is wide, C is tall, A sits below C
B_W, B_H, C_W, C_H, GAP = 44, 26, 36, 44, 6


def rect(x, y, w, h, color, filled):
    fill = (f'fill="{color}" fill-opacity="0.55"' if filled
            else 'fill="none"')
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" {fill} '
            f'stroke="{color}" stroke-width="1.2"/>')


def text(x, y, s, size=11, weight='normal'):
    return (f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}"'
            f' text-anchor="middle" fill="{INK}">{s}</text>')


def dividers(x, y, h, n):
    """Dashed lines splitting a width-C_W box at (x, y) into n slices."""
    return [f'<path d="M{x + i * C_W / n:.1f},{y} v{h}" stroke="{GRAY}" '
            'stroke-width="0.8" stroke-dasharray="2,2"/>' for i in range(1, n)]


def panel(x0, title, calls, b_rows, c_cols, a_part, slices=1):
    """One strategy: b_rows, c_cols are (start, size) fractions of B's rows
    and C's columns read per call; a_part the fraction of A written."""
    cx, cy = x0 + B_W + GAP, 30                 # C's top-left corner
    bx, by = x0, cy + C_H + GAP                 # B's top-left corner
    ax, ay = cx, by                             # A's top-left corner
    out = [text(x0 + (B_W + GAP + C_W) / 2, 16, title, size=12,
                weight='bold')]
    out += [rect(bx, by, B_W, B_H, GRAY, False),
            rect(cx, cy, C_W, C_H, GRAY, False),
            rect(ax, ay, C_W, B_H, GRAY, False)]
    out += dividers(cx, cy, C_H, slices) + dividers(ax, ay, B_H, slices)
    r0, rn = b_rows
    c0, cn = c_cols
    out.append(rect(bx, by + r0 * B_H, B_W, rn * B_H, BLUE, True))
    out.append(rect(cx + c0 * C_W, cy, cn * C_W, C_H, ORANGE, True))
    (ar0, arn), (ac0, acn) = a_part
    out.append(rect(ax + ac0 * C_W, ay + ar0 * B_H, acn * C_W, arn * B_H,
                    GREEN, True))
    out += [text(bx + B_W / 2, by + B_H + 14, 'B', size=10),
            text(cx + C_W + 8, cy + C_H / 2 + 4, 'C', size=10),
            text(ax + C_W + 8, ay + B_H / 2 + 4, 'A', size=10),
            text(x0 + (B_W + GAP + C_W) / 2, 150, calls, size=11)]
    return out


def matmul_strategies():
    row, col = 1 / 8, 1 / 18                      # one row / column, drawn
    block = 1 / 6                                 # 32 of 192 columns
    body = []
    body += panel(12, 'entry', '24,576 calls', (3 * row, row),
                  (5 * col, col), ((3 * row, row), (5 * col, col)))
    body += panel(142, 'column', '192 calls', (0, 1), (5 * col, col),
                  ((0, 1), (5 * col, col)))
    body += panel(272, 'whole', '1 call', (0, 1), (0, 1), ((0, 1), (0, 1)))
    body += panel(402, 'blocks of 32', '6 calls', (0, 1),
                  (2 * block, block), ((0, 1), (2 * block, block)), slices=6)
    title = 'Four ways to compute A = BC'
    desc = ('Four panels, each with matrix B on the left, C above and the '
            'product A below C. Shaded: what one library call reads from B '
            '(blue) and C (orange) and writes to A (green). Entry: one row '
            'of B and one column of C give one entry of A, 24,576 calls. '
            'Column: all of B and one column of C give one column of A, 192 '
            'calls. Whole: everything in one call. Blocks of 32: all of B '
            'and 32 columns of C give 32 columns of A, 6 calls.')
    figure_svg.write('minibatch-sgd-matmul.svg', figure_svg.document(
        532, 162, title, body, desc, marker_color=INK))


if __name__ == '__main__':
    matmul_strategies()
