"""Draw the diagrams of Appendix A (Mathematics for Deep Learning) as SVG.

Usage (from the repository root):
    .venv/bin/python chapters/appendix-mathematics-for-deep-learning/img/make_figures.py

Every figure is written beside this script, about 400 px wide, in the
matplotlib tab10 palette with a sans-serif font, and gets a <title> (a short
name) and a <desc> (what it shows) so that screen readers and the book build
can name it. The palette and the file writing come from the book's shared
tools/figure_svg.py; the drawing itself is matplotlib's. Plots of data are
drawn by the notebooks themselves; this script holds only the diagrams.
"""
import pathlib
import re
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, Polygon  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG palette and writer)

HERE = pathlib.Path(__file__).resolve().parent
C = (figure_svg.BLUE, figure_svg.ORANGE, figure_svg.GREEN, figure_svg.RED,
     figure_svg.PURPLE, figure_svg.BROWN, figure_svg.PINK, figure_svg.GRAY,
     figure_svg.OLIVE, figure_svg.CYAN)          # tab10, in its order
WIDTH_PX = 400

plt.rcParams.update({
    'font.family': 'sans-serif', 'font.size': 9, 'svg.hashsalt': 'appendix-a',
    'axes.spines.top': False, 'axes.spines.right': False,
})


def save(fig, name, title, desc):
    """Write `fig` as img/<name>.svg, WIDTH_PX wide, with <title>, <desc>."""
    path = HERE / f'{name}.svg'
    fig.savefig(path, format='svg', bbox_inches='tight',
                metadata={'Date': None, 'Creator': None})
    plt.close(fig)
    svg = path.read_text(encoding='utf-8')
    w, h = (float(v) for v in re.search(
        r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"',
        svg, re.S).groups())
    svg = re.sub(r'width="[\d.]+pt"', f'width="{WIDTH_PX}px"', svg, count=1)
    svg = re.sub(r'height="[\d.]+pt"',
                 f'height="{round(WIDTH_PX * h / w)}px"', svg, count=1)
    svg = re.sub(r'(<svg[^>]*>)', lambda m: m.group(1) +
                 f'\n <title>{title}</title>\n <desc>{desc}</desc>', svg,
                 count=1)
    figure_svg.write(path, svg)


def arrow(ax, start, end, color, lw=1.8, **kw):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle='-|>',
                                 mutation_scale=11, color=color, lw=lw,
                                 shrinkA=0, shrinkB=0, **kw))


def plane_axes(ax, lim):
    ax.set_xlim(*lim[:2]); ax.set_ylim(*lim[2:])
    ax.set_aspect('equal')
    ax.axhline(0, color='0.6', lw=0.6); ax.axvline(0, color='0.6', lw=0.6)
    ax.set_xticks(range(int(lim[0]), int(lim[1]) + 1))
    ax.set_yticks(range(int(lim[2]), int(lim[3]) + 1))
    ax.tick_params(labelsize=7)


# ---------------------------------------------------------------- A.1 ----
def geometry_views():
    rng = np.random.default_rng(3)
    fig, (a, b) = plt.subplots(1, 2, figsize=(6, 2.8))
    for center, color, label in [((1.2, 2.6), C[0], 'class 0'),
                                 ((3.0, 0.9), C[1], 'class 1')]:
        pts = rng.normal(center, 0.45, size=(25, 2))
        a.scatter(*pts.T, s=10, color=color, label=label)
    a.plot([0.2, 4.2], [0.0, 3.6], '--', color='0.3', lw=1)
    a.text(2.75, 2.75, 'a separating line', fontsize=8, color='0.3',
           rotation=42, rotation_mode='anchor')     # along the line, above it
    plane_axes(a, (0, 4.5, 0, 4))
    a.legend(fontsize=7, loc='upper left', frameon=False)
    a.set_title('vectors as points', fontsize=9)
    for start in [(0, 0), (1, 2), (-2, 1), (-3, -2), (1, -3)]:
        arrow(b, start, (start[0] + 3, start[1] + 2), C[2])
    b.text(0.5, 1.2, '(3, 2)', color=C[2], fontsize=8)
    plane_axes(b, (-3.5, 4.5, -3.5, 3.5))
    b.set_title('vectors as directions: one arrow, anywhere', fontsize=9)
    fig.tight_layout()
    save(fig, 'geometry-views',
         'Vectors as points and as directions',
         'Left: two point clouds separated by a line. '
         'Right: five copies of the arrow (3, 2) drawn from different '
         'starting points.')


