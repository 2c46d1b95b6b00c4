"""Tests of Section 12.7 (adagrad): the notebook's Adagrad, checked by hand
and against torch.optim.Adagrad (same formula with eps = 0, with and without
weight decay; eps placement), the 2-D runs and the preconditioning helpers.

The section saves nothing; its definitions are notebook-local, so the tests
execute the notebook's own cells that define them.
"""
import math

import pytest
import torch

from d2l import torch as d2l
from notebook_cells import notebook_code

NB = notebook_code('optimization/adagrad.md',
                   ('def kappa(', 'def f_2d(', 'def init_adagrad_states('))
NB['math'] = math                       # the notebook imports it at the top
init_adagrad_states, adagrad = NB['init_adagrad_states'], NB['adagrad']
kappa, diag_precondition, rotation = (NB['kappa'], NB['diag_precondition'],
                                      NB['rotation'])


def test_states_shapes():
    s_w, s_b = init_adagrad_states(4)
    assert s_w.shape == (4, 1) and s_b.shape == (1,)
    assert not s_w.any() and not s_b.any()


def test_first_step_moves_each_coordinate_by_about_lr():
    p = torch.tensor([1.0, -2.0], requires_grad=True)
    states = [torch.zeros(2)]
    (p ** 2).sum().backward()                    # gradient (2, -4)
    adagrad([p], states, {'lr': 0.1})
    assert torch.allclose(states[0], torch.tensor([4.0, 16.0]))
    assert torch.allclose(p.detach(), torch.tensor([0.9, -1.9]), atol=1e-6)
    assert torch.equal(p.grad, torch.zeros(2))


def test_second_step_by_hand():
    p = torch.tensor([3.0], requires_grad=True)
    states = [torch.zeros(1)]
    for grad in (4.0, 3.0):
        p.grad = torch.tensor([grad])
        adagrad([p], states, {'lr': 1.0, 'eps': 0.0})
    # 3 - 4/4 - 3/5
    assert p.item() == pytest.approx(3 - 1 - 0.6)


@pytest.mark.parametrize('wd', [0.0, 0.1])
def test_matches_torch_with_eps_zero(wd):
    hp = {'lr': 0.1, 'eps': 0.0}
    gap = d2l.trajectory_gap(adagrad, init_adagrad_states, {**hp, 'wd': wd},
                             torch.optim.Adagrad, {**hp, 'weight_decay': wd},
                             num_steps=50)
    assert gap < 1e-12


def test_eps_placement():
    """Ours: eta g / sqrt(s + eps); torch: eta g / (sqrt(s) + eps)."""
    default = d2l.trajectory_gap(adagrad, init_adagrad_states, {'lr': 0.1},
                                 torch.optim.Adagrad, {'lr': 0.1})
    assert 1e-9 < default < 1e-5
    # eps outside the root in a one-line variant of ours matches torch
    def outside(params, states, hp):
        with torch.no_grad():
            for p, s in zip(params, states):
                s += p.grad ** 2
                p -= hp['lr'] * p.grad / (torch.sqrt(s) + hp['eps'])
                p.grad.zero_()
    hp = {'lr': 0.1, 'eps': 1e-3}
    assert d2l.trajectory_gap(outside, init_adagrad_states, hp,
                              torch.optim.Adagrad, hp) < 1e-12
    assert d2l.trajectory_gap(adagrad, init_adagrad_states, hp,
                              torch.optim.Adagrad, hp) > 1e-6


def test_lr_decay_is_not_in_ours():
    assert d2l.trajectory_gap(adagrad, init_adagrad_states,
                              {'lr': 0.1, 'eps': 0.0}, torch.optim.Adagrad,
                              {'lr': 0.1, 'eps': 0.0, 'lr_decay': 0.1}) > 1e-3


def test_2d_runs_quoted_in_the_text(capsys):
    NB['eta'] = 0.7
    assert d2l.train_2d(NB['adagrad_2d'])[-1] == pytest.approx(
        (-1.093190, -0.004311), abs=1e-6)
    NB['eta'] = 1.5
    x1, x2 = d2l.train_2d(NB['adagrad_2d'])[-1]
    assert x1 == pytest.approx(-0.042448, abs=1e-6) and abs(x2) < 1e-6
    capsys.readouterr()


def test_kappa_and_diag_precondition():
    Q = torch.tensor([[4.0, 2.0], [2.0, 9.0]], dtype=torch.float64)
    P = diag_precondition(Q)
    assert torch.allclose(P, torch.tensor([[1.0, 1 / 3], [1 / 3, 1.0]],
                                          dtype=torch.float64))
    assert kappa(torch.diag(torch.tensor([50.0, 1.0]))) == pytest.approx(50)
    assert kappa(P) == pytest.approx((1 + 1 / 3) / (1 - 1 / 3))


def test_rotation_is_orthogonal_and_45_degrees_defeats_the_diagonal():
    U = rotation(30)
    assert torch.allclose(U @ U.T, torch.eye(2, dtype=torch.float64))
    Lam = torch.diag(torch.tensor([50.0, 1.0], dtype=torch.float64))
    Q = rotation(45).T @ Lam @ rotation(45)
    assert kappa(diag_precondition(Q)) == pytest.approx(50)
    assert math.isclose(Q[0, 0], Q[1, 1])
