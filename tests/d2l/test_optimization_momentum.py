"""Tests of Section 12.6 (momentum): the notebook's heavy-ball optimizer,
checked by hand and against torch.optim.SGD (with and without weight decay),
its 2-D runs and the spectral radius of the scalar recurrence.

The section saves nothing; its definitions are notebook-local, so the tests
execute the notebook's own cells that define them.
"""
import pytest
import torch

from d2l import torch as d2l
from notebook_cells import notebook_code

NB = notebook_code('optimization/momentum.md',
                   ('def f_2d(', 'def momentum_2d(', 'def init_momentum_states(',
                    'def sgd_momentum(', 'def rho('))
init_momentum_states, sgd_momentum = (NB['init_momentum_states'],
                                      NB['sgd_momentum'])
rho = NB['rho']


def _run_2d(trainer, **settings):
    NB.update(settings)                 # eta, beta are notebook globals
    return d2l.train_2d(NB[trainer])[-1]


def test_states_shapes():
    v_w, v_b = init_momentum_states(5)
    assert v_w.shape == (5, 1) and v_b.shape == (1,)
    assert not v_w.any() and not v_b.any()


def test_two_steps_by_hand():
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    states = [torch.zeros(2)]
    hp = {'lr': 0.1, 'momentum': 0.9}
    for want in ([0.8, 1.6], [0.46, 0.92]):
        (p ** 2).sum().backward()                   # gradient 2p
        sgd_momentum([p], states, hp)
        assert torch.allclose(p.detach(), torch.tensor(want))
        assert torch.equal(p.grad, torch.zeros(2))
    assert torch.allclose(states[0], torch.tensor([3.4, 6.8]))


def test_weight_decay_adds_wd_times_p():
    p = torch.tensor([2.0], requires_grad=True)
    (3 * p).sum().backward()                        # gradient 3
    sgd_momentum([p], [torch.zeros(1)], {'lr': 0.1, 'momentum': 0.5,
                                         'wd': 0.5})
    assert torch.allclose(p.detach(), torch.tensor([2.0 - 0.1 * 4.0]))


@pytest.mark.parametrize('extra', [{}, {'weight_decay': 0.1}])
def test_matches_torch_sgd(extra):
    hp = {'lr': 0.05, 'momentum': 0.9}
    ours = {**hp, 'wd': extra['weight_decay']} if extra else hp
    gap = d2l.trajectory_gap(sgd_momentum, init_momentum_states, ours,
                             torch.optim.SGD, {**hp, **extra}, num_steps=50)
    assert gap < 1e-12


def test_nesterov_and_dampening_differ():
    hp = {'lr': 0.05, 'momentum': 0.9}
    for extra in ({'nesterov': True}, {'dampening': 0.5}):
        assert d2l.trajectory_gap(sgd_momentum, init_momentum_states, hp,
                                  torch.optim.SGD, {**hp, **extra}) > 1e-3


def test_momentum_zero_is_sgd():
    gap = d2l.trajectory_gap(sgd_momentum, init_momentum_states,
                             {'lr': 0.1, 'momentum': 0.0}, torch.optim.SGD,
                             {'lr': 0.1})
    assert gap < 1e-12


def test_2d_runs_quoted_in_the_text(capsys):
    x1, x2 = _run_2d('gd_2d', eta=0.7)
    assert x2 == pytest.approx(-13.455, abs=1e-3)
    x1, x2 = _run_2d('momentum_2d', eta=0.7, beta=0.5)
    assert (x1, x2) == pytest.approx((-0.146291, 0.003040), abs=1e-6)
    x1, _ = _run_2d('momentum_2d', eta=0.7, beta=0.2)
    assert x1 == pytest.approx(-0.784847, abs=1e-6)
    capsys.readouterr()


def test_rho_values():
    assert rho(0.0, 2.1) == pytest.approx(1.1)          # |1 - eta lambda|
    assert rho(0.0, 0.25) == pytest.approx(0.75)
    assert rho(0.5, 1.0) == pytest.approx(0.5 ** 0.5)   # complex pair
    assert rho(0.2, 2.1) == pytest.approx(0.5)          # roots -0.4, -0.5


@pytest.mark.parametrize('beta', [0.0, 0.3, 0.6, 0.9])
def test_stability_edge_is_2_plus_2beta(beta):
    edge = 2 + 2 * beta
    assert rho(beta, edge - 1e-3) < 1 < rho(beta, edge + 1e-3)
    assert rho(beta, 1e-3) < 1
