"""Tests of Section 12.10 (adam): the notebook's from-scratch Adam and Yogi.

`adam`, `yogi`, their states and the helpers are notebook-local, so the
tests execute the notebook's own cells (found by their first line);
d2l.trajectory_gap (12.5) runs them side by side with PyTorch.
torch.optim.Adam and AdamW are the oracles (same eps placement as ours).
"""
import math

import pytest
import torch

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('def init_adam_states(', 'def adam(', 'def decay_alone(',
           'def second_moments(', 'def yogi(')
NB = notebook_code('optimization/adam.md', DEFINES)
NB['math'] = math                      # the notebook imports it in cell 1
adam, yogi, init_states = NB['adam'], NB['yogi'], NB['init_adam_states']


def _gap(ours, Optimizer, theirs, lr=0.05, t=1):
    return d2l.trajectory_gap(adam, init_states, {'lr': lr, 't': t, **ours},
                              Optimizer, {'lr': lr, **theirs}, num_steps=100)


@pytest.mark.parametrize('betas', [(0.9, 0.999), (0.5, 0.9)])
@pytest.mark.parametrize('wd', [0.0, 0.1])
def test_same_trajectory_as_torch_adam(betas, wd):
    gap = _gap({'betas': betas, 'weight_decay': wd}, torch.optim.Adam,
               {'betas': betas, 'weight_decay': wd, 'eps': 1e-6})
    assert gap < 1e-6


@pytest.mark.parametrize('wd', [0.01, 0.5])
def test_decoupled_matches_adamw(wd):
    gap = _gap({'weight_decay': wd, 'decoupled': True}, torch.optim.AdamW,
               {'weight_decay': wd, 'eps': 1e-6})
    assert gap < 1e-6


def test_coupled_decay_differs_from_adamw():
    gap = _gap({'weight_decay': 0.5}, torch.optim.AdamW,
               {'weight_decay': 0.5, 'eps': 1e-6})
    assert gap > 1e-3


def test_bias_correction_is_needed_for_the_match():
    """Starting our counter late (t = 1000) switches the correction off."""
    gap = _gap({}, torch.optim.Adam, {'eps': 1e-6}, t=1000)
    assert gap > 1e-3


def test_first_step_has_length_lr_and_counter_advances():
    w = torch.tensor([[2.0], [-1.0]], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    (w * torch.tensor([[30.0], [-0.02]])).sum().backward()
    b.grad = torch.tensor([5.0])
    hyper = {'lr': 0.1, 't': 1, 'eps': 0.0}
    adam([w, b], init_states(2), hyper)
    assert torch.allclose(w, torch.tensor([[1.9], [-0.9]]))
    assert torch.allclose(b, torch.tensor([-0.1]))
    assert hyper['t'] == 2 and not w.grad.any() and not b.grad.any()


def test_states_shapes():
    (v_w, s_w), (v_b, s_b) = init_states(5)
    assert v_w.shape == s_w.shape == (5, 1) and v_b.shape == s_b.shape == (1,)


def test_decay_alone():
    coupled, decoupled = NB['decay_alone'](False), NB['decay_alone'](True)
    assert torch.allclose(decoupled, decoupled[0].expand(3), atol=1e-3)
    assert abs(decoupled[0] - math.exp(-2)) < 0.01
    assert coupled[0] > 0.7 and coupled[2] < 0.01


def test_yogi_first_step_equals_adams():
    """From s = 0 the sign is +1: Yogi's s equals Adam's (same eps)."""
    def step(fn):
        w = torch.tensor([[1.0], [2.0]], requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        (w * torch.tensor([[3.0], [-4.0]])).sum().backward()
        b.grad = torch.tensor([0.5])
        states = init_states(2)
        fn([w, b], states, {'lr': 0.1, 't': 1, 'eps': 1e-3})
        return w.detach(), states[0][1]
    (w_adam, s_adam), (w_yogi, s_yogi) = step(adam), step(yogi)
    assert torch.equal(w_adam, w_yogi) and torch.equal(s_adam, s_yogi)


def test_yogi_second_moment_moves_by_at_most_one_minus_beta2_g2():
    s_adam, s_yogi = NB['second_moments']([1.0] * 200 + [0.01] * 100)
    assert s_yogi[199] == pytest.approx(200 * 0.001, rel=1e-9)   # additive
    assert s_adam[199] == pytest.approx(1 - 0.999 ** 200, rel=1e-9)
    drop = s_yogi[199] - s_yogi[-1]
    assert drop == pytest.approx(100 * 0.001 * 1e-4, rel=1e-6)
    assert s_adam[-1] < s_adam[199] * 0.999 ** 99
