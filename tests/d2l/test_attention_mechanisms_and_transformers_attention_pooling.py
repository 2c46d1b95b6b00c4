"""Tests of Section 11.2: the notebook's kernels and Nadaraya-Watson
estimator (notebook-local code, run from the section's own cells)."""
import math

import torch

from notebook_cells import notebook_code

NB = notebook_code('attention-mechanisms-and-transformers/attention-pooling.md',
                   ('def gaussian', 'def nadaraya_watson'))
nadaraya_watson = NB['nadaraya_watson']
kernels = NB['kernels']


def test_kernel_values_by_hand():
    u = torch.tensor([0.0, 0.5, 1.0, 1.5])
    torch.testing.assert_close(kernels['Gaussian'](u),
                               torch.exp(-u ** 2 / 2))
    assert kernels['boxcar'](u).tolist() == [1, 1, 1, 0]
    assert kernels['Epanechnikov'](u).tolist() == [1, 0.75, 0, 0]
    assert kernels['constant'](u).tolist() == [1, 1, 1, 1]


def test_estimate_is_weighted_average_with_rows_summing_to_one():
    x = torch.tensor([0.0, 1.0, 3.0])
    y = torch.tensor([2.0, 4.0, 10.0])
    q = torch.tensor([0.5, 3.0])
    est, W = nadaraya_watson(x, y, q, kernels['Gaussian'])
    assert est.shape == (2,) and W.shape == (2, 3)
    torch.testing.assert_close(W.sum(1), torch.ones(2))
    assert math.isclose(W[0, 0], W[0, 1], rel_tol=1e-6)   # equal distances
    torch.testing.assert_close(est, W @ y)


def test_boxcar_and_constant_by_hand():
    x = torch.tensor([0.0, 1.0, 3.0])
    y = torch.tensor([2.0, 4.0, 10.0])
    est, _ = nadaraya_watson(x, y, torch.tensor([0.5]), kernels['boxcar'])
    assert est.tolist() == [3.0]                # mean of the two in reach
    est, W = nadaraya_watson(x, y, torch.tensor([0.5, 7.0]),
                             kernels['constant'])
    torch.testing.assert_close(est, torch.tensor([16 / 3, 16 / 3]))


def test_narrow_width_is_nearest_neighbour_and_empty_window_is_nan():
    x = torch.tensor([0.0, 1.0, 3.0])
    y = torch.tensor([2.0, 4.0, 10.0])
    est, _ = nadaraya_watson(x, y, torch.tensor([0.9, 2.6]),
                             kernels['Gaussian'], width=0.05)
    torch.testing.assert_close(est, torch.tensor([4.0, 10.0]))
    est, _ = nadaraya_watson(x, y, torch.tensor([9.0]), kernels['boxcar'])
    assert torch.isnan(est).all()               # the Pitfall in the text
