"""Live curves: when and where the book's training plots are shown.

Two public classes record points of growing curves: ``d2l.ProgressBoard``
(Section 3.2, used by every ``Module``) and ``d2l.Animator`` (Appendix B.7,
used by the functional training loops). Showing those points is the same job
for both, and it is done here, by one engine, :class:`LiveView`:

* **Throttled.** A new point is shown at once if it is the first one, if it
  reaches the right end of ``xlim``, or if :data:`INTERVAL` seconds passed
  since the last show; otherwise it waits. Drawing a figure costs tens of
  milliseconds, far more than one step of a small model, so recording stays
  cheap and the redraws stay few.
* **Flushed.** Whatever is still waiting is shown when the owner calls
  ``flush()`` (``Trainer.fit`` does, at the end of training), at the end of
  the notebook cell that recorded it (an IPython ``post_run_cell`` hook), and
  at interpreter exit. A draw loop that never calls ``flush`` still ends with
  its last point on screen.
* **Where.** Inside a Jupyter kernel the curves are rendered to SVG and shown
  through one display handle, updated in place, so a cell ends with a single
  figure; the next cell (or the next ``fit``) starts a new one. In a plain
  terminal one progress line overwrites itself. With ``owner.display`` false
  nothing is shown and nothing is rendered.

An owner provides ``display``, ``xlabel``, ``ylabel``, ``xlim``, ``ylim``,
``xscale``, ``yscale``, ``figsize``, ``fig`` and ``axes`` attributes; the
subclass of :class:`LiveView` that serves it says how to list its curves.
"""
import atexit
import io
import sys
import time
import weakref

__all__ = ['INTERVAL', 'Curve', 'LiveView', 'BoardView', 'AnimatorView',
           'in_kernel', 'flush_all']

#: Minimum number of seconds between two shows of the same curves.
INTERVAL = 0.5


class Curve:
    """One curve to show: its label (or None), points and matplotlib style."""
    __slots__ = ('label', 'xs', 'ys', 'fmt', 'style')

    def __init__(self, label, xs, ys, fmt='', style=None):
        self.label, self.xs, self.ys = label, list(xs), list(ys)
        self.fmt, self.style = fmt, dict(style or {})


def in_kernel():
    """Whether we run inside a Jupyter (IPython) kernel.

    IPython is never imported here: if nothing imported it, we are certainly
    not in Jupyter.
    """
    if 'IPython' not in sys.modules:
        return False
    shell = sys.modules['IPython'].get_ipython()
    return shell is not None and hasattr(shell, 'kernel')


_live = weakref.WeakSet()   # views with a waiting point or an open output
_hooks = {'kernel': False, 'exit': False}
_line = {'view': None}      # the view whose terminal line is still open


def _install_hooks():
    """Flush every live view at the end of each cell and at exit (once)."""
    if not _hooks['exit']:
        atexit.register(_at_exit)
        _hooks['exit'] = True
    if not _hooks['kernel'] and in_kernel():
        shell = sys.modules['IPython'].get_ipython()
        shell.events.register('post_run_cell', _end_of_cell)
        _hooks['kernel'] = True


def _end_of_cell(*args):
    """IPython post_run_cell hook: the cell is done, so are its outputs."""
    flush_all()


def _at_exit():
    """Best effort at interpreter exit: end open lines, show the last
    points; a failure this late (a closed stream) has no one to report to."""
    try:
        flush_all()
    except Exception:
        pass


def flush_all():
    """Flush every live view (end of a cell, end of the program)."""
    for view in list(_live):
        view.flush()


