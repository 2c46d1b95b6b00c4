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
