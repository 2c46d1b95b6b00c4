"""Tests of Section 11.1: show_heatmaps."""
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


def test_grid_shape_labels_and_titles():
    weights = torch.rand(2, 3, 4, 5)
    d2l.show_heatmaps(weights, xlabel='Keys', ylabel='Queries',
                      titles=['a', 'b', 'c'])
    fig = d2l.plt.gcf()
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 6                      # 2 x 3 heat maps
    assert len(fig.axes) == 7                    # plus one colour bar
    assert [ax.get_title() for ax in panels[:3]] == ['a', 'b', 'c']
    assert panels[3].get_xlabel() == 'Keys' and panels[0].get_xlabel() == ''
    assert panels[0].get_ylabel() == 'Queries'
    assert panels[1].get_ylabel() == ''
    assert panels[4].images[0].get_array().shape == (4, 5)


def test_values_drawn_and_one_shared_colour_scale():
    weights = torch.zeros(1, 2, 3, 3)
    weights[0, 0] = torch.eye(3)
    weights[0, 1] = 0.5 * torch.eye(3)           # a fainter second panel
    d2l.show_heatmaps(weights, 'Keys', 'Queries')
    panels = [ax for ax in d2l.plt.gcf().axes if ax.images]
    np.testing.assert_array_equal(panels[0].images[0].get_array(), np.eye(3))
    for ax in panels:                            # the colour bar reads both
        assert ax.images[0].get_clim() == (0.0, 1.0)


def test_accepts_numpy_and_tensors_that_need_grad():
    d2l.show_heatmaps(np.eye(4).reshape(1, 1, 4, 4), 'k', 'q')
    w = torch.rand(1, 1, 2, 2, requires_grad=True)
    assert d2l.show_heatmaps(w, 'k', 'q', figsize=(3, 3), cmap='Blues') is None
    assert d2l.plt.gcf().get_size_inches().tolist() == [3.0, 3.0]
    d2l.show_heatmaps(w, 'k', 'q', titles=['a', 'b'])   # extra titles: unused
    assert [ax.get_title() for ax in d2l.plt.gcf().axes] == ['a', '']


def test_bad_inputs_name_the_problem():
    with pytest.raises(ValueError, match=r'4-D .* got shape \(3, 3\)'):
        d2l.show_heatmaps(torch.eye(3), 'k', 'q')
    with pytest.raises(ValueError, match=r'a title for each of the 2 '
                                         r'columns, got 1'):
        d2l.show_heatmaps(torch.rand(1, 2, 3, 3), 'k', 'q', titles=['x'])


def test_ticks_are_whole_indices_even_for_few_rows():
    # 3 queries in a short panel used to get ticks at 0.5, 1.5, ...
    d2l.show_heatmaps(torch.rand(1, 2, 3, 8), 'k', 'q', figsize=(5, 2))
    fig = d2l.plt.gcf()
    fig.canvas.draw()
    for ax in (ax for ax in fig.axes if ax.images):
        for ticks in (ax.get_xticks(), ax.get_yticks()):
            assert len(ticks) and all(float(t).is_integer() for t in ticks)


def test_ticks_thin_out_on_large_small_panels():
    # a 60 x 60 map in a 2.5-inch panel used to get 10 run-together labels
    d2l.show_heatmaps(torch.rand(1, 1, 60, 60), 'k', 'q')
    fig = d2l.plt.gcf()
    fig.canvas.draw()
    ax = next(ax for ax in fig.axes if ax.images)
    for ticks in (ax.get_xticks(), ax.get_yticks()):
        visible = [t for t in ticks if -0.5 <= t <= 59.5]
        assert 2 <= len(visible) <= 6
        assert all(float(t).is_integer() for t in visible)
