"""Tests of Section 12.1 (optimization-intro): `annotate`."""
import matplotlib
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')


@pytest.fixture(autouse=True)
def close_figures():
    yield
    d2l.plt.close('all')


def test_adds_one_arrow_annotation_to_the_current_axes():
    d2l.plot([0, 1, 2], [1, 0, 1])
    assert d2l.annotate('min', (1, 0), (1.5, 0.8)) is None
    (note,) = d2l.plt.gca().texts
    assert note.get_text() == 'min'
    assert note.xy == (1.0, 0.0)
    assert note.get_position() == (1.5, 0.8)
    assert note.arrowprops == {'arrowstyle': '->'}


def test_accepts_tensors_numpy_and_lists_as_points():
    d2l.plot([0, 1], [0, 1])
    d2l.annotate('a', torch.tensor([0.25, 0.5]), [0.5, 0.5])
    d2l.annotate('b', (torch.tensor(1.0), torch.tensor(2.0)), (0, 0))
    a, b = d2l.plt.gca().texts
    assert a.xy == (0.25, 0.5) and b.xy == (1.0, 2.0)
    assert all(isinstance(v, float) for v in a.xy + b.xy)


def test_bad_points_name_the_argument():
    with pytest.raises(ValueError, match=r"xy must be an \(x, y\) pair"):
        d2l.annotate('t', (1, 2, 3), (0, 0))
    with pytest.raises(ValueError, match=r"xytext must be an \(x, y\) pair"):
        d2l.annotate('t', (1, 2), (0,))


# The notebook's own risk functions (not saved to d2l).
import math  # noqa: E402

from notebook_cells import notebook_code  # noqa: E402

NB = notebook_code('optimization/optimization-intro.md', ('def risk(',))
NB['math'] = math


def test_risk_is_minimal_at_mu_and_matches_monte_carlo():
    NB['mu'] = 0.5
    w = torch.tensor([-1.0, 0.5, 2.0], dtype=torch.float64)
    r = NB['risk'](w)
    assert r.shape == (3,)
    assert r[1].item() == pytest.approx(math.sqrt(2 / math.pi))
    torch.manual_seed(0)
    Y = 0.5 + torch.randn(400000, dtype=torch.float64)
    mc = (w[:, None] - Y[None, :]).abs().mean(dim=1)
    assert torch.allclose(r, mc, atol=5e-3)


def test_empirical_risk_is_mean_absolute_error_minimal_at_the_median():
    NB['y'] = torch.tensor([0.0, 1.0, 5.0], dtype=torch.float64)
    w = torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64)
    assert NB['empirical_risk'](w).tolist() == pytest.approx(
        [2.0, 5 / 3, 2.0])                 # smallest at the median, 1.0
