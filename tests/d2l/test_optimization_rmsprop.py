"""Tests of Section 12.8 (rmsprop): the notebook's from-scratch RMSProp.

`rmsprop` and its states are notebook-local, so the tests execute the
notebook's own cells (found by their first line); d2l.trajectory_gap (12.5)
runs them side by side with PyTorch.
torch.optim.RMSprop is the oracle; it adds eps after the square root, so the
exact comparisons use eps = 0 on both sides.
"""
import math

import pytest
import torch

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('def step_lengths(', 'def f_2d(', 'def init_rmsprop_states(',
           'def rmsprop(')
NB = notebook_code('optimization/rmsprop.md', DEFINES)
NB['math'] = math                      # the notebook imports it in cell 1
rmsprop, init_states = NB['rmsprop'], NB['init_rmsprop_states']


def _gap(ours, theirs, num_steps=20):
    return d2l.trajectory_gap(rmsprop, init_states, ours, torch.optim.RMSprop,
                              theirs, num_steps=num_steps)


@pytest.mark.parametrize('wd', [0.0, 0.1])
@pytest.mark.parametrize('gamma', [0.5, 0.9])
def test_same_trajectory_as_torch(gamma, wd):
    hyper = {'lr': 0.05, 'gamma': gamma, 'eps': 0.0, 'weight_decay': wd}
    gap = _gap(hyper, {'lr': 0.05, 'alpha': gamma, 'eps': 0.0,
                       'weight_decay': wd}, num_steps=100)
    assert gap < 1e-6


def test_gap_detects_a_different_decay_rate():
    gap = _gap({'lr': 0.05, 'gamma': 0.9, 'eps': 0.0},
               {'lr': 0.05, 'alpha': 0.8, 'eps': 0.0})
    assert gap > 1e-3


def test_default_eps_placements_differ():
    """Ours: sqrt(s + 1e-6); PyTorch: sqrt(s) + 1e-8 (documented gap)."""
    gap = _gap({'lr': 0.05, 'gamma': 0.9}, {'lr': 0.05, 'alpha': 0.9})
    assert gap > 1e-6


def test_states_shapes():
    s_w, s_b = init_states(5)
    assert s_w.shape == (5, 1) and s_b.shape == (1,)
    assert s_w.dtype == torch.float32 and not s_w.any()


def test_first_step_is_eta_over_root_one_minus_gamma():
    w = torch.tensor([[3.0], [-2.0]], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    (w.sum() * 7 - b * 0.5).sum().backward()       # grads 7, 7 and -0.5
    states = init_states(2)
    rmsprop([w, b], states, {'lr': 0.1, 'gamma': 0.96, 'eps': 0.0})
    step = 0.1 / math.sqrt(0.04)                   # = 0.5, sign of -grad
    assert torch.allclose(w, torch.tensor([[3.0 - step], [-2.0 - step]]))
    assert torch.allclose(b, torch.tensor([step]))
    assert torch.allclose(states[0], torch.full((2, 1), 0.04 * 49))
    assert not w.grad.any() and not b.grad.any()   # zeroed by the update


def test_step_lengths_table():
    ada, rms = NB['step_lengths'](50.0, 1000, gamma=0.9)
    assert ada[99] == pytest.approx(0.1, rel=1e-6)
    assert rms[0] == pytest.approx(1 / math.sqrt(0.1), rel=1e-6)
    assert rms[-1] == pytest.approx(1.0, rel=1e-6)


def test_2d_run_ends_in_a_two_cycle_of_length_eta():
    NB['eta'], NB['gamma'] = 0.3, 0.9
    x1, x2, s1, s2 = -5.0, -2.0, 0.0, 0.0
    path = []
    for _ in range(300):
        x1, x2, s1, s2 = NB['rmsprop_2d'](x1, x2, s1, s2)
        path.append((x1, x2))
    assert min(abs(a) + abs(b) for a, b in path) < 1e-9   # reached, then left
    (a1, a2), (b1, b2) = path[-2:]
    assert abs(a1 - b1) == pytest.approx(0.3, abs=1e-3)
    assert abs(a2 - b2) == pytest.approx(0.3, abs=1e-3)
