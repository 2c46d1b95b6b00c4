"""Tests of Section 12.9 (adadelta): the notebook's from-scratch Adadelta.

`adadelta` and its states are notebook-local, so the tests execute the
notebook's own cells (found by their first line); d2l.trajectory_gap (12.5)
runs them side by side with PyTorch.
torch.optim.Adadelta is the oracle: eps inside both roots as ours, `lr`
multiplying the step but not what enters the update average.
"""
import math

import pytest
import torch

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('def adadelta_lengths(', 'def init_adadelta_states(',
           'def adadelta(')
NB = notebook_code('optimization/adadelta.md', DEFINES)
NB['math'] = math                      # the notebook imports it in cell 1
adadelta, init_states = NB['adadelta'], NB['init_adadelta_states']
lengths = NB['adadelta_lengths']


def _gap(ours, theirs, rho=0.9):
    return d2l.trajectory_gap(adadelta, init_states, {'rho': rho, **ours},
                              torch.optim.Adadelta, {'rho': rho, **theirs},
                              num_steps=100)


@pytest.mark.parametrize('lr', [1.0, 0.5, 3.0])
@pytest.mark.parametrize('wd', [0.0, 0.1])
def test_same_trajectory_as_torch(lr, wd):
    gap = _gap({'lr': lr, 'weight_decay': wd},
               {'lr': lr, 'weight_decay': wd, 'eps': 1e-5})
    assert gap < 1e-6


def test_same_trajectory_with_torch_default_eps_and_rho():
    assert _gap({'eps': 1e-6}, {}, rho=0.5) < 1e-6


def test_gap_detects_different_eps():
    assert _gap({}, {}) > 1e-3           # ours 1e-5, PyTorch's 1e-6


def test_states_shapes():
    (s_w, d_w), (s_b, d_b) = init_states(4)
    assert s_w.shape == d_w.shape == (4, 1)
    assert s_b.shape == d_b.shape == (1,)
    assert not (s_w.any() or d_w.any() or s_b.any() or d_b.any())


def test_first_step_and_states():
    """Delta x starts at 0: the first step is sqrt(eps) * g / sqrt(s + eps)."""
    w = torch.tensor([[1.0]], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    (3.0 * w.sum() + 0.0 * b.sum()).backward()
    states = init_states(1)
    adadelta([w, b], states, {'rho': 0.9, 'eps': 1e-4})
    s = 0.1 * 9.0
    step = math.sqrt(1e-4) / math.sqrt(s + 1e-4) * 3.0
    assert w.item() == pytest.approx(1.0 - step, rel=1e-6)
    assert states[0][0].item() == pytest.approx(s, rel=1e-6)
    assert states[0][1].item() == pytest.approx(0.1 * step ** 2, rel=1e-5)
    assert b.item() == 0.0 and not w.grad.any()


def test_lr_scales_the_step_but_not_the_average():
    def run(lr):
        w = torch.tensor([[1.0]], requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        (2.0 * w.sum() + b.sum()).backward()
        states = init_states(1)
        adadelta([w, b], states, {'rho': 0.9, 'lr': lr})
        return 1.0 - w.item(), states[0][1].item()
    (step1, delta1), (step2, delta2) = run(1.0), run(0.25)
    assert step2 == pytest.approx(0.25 * step1, rel=1e-4)
    assert delta2 == pytest.approx(delta1, rel=1e-6)


def test_constant_gradient_lengths():
    first = lengths(50.0, 1, eps=1e-5)[0]
    assert first == pytest.approx(math.sqrt(1e-5 / 0.1), rel=1e-3)
    small = lengths(0.05, 20000)
    assert small[-1] == pytest.approx(0.05, rel=0.02)   # the fixed point c
    big = lengths(50.0, 10000)
    assert big[-1] > 5 * big[0]                         # steps grow