class LiveView:
    """Decides when and where to show the curves of one owner."""

    def __init__(self, owner, interval=None):
        self.owner = owner
        self.interval = INTERVAL if interval is None else interval
        self._shown_at = None   # time.monotonic() of the last show
        self._waiting = False   # points recorded since the last show
        self._handle = None     # IPython display handle of the open output
        self._line_open = False  # a terminal line without its newline yet
        self._width = 0         # longest terminal line printed so far

    def curves(self):
        """The owner's curves as a list of :class:`Curve`."""
        raise NotImplementedError

    def changed(self, x):
        """Points were recorded, the last at `x`: show now or mark waiting."""
        if not self.owner.display:
            return
        self._waiting = True
        _live.add(self)
        _install_hooks()
        xlim = self.owner.xlim
        at_end = xlim is not None and x is not None and x >= xlim[1]
        now = time.monotonic()
        if (at_end or self._shown_at is None
                or now - self._shown_at >= self.interval):
            self._show()

    def flush(self):
        """Show what is waiting, then close this output: later points start
        a new figure (Jupyter) or a new line (terminal)."""
        if self._waiting and self.owner.display:
            self._show()
        self._end_line()
        self._waiting, self._handle, self._shown_at = False, None, None
        _live.discard(self)

    def _show(self):
        self._shown_at, self._waiting = time.monotonic(), False
        curves = [c for c in self.curves() if c.xs]
        if not curves:
            return
        if in_kernel():
            self._show_figure(curves)
        else:
            self._show_line(curves)

    def _end_line(self):
        """End this view's open terminal line with a newline."""
        if self._line_open:
            sys.stdout.write('\n')
            sys.stdout.flush()
            self._line_open = False
        if _line['view'] is self:
            _line['view'] = None

    def _show_line(self, curves):
        """Print one self-overwriting line with the latest value of each
        curve; another view's open line is ended first, not overwritten."""
        other = _line['view']
        if other is not None and other is not self:
            other._end_line()
        owner = self.owner
        where = f'{owner.xlabel or "x"} {max(c.xs[-1] for c in curves):.3g}'
        if owner.xlim is not None:
            where += f'/{owner.xlim[1]:.3g}'
        names = [c.label or (owner.ylabel if len(curves) == 1 else None)
                 or f'y{i}' for i, c in enumerate(curves)]
        values = '  '.join(f'{n} {c.ys[-1]:.4g}'
                           for n, c in zip(names, curves))
        line = f'{where}  {values}'
        self._width = max(self._width, len(line))  # pad over a longer line
        sys.stdout.write('\r' + line.ljust(self._width))
        sys.stdout.flush()
        self._line_open, _line['view'] = True, self

    def _show_figure(self, curves):
        """Render to SVG and show it in this view's one updating output."""
        from IPython.display import SVG, display
        image = SVG(self.render(curves))
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)

    def _axes(self):
        """The axes to draw on, creating a bare Figure if the owner has none.

        A bare `matplotlib.figure.Figure` (not a pyplot one) is never shown a
        second time by Jupyter when the cell ends.
        """
        owner = self.owner
        if owner.axes is None:
            from matplotlib.figure import Figure
            owner.fig = owner.fig or Figure(figsize=owner.figsize)
            owner.axes = owner.fig.add_subplot()
        return owner.axes

    def render(self, curves=None):
        """Draw the curves on the owner's axes; return the figure as SVG."""
        from d2l import torch as d2l
        owner = self.owner
        curves = self.curves() if curves is None else curves
        ax = self._axes()
        ax.cla()
        for c in curves:
            fmt = [c.fmt] if c.fmt else []
            ax.plot(c.xs, c.ys, *fmt, label=c.label, **c.style)
        labels = [c.label for c in curves]
        legend = labels if any(label is not None for label in labels) else []
        d2l.set_axes(ax, owner.xlabel, owner.ylabel, owner.xlim, owner.ylim,
                     owner.xscale, owner.yscale, legend)
        buffer = io.StringIO()
        ax.figure.savefig(buffer, format='svg', bbox_inches='tight')
        return buffer.getvalue()

    def __getstate__(self):
        # a display handle belongs to one kernel session: never copy it
        return {**self.__dict__, '_handle': None, '_line_open': False}


class BoardView(LiveView):
    """The view of a ProgressBoard: one curve per label, styles cycling."""

    def curves(self):
        board = self.owner
        return [Curve(label, [p[0] for p in points], [p[1] for p in points],
                      style={'linestyle': board.ls[i % len(board.ls)],
                             'color': board.colors[i % len(board.colors)]})
                for i, (label, points) in enumerate(board.data.items())]


class AnimatorView(LiveView):
    """The view of an Animator: curves X[i], Y[i] with format fmts[i],
    drawn on the first of its axes."""

    def curves(self):
        a = self.owner
        if a.Y is None:
            return []
        legend = list(a.legend or [])
        return [Curve(legend[i] if i < len(legend) else None, xs, ys,
                      fmt=a.fmts[i % len(a.fmts)])
                for i, (xs, ys) in enumerate(zip(a.X, a.Y))]

    def _axes(self):
        return self.owner.axes[0]