def geometry_sum():
    u, v = np.array([1.0, 3.0]), np.array([3.0, 1.0])
    fig, (a, b) = plt.subplots(1, 2, figsize=(6, 2.8))
    arrow(a, (0, 0), u, C[0]); arrow(a, u, u + v, C[1])
    arrow(a, (0, 0), u + v, C[2])
    a.text(*(u / 2 + (-0.8, 0)), 'u', color=C[0])
    a.text(*(u + v / 2 + (0, 0.25)), 'v', color=C[1])
    a.text(*((u + v) / 2 + (0.4, -0.5)), 'u + v', color=C[2])
    plane_axes(a, (-0.5, 4.5, -0.5, 4.5))
    a.set_title('sum: follow u, then v', fontsize=9)
    arrow(b, (0, 0), u, C[0]); arrow(b, (0, 0), v, C[1])
    arrow(b, v, u, C[3])
    b.text(*(u / 2 + (-0.8, 0)), 'u', color=C[0])
    b.text(*(v / 2 + (0.1, -0.6)), 'v', color=C[1])
    b.text(*((u + v) / 2 + (0.15, 0.2)), 'u - v', color=C[3])
    plane_axes(b, (-0.5, 4.5, -0.5, 4.5))
    b.set_title('difference: from the tip of v to u', fontsize=9)
    fig.tight_layout()
    save(fig, 'geometry-sum',
         'Sum and difference of two vectors',
         'Left: u + v drawn head to tail. Right: u - v '
         'as the arrow from the tip of v to the tip of u.')


def geometry_projection():
    w = np.array([3.0, 4.0]) / 2.5
    fig, (a, b) = plt.subplots(1, 2, figsize=(6, 3))
    v = np.array([3.2, 0.8])
    proj = (v @ w) / (w @ w) * w
    arrow(a, (0, 0), w, C[0]); arrow(a, (0, 0), v, C[1])
    a.plot(*zip(v, proj), ':', color='0.4')
    a.plot(*zip((0, 0), proj), color=C[2], lw=3, alpha=0.5)
    a.text(*(w + (-0.35, 0.0)), 'w', color=C[0])
    a.text(*(v + (0.05, -0.3)), 'v', color=C[1])
    a.text(0.1, 1.05, r'length $\|v\|\cos\theta$', color=C[2], fontsize=8,
           rotation=53)
    ang = np.linspace(np.arctan2(v[1], v[0]), np.arctan2(w[1], w[0]), 20)
    a.plot(0.7 * np.cos(ang), 0.7 * np.sin(ang), color='0.3', lw=0.8)
    a.text(0.75, 0.5, r'$\theta$')
    plane_axes(a, (-0.5, 3.5, -0.5, 3.0))
    a.set_title('projection of v on the direction of w', fontsize=9)
    xs = np.linspace(-1, 4, 2)
    line = (10 - 3 * xs) / 4
    b.fill_between(xs, line, 4, color=C[1], alpha=0.15)
    b.fill_between(xs, -1, line, color=C[0], alpha=0.15)
    b.plot(xs, line, color='0.2')
    arrow(b, (0, 0), (0.6, 0.8), C[3])
    b.text(0.65, 0.5, 'w/5', color=C[3], fontsize=8)
    b.plot([0, 1.2], [0, 1.6], ':', color=C[3])
    b.text(2.1, 3.2, r'$3x+4y>10$', fontsize=8)
    b.text(-0.8, -0.7, r'$3x+4y<10$', fontsize=8)
    b.text(2.2, 0.5, r'$3x+4y=10$', fontsize=8, rotation=-37)
    plane_axes(b, (-1, 4, -1, 4))
    b.set_title('a line splits the plane in two', fontsize=9)
    fig.tight_layout()
    save(fig, 'geometry-projection',
         'Projection on a vector, and a line as a set of equal projections',
         'Left: the projection of v on w has '
         'length |v| cos(theta). Right: the line 3x + 4y = 10 at distance 2 '
         'from the origin, perpendicular to w = (3, 4), with its two '
         'half-planes shaded.')


