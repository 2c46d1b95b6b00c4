"""Tests of Section 12.4 (sgd): the notebook's trainer, schedules,
`mean_sq_dist`, `risk` and `averaged_gap`, executed from the notebook's own
cells. Section 12.4 saves no code to d2l; it uses `d2l.train_2d`.
"""
import math

import pytest
import torch

from d2l import torch as d2l
from notebook_cells import notebook_code

NB = notebook_code('optimization/sgd.md',
                   ('def sgd(', 'def exponential_lr(', 'def mean_sq_dist(',
                    'def risk('))
NB['math'] = math                  # the notebook's first cell imports it
f64 = torch.float64


def test_trainer_with_exact_gradient_and_constant_rate_is_gd(capsys):
    NB['eta'], NB['lr'] = 0.1, NB['constant_lr']
    path = d2l.train_2d(NB['sgd'], steps=20,
                        f_grad=lambda x1, x2: (x1, 6 * x2))
    assert path[-1] == pytest.approx((-5 * 0.9 ** 20, -2 * 0.4 ** 20))
    assert 'epoch 20' in capsys.readouterr().out


def test_schedules_advance_their_counter():
    NB['t'] = 0
    assert NB['exponential_lr']() == pytest.approx(math.exp(-0.05))
    assert NB['exponential_lr']() == pytest.approx(math.exp(-0.1))
    NB['t'] = 0
    assert NB['polynomial_lr']() == pytest.approx(1.25 ** -0.5)
    assert NB['t'] == 1


def test_mean_sq_dist_without_noise_is_gradient_descent():
    NB['n'] = 3
    NB['u'] = torch.zeros(3, dtype=f64)
    NB['v'] = torch.zeros(3, dtype=f64)
    curve, mean_x1 = NB['mean_sq_dist'](lambda s: 1.0, 5, chains=4)
    assert len(curve) == 5
    expected = [25 * 0.81 ** t + 4 * 0.16 ** t for t in range(1, 6)]
    assert curve == pytest.approx(expected)
    assert mean_x1 == pytest.approx(-5 * 0.9 ** 5)


def test_mean_sq_dist_noise_floor_matches_the_formula():
    torch.manual_seed(0)
    NB['n'] = 200
    NB['u'] = torch.randn(200, dtype=f64)
    NB['v'] = torch.randn(200, dtype=f64) / 6
    NB['u'] -= NB['u'].mean()
    NB['v'] -= NB['v'].mean()
    curve, _ = NB['mean_sq_dist'](lambda s: 1.0, 300, chains=2000)
    floor = sum(0.01 / (1 - (1 - 0.1 * a) ** 2) for a in (1, 6))
    assert sum(curve[-50:]) / 50 == pytest.approx(floor, rel=0.15)


def test_risk_closed_form():
    risk = NB['risk']
    assert risk(torch.tensor(0.5, dtype=f64)).item() == pytest.approx(
        math.sqrt(2 / math.pi))
    torch.manual_seed(0)
    xi = 0.5 + torch.randn(400000, dtype=f64)
    for x in (-1.0, 0.0, 2.0):
        mc = (x - xi).abs().mean().item()
        assert risk(torch.tensor(x, dtype=f64)).item() == pytest.approx(
            mc, abs=5e-3)
    assert risk(torch.zeros(3, 2, dtype=f64)).shape == (3, 2)


def test_averaged_gap_is_within_the_bound():
    torch.manual_seed(0)
    for T in (4, 16):
        gap, bound = NB['averaged_gap'](T, chains=500)
        assert 0 <= gap <= bound
        assert bound == pytest.approx(round(3.5 / math.sqrt(T), 4))
