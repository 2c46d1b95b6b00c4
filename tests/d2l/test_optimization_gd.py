"""Tests of Section 12.3 (gd): `train_2d` and `show_trace_2d`."""
import math

import matplotlib
import numpy as np
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')


@pytest.fixture(autouse=True)
def close_figures():
    yield
    d2l.plt.close('all')


def halve(x1, x2, s1, s2):
    return x1 / 2, x2 / 2, s1 + 1, s2


def test_path_starts_at_minus_five_minus_two_and_prints_last_point(capsys):
    results = d2l.train_2d(halve, steps=3)
    assert results == [(-5.0, -2.0), (-2.5, -1.0), (-1.25, -0.5),
                       (-0.625, -0.25)]
    assert capsys.readouterr().out == (
        'epoch 3, x1: -0.625000, x2: -0.250000\n')


def test_gradient_descent_matches_the_closed_form(capsys):
    eta = 0.1

    def gd_2d(x1, x2, s1, s2, f_grad):
        g1, g2 = f_grad(x1, x2)
        return x1 - eta * g1, x2 - eta * g2, 0, 0

    results = d2l.train_2d(gd_2d, f_grad=lambda x1, x2: (x1, 6 * x2))
    assert len(results) == 21                         # start + default 20
    np.testing.assert_allclose(results[-1], (-5 * 0.9 ** 20, -2 * 0.4 ** 20))
    assert capsys.readouterr().out.startswith('epoch 20, x1: -0.607883,')


def test_states_are_threaded_through_and_f_grad_only_when_given():
    seen = []

    def count(x1, x2, s1, s2):
        seen.append((s1, s2))
        return x1, x2, s1 + 1, s2 + 2

    d2l.train_2d(count, steps=3)
    assert seen == [(0, 0), (1, 2), (2, 4)]
    with pytest.raises(TypeError):                     # 5 args to a 4-arg fn
        d2l.train_2d(count, steps=1, f_grad=lambda a, b: (a, b))


def test_zero_steps_and_tensor_coordinates(capsys):
    assert d2l.train_2d(halve, steps=0) == [(-5.0, -2.0)]
    assert capsys.readouterr().out == 'epoch 0, x1: -5.000000, x2: -2.000000\n'

    def as_tensor(x1, x2, s1, s2):
        return torch.as_tensor(x1) + 1, torch.as_tensor(x2), s1, s2

    assert d2l.train_2d(as_tensor, steps=2)[-1][0].item() == -3.0


def test_train_2d_bad_inputs():
    with pytest.raises(TypeError, match='trainer must be callable'):
        d2l.train_2d('sgd')
    with pytest.raises(ValueError, match='steps must be an integer >= 0'):
        d2l.train_2d(halve, steps=-1)
    with pytest.raises(TypeError, match='steps must be an integer'):
        d2l.train_2d(halve, steps=2.5)
    with pytest.raises(ValueError, match=r'trainer must return \(x1, x2, '
                                         r's1, s2\), got \(1, 2\)'):
        d2l.train_2d(lambda x1, x2, s1, s2: (1, 2), steps=1)


def f_2d(x1, x2):
    return 0.5 * x1 ** 2 + 3 * x2 ** 2


def test_show_trace_2d_draws_path_and_contours_on_the_book_grid():
    path = [(-5.0, -2.0), (-2.0, -0.5), (0.0, 0.0)]
    d2l.show_trace_2d(f_2d, path)
    ax = d2l.plt.gca()
    (line,) = ax.lines
    np.testing.assert_array_equal(line.get_xdata(), [-5.0, -2.0, 0.0])
    np.testing.assert_array_equal(line.get_ydata(), [-2.0, -0.5, 0.0])
    assert line.get_color() == '#ff7f0e' and line.get_marker() == 'o'
    assert ax.get_xlabel() == 'x1' and ax.get_ylabel() == 'x2'
    contour = [c for c in ax.collections if hasattr(c, 'levels')]
    assert len(contour) == 1 and len(contour[0].levels) > 3
    x0, x1 = ax.get_xlim()
    assert x0 <= -5.4 and x1 >= 0.85             # book grid [-5.5, 1)


def test_show_trace_2d_grid_follows_a_path_that_leaves_the_box():
    path = [(-5.0, -2.0), (4.0, 3.0), (-9.0, -6.0), (float('inf'), 0.0)]
    d2l.show_trace_2d(f_2d, path)                  # no error on inf either
    ax = d2l.plt.gca()
    assert ax.get_xlim()[0] <= -9.0 and ax.get_ylim()[1] >= 3.0


def test_show_trace_2d_accepts_tensor_points_and_rejects_empty_paths():
    d2l.show_trace_2d(f_2d, [(torch.tensor(-5.0), torch.tensor(-2.0))])
    with pytest.raises(ValueError, match='at least one'):
        d2l.show_trace_2d(f_2d, [])


# The notebook's own one-dimensional helpers (not saved to d2l).
from notebook_cells import notebook_code  # noqa: E402

NB = notebook_code('optimization/gd.md',
                   ('def f(x):\n    return 2 * x ** 2',          # and gd
                    'def f(x):\n    return x ** 2 + torch.exp(x)'))  # newton


@pytest.mark.parametrize('eta', [0.05, 0.2, 0.45, 0.55])
def test_gd_matches_the_closed_form_on_a_parabola(eta):
    results = NB['gd'](eta, lambda x: 4 * x)
    assert len(results) == 11 and results[0] == 6.0
    assert results[-1] == pytest.approx((1 - 4 * eta) ** 10 * 6.0)


def test_newton_converges_quadratically_with_the_predicted_constant():
    x_star = NB['newton'](0.0, steps=50)[-1]
    assert 2 * x_star + math.exp(x_star) == pytest.approx(0, abs=1e-14)
    errors = [x - x_star for x in NB['newton'](4.0, steps=6)]
    ratio = errors[-1] / errors[-2] ** 2
    limit = math.exp(x_star) / (2 * (2 + math.exp(x_star)))
    assert ratio == pytest.approx(limit, rel=0.05)
    assert len(NB['newton'](4.0)) == 9                 # start + 8 steps