def geometry_plane():
    fig = plt.figure(figsize=(4, 3))
    ax = fig.add_subplot(projection='3d')
    s = np.linspace(-1, 2, 12)
    X, Y = np.meshgrid(s, s)
    ax.plot_surface(X, Y, 1 - X - Y, alpha=0.35, color=C[0])
    ax.quiver(0, 0, 0, 1, 1, 1, color=C[3], length=0.8, normalize=True)
    ax.text(0.5, 0.5, 0.7, 'w = (1, 1, 1)', color=C[3], fontsize=8)
    ax.set_xlabel('x'); ax.set_ylabel('y'); ax.set_zlabel('z')
    ax.view_init(elev=20, azim=-60)
    ax.tick_params(labelsize=6)
    save(fig, 'geometry-plane',
         'A plane in three dimensions and its normal vector',
         'The plane x + y + z = 1 in three '
         'dimensions, perpendicular to w = (1, 1, 1).')


def grid_image(ax, M, title, lim=3.5):
    for k in range(-4, 5):
        for line in (np.array([[k, -4], [k, 4]]), np.array([[-4, k], [4, k]])):
            img = line @ M.T
            ax.plot(*img.T, color='0.75', lw=0.7)
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]]) @ M.T
    ax.add_patch(Polygon(square, color=C[2], alpha=0.35))
    arrow(ax, (0, 0), M[:, 0], C[0]); arrow(ax, (0, 0), M[:, 1], C[1])
    ax.text(*(M[:, 0] + (0.1, -0.4)), r'$A\mathbf{e}_1$', color=C[0])
    ax.text(*(M[:, 1] + (-0.9, 0.1)), r'$A\mathbf{e}_2$', color=C[1])
    ax.set_xlim(-lim, lim); ax.set_ylim(-lim, lim); ax.set_aspect('equal')
    ax.set_xticks([]); ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title, fontsize=9)


def geometry_grids():
    fig, (a, b) = plt.subplots(1, 2, figsize=(6, 3))
    grid_image(a, np.array([[2.0, -1.0], [1.0, 1.0]]),
               'A = [[2, -1], [1, 1]]: area 3')
    grid_image(b, np.array([[1.0, 2.0], [2.0, 4.0]]),
               'B = [[1, 2], [2, 4]]: a line')
    b.texts[0].set_text(r'$B\mathbf{e}_1$')
    b.texts[1].set_text(r'$B\mathbf{e}_2$')
    fig.tight_layout()
    save(fig, 'geometry-grids',
         'What two matrices do to a grid',
         'Left: A maps the square grid to a grid of '
         'parallelograms; the unit square (green) becomes a parallelogram of '
         'area 3. Right: B maps the whole plane onto one line.')


# ---------------------------------------------------------------- A.4 ----
def chain_graph():
    pos = {'w': (0, 3), 'x': (0, 2), 'y': (0, 1), 'z': (0, 0),
           'a': (1.3, 2.2), 'b': (1.3, 0.8), 'u': (2.6, 2.2),
           'v': (2.6, 0.8), 'f': (3.9, 1.5)}
    edges = [('w', 'a'), ('x', 'a'), ('y', 'a'), ('x', 'b'), ('y', 'b'),
             ('z', 'b'), ('a', 'u'), ('b', 'u'), ('a', 'v'), ('b', 'v'),
             ('u', 'f'), ('v', 'f')]
    on_path = {('x', 'a'), ('x', 'b'), ('a', 'u'), ('b', 'u'), ('a', 'v'),
               ('b', 'v'), ('u', 'f'), ('v', 'f')}
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for s, t in edges:
        hot = (s, t) in on_path
        ax.add_patch(FancyArrowPatch(pos[s], pos[t], arrowstyle='-|>',
                                     mutation_scale=10, shrinkA=11,
                                     shrinkB=11, lw=2.2 if hot else 1,
                                     color=C[3] if hot else '0.55'))
    for name, (px, py) in pos.items():
        ax.add_patch(Circle((px, py), 0.22, facecolor='white',
                            edgecolor=C[3] if name == 'x' else C[0], lw=1.5))
        ax.text(px, py, name, ha='center', va='center', fontsize=11,
                style='italic')
    notes = {'a': 'a = wx + y', 'b': 'b = xy - z', 'u': 'u = ab',
             'v': 'v = a - b', 'f': 'f = u + v²'}
    for name, text in notes.items():
        px, py = pos[name]
        dy = -0.45 if name in 'bv' else 0.33          # keep clear of arrows
        ax.text(px, py + dy, text, ha='center', fontsize=8, color='0.25')
    ax.set_xlim(-0.4, 4.4); ax.set_ylim(-0.4, 3.6); ax.set_aspect('equal')
    ax.axis('off')
    save(fig, 'multivariable-chain-graph',
         'Paths from an input to the output of a computational graph',
         'Computational graph from the '
         'inputs w, x, y, z through a, b and u, v to f; the four paths from '
         'x to f are highlighted.')


