"""Tests of Section 12.11 (lr-scheduler): the notebook's schedules.

The schedules, `torch_schedule`, the PyTorch factories and `train` are
notebook-local, so the tests execute the notebook's own cells (found by their
first line) with small settings. torch.optim.lr_scheduler is the oracle; the
plotting helper must never advance the scheduler that trains.
"""
import math

import pytest
import torch
from torch import nn
from torch.optim import lr_scheduler

from notebook_cells import notebook_code

DEFINES = ('class SquareRootScheduler', 'class FactorScheduler',
           'class MultiFactorScheduler', 'class CosineScheduler',
           'def torch_schedule(', 'def make_multistep(', 'def net_fn(',
           'def train_epoch(', 'def train(')
NB = notebook_code('optimization/lr-scheduler.md', DEFINES)
LR, FINAL, T, MILESTONES = 0.2, 0.002, 8, [3, 6]
NB.update(math=math, lr_scheduler=lr_scheduler, lr=LR, final_lr=FINAL, T=T,
          milestones=MILESTONES, device=torch.device('cpu'))
torch_schedule = NB['torch_schedule']
Cosine = NB['CosineScheduler']


def _agree(ours, make, num_epochs=2 * T, base_lr=LR):
    rates = torch_schedule(make, base_lr, num_epochs)
    return max(abs(ours(t) - r) for t, r in enumerate(rates))


@pytest.mark.parametrize('base', [0.2, 1.5])
def test_square_root_matches_lambda_lr(base):
    ours = NB['SquareRootScheduler'](base)
    make = lambda opt: lr_scheduler.LambdaLR(opt, lambda t: (t + 1) ** -0.5)
    assert _agree(ours, make, base_lr=base) < 1e-12
    assert ours(3) == pytest.approx(base / 2)


@pytest.mark.parametrize('factor', [0.5, 0.9])
def test_factor_matches_exponential_lr(factor):
    ours = NB['FactorScheduler'](LR, factor)
    make = lambda opt: lr_scheduler.ExponentialLR(opt, gamma=factor)
    assert _agree(ours, make) < 1e-12


def test_factor_floor():
    ours = NB['FactorScheduler'](2.0, 0.9, min_lr=0.01)
    rates = [ours(t) for t in range(100)]
    assert min(rates) == 0.01 and rates[0] == 2.0
    assert all(a >= b for a, b in zip(rates, rates[1:]))


@pytest.mark.parametrize('milestones,gamma', [([3, 6], 0.5), ([1, 2, 9], 0.1),
                                              ([5], 0.3)])
def test_multi_factor_matches_multistep_lr(milestones, gamma):
    ours = NB['MultiFactorScheduler'](LR, milestones[::-1], gamma)  # unsorted
    make = lambda opt: lr_scheduler.MultiStepLR(opt, milestones, gamma)
    assert _agree(ours, make) < 1e-12


def test_notebook_multistep_factory_matches_ours():
    ours = NB['MultiFactorScheduler'](LR, MILESTONES, 0.5)
    assert _agree(ours, NB['make_multistep']) < 1e-12


@pytest.mark.parametrize('warmup', [0, 1, 3])
def test_cosine_matches_sequential_lr(warmup):
    ours = Cosine(T, LR, FINAL, warmup, warmup_begin_lr=FINAL)
    make = lambda opt: NB['make_cosine'](opt, warmup)
    assert _agree(ours, make, num_epochs=3 * T) < 1e-12


def test_cosine_annealing_alone_rises_after_its_horizon():
    ours = Cosine(T, LR, FINAL)
    make = lambda opt: lr_scheduler.CosineAnnealingLR(opt, T, eta_min=FINAL)
    assert _agree(ours, make, num_epochs=T + 1) < 1e-12
    assert _agree(ours, make, num_epochs=2 * T) > 0.01


def test_cosine_values():
    cos = Cosine(20, base_lr=0.2, final_lr=0.002, warmup_steps=5,
                 warmup_begin_lr=0.002)
    assert cos(0) == pytest.approx(0.002) and cos(5) == pytest.approx(0.2)
    assert cos(2) == pytest.approx(0.002 + 0.198 * 2 / 5)
    assert cos(20) == pytest.approx(0.002) and cos(100) == 0.002
    # halfway through the cosine part: the mean of peak and final rate
    assert cos(12.5) == pytest.approx(0.101)
    assert Cosine(10, 1.0)(5) == pytest.approx(0.5)


@pytest.mark.parametrize('warmup', [-1, 10, 12])
def test_cosine_rejects_bad_warmup(warmup):
    with pytest.raises(ValueError, match='warmup_steps < max_update'):
        Cosine(10, 0.1, warmup_steps=warmup)


def test_plotting_never_advances_the_training_scheduler():
    param = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=LR)
    scheduler = NB['make_multistep'](optimizer)
    before = scheduler.state_dict()
    rates = torch_schedule(NB['make_multistep'], LR, 12)
    assert rates[-1] == pytest.approx(LR / 4)      # the copy was used up
    assert scheduler.state_dict() == before
    assert scheduler.last_epoch == 0
    assert optimizer.param_groups[0]['lr'] == LR


def test_stepping_the_training_pair_uses_it_up():
    """What the fresh copy avoids: the pitfall the text demonstrates."""
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=LR)
    scheduler = NB['make_multistep'](optimizer)
    for _ in range(10):
        optimizer.step()
        scheduler.step()
    assert optimizer.param_groups[0]['lr'] == pytest.approx(LR / 4)


def _tiny_data():
    gen = torch.Generator().manual_seed(0)
    X = torch.rand(16, 1, 28, 28, generator=gen)
    y = torch.randint(0, 10, (16,), generator=gen)
    batches = [(X[:8], y[:8]), (X[8:], y[8:])]
    return batches, batches[:1]


def test_net_fn_shape():
    assert NB['net_fn']()(torch.zeros(3, 1, 28, 28)).shape == (3, 10)


@pytest.mark.parametrize('kind', ['ours', 'torch'])
def test_train_uses_the_plotted_rates(kind):
    torch.manual_seed(0)
    train_iter, test_iter = _tiny_data()
    net = NB['net_fn']()
    optimizer = torch.optim.SGD(net.parameters(), lr=LR)
    ours = Cosine(4, LR, FINAL, warmup_steps=2, warmup_begin_lr=FINAL)
    make = lambda opt: NB['make_cosine'](opt, 2)
    NB['T'] = 4                        # the factories read the global T
    try:
        scheduler = ours if kind == 'ours' else make(optimizer)
        rates, (loss, train_acc, test_acc) = NB['train'](
            net, train_iter, test_iter, 6, optimizer, scheduler)
        assert rates == pytest.approx(torch_schedule(make, LR, 6), abs=1e-12)
    finally:
        NB['T'] = T
    assert rates[0] == pytest.approx(FINAL)        # epoch 0 already warms up
    assert 0 <= train_acc <= 1 and 0 <= test_acc <= 1 and loss > 0


def test_train_without_scheduler_keeps_the_rate():
    train_iter, test_iter = _tiny_data()
    net = NB['net_fn']()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
    rates, _ = NB['train'](net, train_iter, test_iter, 3, optimizer)
    assert rates == [0.05] * 3


def test_train_epoch_counts_examples():
    train_iter, _ = _tiny_data()
    net = NB['net_fn']()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.0)
    loss, correct, n = NB['train_epoch'](net, train_iter, optimizer)
    assert n == 16 and 0 <= correct <= 16
    assert loss / n == pytest.approx(math.log(10), rel=0.1)   # untrained
