"""d2l.liveplot: the one display engine of ProgressBoard and Animator."""
import copy
import pickle
import sys
import types

import pytest
import torch

from d2l import liveplot
from d2l import torch as d2l


class FakeHandle:
    def __init__(self, log):
        self.log = log

    def update(self, obj):
        self.log.append(('update', obj.data))


@pytest.fixture
def kernel(monkeypatch):
    """Pretend to run in a Jupyter kernel; log displays and hook events."""
    log, hooks = [], []

    def display(obj, display_id=False):
        assert display_id is True
        log.append(('display', obj.data))
        return FakeHandle(log)

    import IPython.display
    shell = types.SimpleNamespace(
        kernel=object(),
        events=types.SimpleNamespace(
            register=lambda name, f: hooks.append((name, f))))
    monkeypatch.setattr(IPython.display, 'display', display)
    monkeypatch.setattr(sys.modules['IPython'], 'get_ipython', lambda: shell)
    monkeypatch.setitem(liveplot._hooks, 'kernel', False)
    monkeypatch.setattr(liveplot, 'INTERVAL', 60)   # no timing flakes
    monkeypatch.setattr(liveplot, '_live', liveplot.weakref.WeakSet())
    return types.SimpleNamespace(log=log, hooks=hooks)


def test_not_in_a_kernel_under_pytest():
    assert liveplot.in_kernel() is False


def test_in_kernel_with_a_kernel_shell(kernel):
    assert liveplot.in_kernel() is True


def test_first_point_displays_then_throttles_then_flush_updates(kernel):
    board = d2l.ProgressBoard(xlabel='x')
    for x in range(10):
        board.draw(x, x * x, 'y')
    kinds = [kind for kind, _ in kernel.log]
    assert kinds == ['display']                       # first point only
    assert kernel.log[0][1].rstrip().endswith('</svg>')
    board.flush()
    assert [kind for kind, _ in kernel.log] == ['display', 'update']
    board.flush()                                     # nothing waiting
    assert len(kernel.log) == 2
    board.draw(10, 100, 'y')                          # after a flush:
    assert kernel.log[-1][0] == 'display'             # a new figure


def test_end_of_cell_hook_shows_what_is_waiting(kernel):
    board = d2l.ProgressBoard()
    for x in range(5):
        board.draw(x, x, 'y')
    assert [name for name, _ in kernel.hooks] == ['post_run_cell']
    _, hook = kernel.hooks[0]
    hook(None)                                        # the cell finished
    assert [kind for kind, _ in kernel.log] == ['display', 'update']
    board.draw(5, 5, 'y')                             # the next cell
    assert kernel.log[-1][0] == 'display'


def test_end_of_xlim_shows_at_once(kernel):
    board = d2l.ProgressBoard(xlim=[0, 2])
    board.draw(0, 1.0, 'loss')
    board.draw(1, 0.5, 'loss')                        # throttled
    board.draw(2, 0.25, 'loss')                       # reaches xlim[1]
    assert [kind for kind, _ in kernel.log] == ['display', 'update']


def test_display_false_renders_nothing(kernel):
    board = d2l.ProgressBoard(display=False)
    board.draw(0, 1, 'y')
    board.flush()
    liveplot.flush_all()
    assert kernel.log == []


def test_interval_zero_redraws_every_point(kernel, monkeypatch):
    monkeypatch.setattr(liveplot, 'INTERVAL', 0)
    board = d2l.ProgressBoard()
    for x in range(3):
        board.draw(x, x, 'y')
    assert [kind for kind, _ in kernel.log] == ['display', 'update', 'update']


def test_terminal_line_pads_over_a_longer_one(capsys):
    board = d2l.ProgressBoard(xlabel='epoch')
    board.draw(0, 123.456, 'train_loss')
    board.draw(1, 1.0, 'val_loss')
    board.flush()
    out = capsys.readouterr().out
    first, last = out.split('\r')[1:]
    assert first == 'epoch 0  train_loss 123.5'
    assert last.rstrip('\n').startswith('epoch 1  train_loss 123.5  val_loss 1')
    assert out.endswith('\n')


def test_animator_line_names_curves_by_legend_or_index(capsys):
    animator = d2l.Animator(xlabel='step', legend=['loss'])
    animator.add(1, (0.5, 2.0))
    animator.flush()
    assert capsys.readouterr().out == '\rstep 1  loss 0.5  y1 2\n'


def test_curves_of_both_views():
    board = d2l.ProgressBoard(ls=['-'], colors=['C5', 'C6'], display=False)
    board.draw(1, 2, 'a')
    board.draw(3, 4, 'b')
    (a, b) = board._view.curves()
    assert (a.label, a.xs, a.ys, a.style) == (
        'a', [1.0], [2.0], {'linestyle': '-', 'color': 'C5'})
    assert b.style == {'linestyle': '-', 'color': 'C6'}
    animator = d2l.Animator(fmts=('r:',))
    assert animator._view.curves() == []
    animator.display = False
    animator.add(0, (1, 2))
    curves = animator._view.curves()
    assert [(c.label, c.fmt, c.ys) for c in curves] == [
        (None, 'r:', [1.0]), (None, 'r:', [2.0])]


def test_render_uses_given_axes_and_log_scale():
    from matplotlib.figure import Figure
    fig = Figure()
    ax = fig.add_subplot()
    board = d2l.ProgressBoard(axes=ax, yscale='log', display=False)
    board.draw(0, 10.0, 'loss')
    board.draw(1, 1.0, 'loss')
    assert '</svg>' in board._view.render()
    assert ax.get_yscale() == 'log' and len(ax.get_lines()) == 1


def test_a_board_survives_deepcopy_and_pickle(kernel):
    board = d2l.ProgressBoard()
    board.draw(0, torch.tensor(1.0), 'y')             # opens an output
    copied = copy.deepcopy(board)
    assert copied._view.owner is copied and copied._view._handle is None
    board._view.flush()
    board.fig = board.axes = None                     # figures stay behind
    restored = pickle.loads(pickle.dumps(board))
    assert restored.data == {'y': [(0.0, 1.0)]}
    assert restored._view.owner is restored


def test_base_view_has_no_curves():
    with pytest.raises(NotImplementedError):
        liveplot.LiveView(object()).curves()


def test_a_second_view_ends_the_open_line_of_the_first(capsys):
    first, second = d2l.ProgressBoard(xlabel='a'), d2l.ProgressBoard(
        xlabel='b')
    first.draw(0, 1, 'y')                             # never flushed
    second.draw(0, 2, 'y')
    second.flush()
    assert capsys.readouterr().out == '\ra 0  y 1\n\rb 0  y 2\n'
    first.flush()                                     # its line is closed
    assert capsys.readouterr().out == ''
