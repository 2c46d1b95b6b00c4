"""Tests of the plotting helpers saved in Section 2.4 (calculus)."""
import matplotlib
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)


@pytest.fixture
def axes():
    """A fresh matplotlib axes, closed after the test."""
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_set_figsize_sets_the_default_size():
    d2l.set_figsize((4, 3))
    assert tuple(plt.rcParams['figure.figsize']) == (4, 3)
    d2l.set_figsize()
    assert tuple(plt.rcParams['figure.figsize']) == (3.5, 2.5)


def test_use_svg_display_is_silent_outside_jupyter():
    assert d2l.use_svg_display() is None


def test_set_axes_values(axes):
    d2l.set_axes(axes, 'x', 'f(x)', [0, 3], [1, 5], 'linear', 'log',
                 ['a'])
    assert axes.get_xlabel() == 'x' and axes.get_ylabel() == 'f(x)'
    assert axes.get_xlim() == (0, 3) and axes.get_ylim() == (1, 5)
    assert axes.get_yscale() == 'log'


def test_set_axes_leaves_none_properties_alone(axes):
    axes.set_xlabel('kept'), axes.set_yscale('log'), axes.set_xlim(2, 4)
    d2l.set_axes(axes, None, 'y', None, None, None, None, None)
    assert axes.get_xlabel() == 'kept' and axes.get_ylabel() == 'y'
    assert axes.get_yscale() == 'log' and axes.get_xlim() == (2, 4)


def test_plot_values_of_one_curve(axes):
    d2l.plot([0, 1, 2], [0, 1, 4], axes=axes)
    (line,) = axes.get_lines()
    assert list(line.get_xdata()) == [0, 1, 2]
    assert list(line.get_ydata()) == [0, 1, 4]


def test_plot_y_only_uses_the_index(axes):
    d2l.plot(torch.tensor([5., 6., 7.]), axes=axes)
    (line,) = axes.get_lines()
    assert list(line.get_xdata()) == [0, 1, 2]


def test_plot_shares_x_and_cycles_formats(axes):
    x = torch.arange(4.)
    d2l.plot(x, [x, 2 * x, 3 * x], fmts=('-', '--'), axes=axes,
             legend=['a', 'b', 'c'])
    lines = axes.get_lines()
    assert len(lines) == 3                                  # one per curve
    assert [l.get_linestyle() for l in lines] == ['-', '--', '-']
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        'a', 'b', 'c']


def test_plot_does_not_mutate_the_default_legend(axes):
    d2l.plot([0, 1], [0, 1], axes=axes)
    assert d2l.plot.__defaults__[3] == []


def test_plot_rejects_mismatched_curve_counts(axes):
    with pytest.raises(ValueError, match='got 2 x-sequences for 3 curves'):
        d2l.plot([[0, 1], [0, 1]], [[0, 1], [1, 2], [2, 3]], axes=axes)


@pytest.mark.parametrize('data, expected', [
    ([1, 2, 3], True), ([], True), (torch.zeros(3), True),
    ([[1, 2], [3, 4]], False), (torch.zeros(2, 3), False),
    ([torch.zeros(2)], False)])
def test_is_one_curve(data, expected):
    assert d2l._is_one_curve(data) is expected


@pytest.mark.parametrize('data, expected', [
    ([torch.tensor(1.0), torch.tensor(2.0)], True), (range(4), True),
    ((1.5, 2.5), True), ([range(2), range(2)], False)])
def test_is_one_curve_for_scalar_tensors_and_ranges(data, expected):
    assert d2l._is_one_curve(data) is expected


def test_plot_a_loss_history_of_scalar_tensors_with_grad(axes):
    w = torch.tensor(2.0, requires_grad=True)
    history = [w * k for k in range(3)]             # 0-d, requires grad
    d2l.plot(history, axes=axes)
    (line,) = axes.get_lines()
    assert list(line.get_xdata()) == [0, 1, 2]
    assert list(line.get_ydata()) == [0.0, 2.0, 4.0]


def test_plot_a_range_and_a_tensor_with_grad(axes):
    y = torch.arange(5.0, requires_grad=True) * 2
    d2l.plot(range(5), y, axes=axes)
    (line,) = axes.get_lines()
    assert list(line.get_xdata()) == [0, 1, 2, 3, 4]
    assert list(line.get_ydata()) == [0, 2, 4, 6, 8]


def test_as_floats_shapes():
    assert d2l._as_floats(range(3)) == [0.0, 1.0, 2.0]
    t = d2l._as_floats(torch.ones(4, requires_grad=True))
    assert t.shape == (4,) and not t.requires_grad and t.device.type == 'cpu'


def test_plot_rejects_empty_formats(axes):
    with pytest.raises(ValueError, match='fmts must hold at least one '
                                         'format string'):
        d2l.plot(range(3), fmts=[], axes=axes)


def test_plot_repeats_one_x_sequence_for_every_curve():
    x = torch.arange(5.0)
    axes = plt.figure().gca()
    d2l.plot([x], [x, 2 * x, 3 * x], axes=axes)
    assert len(axes.get_lines()) == 3
    assert list(axes.get_lines()[2].get_xdata()) == [0, 1, 2, 3, 4]
    plt.close('all')


def test_plot_still_names_a_real_mismatch():
    with pytest.raises(ValueError, match='got 2 x-sequences for 3 curves'):
        d2l.plot([[0, 1], [0, 1]], [[0, 1], [1, 2], [2, 3]])