# ---------------------------------------------------------------- A.5 ----
def substitution_strip():
    u = lambda x: 1 + x ** 2
    x = np.linspace(0, 1.2, 100)
    x0, eps = 0.6, 0.12
    fig, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.plot(x, u(x), color=C[0], lw=2)
    ax.axvspan(x0, x0 + eps, ymax=0.06, color=C[1], alpha=0.8)
    ax.axhspan(u(x0), u(x0 + eps), xmax=0.04, color=C[2], alpha=0.8)
    for xx in (x0, x0 + eps):
        ax.plot([xx, xx, 0], [0.7, u(xx), u(xx)], ':', color='0.4', lw=1)
    ax.set_xlim(0, 1.2); ax.set_ylim(0.7, 2.5)
    ax.text(x0 + eps / 2, 0.88, r'width $\epsilon$', ha='center',
            color=C[1], fontsize=8)
    ax.text(0.06, (u(x0) + u(x0 + eps)) / 2,
            r"width $\approx u'(x)\,\epsilon$", va='center', color=C[2],
            fontsize=8)
    ax.text(0.62, 2.2, r'$u(x) = 1 + x^2$', color=C[0])
    ax.set_xlabel('x'); ax.set_ylabel('u')
    save(fig, 'integral-substitution',
         'Substitution stretches a thin interval',
         'A thin interval of width epsilon '
         'at x is mapped by u to an interval of width about u prime of x '
         'times epsilon on the vertical axis.')


def fubini_grid():
    n = 6
    h = (np.arange(n) + 0.5) / n * 2 - 1
    X, Y = np.meshgrid(h, h)
    F = np.exp(-X ** 2 - Y ** 2)
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    ax.imshow(F, cmap='Blues', vmin=0, vmax=1.2, origin='lower',
              extent=(0, n, 0, n))
    for i in range(n):
        for j in range(n):
            ax.text(j + 0.5, i + 0.5, f'{F[i, j]:.2f}', ha='center',
                    va='center', fontsize=7)
        ax.text(i + 0.5, -0.6, f'{F[:, i].sum():.2f}', ha='center',
                fontsize=7, color=C[3])
    ax.annotate('', (-0.3, 0.1), (-0.3, 5.9), arrowprops=dict(
        arrowstyle='->', color=C[3], lw=1.2))
    ax.text(-0.2, -0.6, 'sums:', ha='right', fontsize=7, color=C[3])
    ax.set_xticks([]); ax.set_yticks([])
    ax.set_xlabel('x'); ax.set_ylabel('y')
    ax.set_ylim(-1, n); ax.set_xlim(-0.6, n)
    for side in ax.spines.values():
        side.set_visible(False)
    save(fig, 'integral-fubini',
         'Summing a grid of values column by column',
         'A six by six grid of values of '
         'exp(-x^2 - y^2); each column is summed first (red numbers), and '
         'the column sums are then added.')


# ---------------------------------------------------------------- A.11 ---
def information_venn():
    fig, ax = plt.subplots(figsize=(4.6, 2.8))
    ax.add_patch(Circle((-0.55, 0), 1.1, color=C[0], alpha=0.35))
    ax.add_patch(Circle((0.55, 0), 1.1, color=C[1], alpha=0.35))
    ax.text(-1.1, 0, 'H(X | Y)', ha='center', va='center', fontsize=9)
    ax.text(1.1, 0, 'H(Y | X)', ha='center', va='center', fontsize=9)
    ax.text(0, 0, 'I(X; Y)', ha='center', va='center', fontsize=9,
            weight='bold')
    ax.text(-1.35, 0.95, 'H(X)', color=C[0], fontsize=10, ha='center')
    ax.text(1.35, 0.95, 'H(Y)', color=C[1], fontsize=10, ha='center')
    ax.text(0, -1.4, 'both circles together: H(X, Y)', ha='center',
            fontsize=9, color='0.3')
    ax.set_xlim(-2.4, 2.4); ax.set_ylim(-1.5, 1.5); ax.set_aspect('equal')
    ax.axis('off')
    save(fig, 'information-venn',
         'Entropies of two variables as overlapping circles',
         'Two overlapping circles H(X) and H(Y) '
         'whose union is H(X, Y): the overlap is the mutual information, '
         'the rest of each circle a conditional entropy.')


if __name__ == '__main__':
    for make in [geometry_views, geometry_sum, geometry_projection,
                 geometry_plane, geometry_grids, chain_graph,
                 substitution_strip, fubini_grid, information_venn]:
        make()
