"""Draw the matplotlib diagrams of Sections 3.1 and 3.6 as SVG.

usage: python linreg_figures.py   (run from this folder; rewrites the SVGs)

Each SVG gets a <title> and a <desc> (the figure's caption), which screen
readers and browsers show for the image. Colours and file writing come from
the book's shared tools/figure_svg.py; the drawing itself is matplotlib's.

* linreg-residuals.svg: a 1-D fit whose residuals are drawn as segments.
* generalization-capacity.svg: training and validation loss against model
  complexity (an idealised sketch, not a measurement).
"""
import pathlib
import re
import sys
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use('svg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / 'tools'))
import figure_svg  # noqa: E402  (the book's shared SVG palette and writer)
from figure_svg import BLUE, ORANGE, RED  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent

plt.rcParams.update({
    'svg.fonttype': 'none',        # keep labels as text in the SVG
    'svg.hashsalt': 'd2l-linreg',  # stable element ids between runs
    'font.family': 'sans-serif',
    'font.size': 9,
})


def save(fig, name, title, desc):
    """Write `fig` to `name` with an accessible <title> and <desc>."""
    path = HERE / name
    fig.savefig(path, format='svg', bbox_inches='tight',
                metadata={'Date': None})
    plt.close(fig)
    svg = path.read_text(encoding='utf-8')
    label = (f'\n <title>{escape(title)}</title>'
             f'\n <desc>{escape(desc)}</desc>')
    svg = re.sub(r'(<svg[^>]*>)', lambda m: m.group(1) + label, svg,
                 count=1)
    figure_svg.write(path, svg)


def residuals():
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(0, 10, 14))
    y = 0.8 * x + 1.0 + rng.normal(0, 1.2, x.shape)
    w, b = np.polyfit(x, y, 1)                 # least-squares line
    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    ax.vlines(x, y, w * x + b, colors=RED, lw=1.2,
              label='residual')
    grid = np.linspace(-0.3, 10.3, 2)
    ax.plot(grid, w * grid + b, color=BLUE, lw=1.8,
            label='fitted line')
    ax.scatter(x, y, s=18, color=ORANGE, zorder=3, label='examples')
    ax.set_xlabel('feature x')
    ax.set_ylabel('label y')
    ax.legend(frameon=False, loc='upper left')
    ax.spines[['top', 'right']].set_visible(False)
    save(fig, 'linreg-residuals.svg', 'Residuals of a least-squares line',
         'A least-squares line through one-dimensional data. The red '
         'segments are the residuals; the fitted line is the one that makes '
         'the sum of their squares smallest, so long segments weigh much '
         'more than short ones.')


def capacity():
    c = np.linspace(0.05, 1, 200)              # model complexity (a.u.)
    train = 0.08 + 0.9 * np.exp(-3.5 * c)
    val = train + 1.1 * c ** 2.2
    best = c[np.argmin(val)]
    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    ax.axvspan(0.05, best, color=BLUE, alpha=0.08, lw=0)
    ax.axvspan(best, 1, color=RED, alpha=0.08, lw=0)
    ax.plot(c, train, color=BLUE, lw=1.8, label='training loss')
    ax.plot(c, val, color=ORANGE, lw=1.8, ls='--',
            label='generalization loss')
    ax.axvline(best, color='0.4', lw=0.8, ls=':')
    ax.text(best, 1.02, 'best fit', ha='center', va='bottom',
            transform=ax.get_xaxis_transform(), color='0.3')
    ax.text(0.1, 0.93, 'underfitting', transform=ax.transAxes)
    ax.text(0.68, 0.93, 'overfitting', transform=ax.transAxes)
    ax.set_xlabel('model complexity')
    ax.set_ylabel('loss')
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlim(0.05, 1)
    ax.set_ylim(0, 1.2)
    ax.legend(frameon=False, loc='center right', bbox_to_anchor=(1.0, 0.33))
    ax.spines[['top', 'right']].set_visible(False)
    save(fig, 'generalization-capacity.svg',
         'Training and generalization loss against model complexity',
         'An idealized sketch. The training loss only falls as the model '
         'grows; the generalization loss first falls, then rises once the '
         'model starts fitting noise. The best model sits at the bottom of '
         'the U.')


if __name__ == '__main__':
    residuals()
    capacity()
