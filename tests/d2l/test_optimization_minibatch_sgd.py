"""Tests of Section 12.5 (minibatch-sgd): Timer, the airfoil data and the
two training harnesses of the optimization chapter, trajectory_gap, and the
notebook's from-scratch `sgd`, checked against torch.optim.SGD.
"""
import time

import numpy as np
import pytest
import torch

from d2l import hub
from d2l import torch as d2l
from notebook_cells import notebook_code

sgd = notebook_code('optimization/minibatch-sgd.md', ('def sgd(',))['sgd']


# --- Timer -----------------------------------------------------------------

def test_timer_values(clock):
    clock(1.0, 3.0, 4.0, 8.5)          # start, stop, start, stop
    timer = d2l.Timer()
    assert timer.stop() == 2.0
    timer.start()
    assert timer.stop() == 4.5
    assert timer.times == [2.0, 4.5]
    assert timer.sum() == 6.5 and timer.avg() == 3.25
    assert timer.cumsum() == [2.0, 6.5]
    assert isinstance(timer.sum(), float)


def test_timer_measures_real_time():
    timer = d2l.Timer()
    time.sleep(0.01)
    assert 0.005 < timer.stop() < 1.0


def test_timer_errors(clock):
    clock(0.0, 1.0)
    timer = d2l.Timer()
    timer.stop()
    with pytest.raises(RuntimeError, match=r'call start\(\) first'):
        timer.stop()
    empty = d2l.Timer.__new__(d2l.Timer)
    empty.times = []
    with pytest.raises(ValueError, match='needs a recorded interval'):
        empty.avg()
    assert empty.sum() == 0.0 and empty.cumsum() == []


# --- the airfoil data --------------------------------------------------------

@pytest.fixture(scope='module')
def raw(mirror):
    return np.genfromtxt(mirror / 'airfoil_self_noise.dat', delimiter='\t')


def test_airfoil_hub_entry(mirror):
    url, sha1 = d2l.DATA_HUB['airfoil']
    assert url == d2l.DATA_URL + 'airfoil_self_noise.dat'
    assert sha1 == '76e5be1548fd8222e5074cf0faae75edff8cf93f'
    assert hub.sha1(mirror / 'airfoil_self_noise.dat') == sha1


def _all(data_iter):
    X, y = zip(*data_iter)
    return torch.cat(X), torch.cat(y)


def test_airfoil_shapes(raw):
    data_iter, feature_dim = d2l.get_data_ch11()
    assert feature_dim == 5 and len(data_iter) == 150
    X, y = next(iter(data_iter))
    assert X.shape == (10, 5) and y.shape == (10,)
    assert X.dtype == torch.float32
    X, y = _all(data_iter)
    assert X.shape == (1500, 5) and y.shape == (1500,)


def test_airfoil_is_standardized(raw):
    data_iter, _ = d2l.get_data_ch11(batch_size=1503, n=1503)
    X, y = _all(data_iter)
    Z = torch.cat([X, y[:, None]], 1)
    assert torch.allclose(Z.mean(0), torch.zeros(6), atol=1e-5)
    assert torch.allclose(Z.std(0, correction=0), torch.ones(6), atol=1e-5)


def test_airfoil_values(raw):
    """The file's first n rows, standardized with the whole file's stats."""
    n = 40
    data_iter, _ = d2l.get_data_ch11(batch_size=7, n=n)
    X, y = _all(data_iter)
    want = ((raw - raw.mean(0)) / raw.std(0))[:n]
    got = torch.cat([X, y[:, None]], 1).numpy()
    order = np.lexsort(want.T[::-1])        # the iterator shuffles the rows
    assert np.allclose(got[np.lexsort(got.T[::-1])], want[order], atol=1e-5)


@pytest.mark.parametrize('kwargs,error,match', [
    ({'batch_size': 0}, ValueError, 'batch_size must be'),
    ({'batch_size': 2.5}, TypeError, 'batch_size must be an integer'),
    ({'n': 0}, ValueError, 'n must be an integer >= 1'),
    ({'n': 1504}, ValueError, 'n must be an integer <= 1503'),
])
def test_airfoil_bad_input(raw, kwargs, error, match):
    with pytest.raises(error, match=match):
        d2l.get_data_ch11(**kwargs)


# --- the training harnesses -----------------------------------------------------

def _exact_data(n=400, batch_size=100, seed=0):
    """y = X w* + b* exactly, w* = (1, -2), b* = 0.5."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 2, generator=g)
    y = X @ torch.tensor([1.0, -2.0]) + 0.5
    return d2l.load_array((X, y), batch_size)


def _last_line(capsys):
    return capsys.readouterr().out.splitlines()[-1]


def test_train_ch11_calls_the_optimizer_and_logs(capsys):
    calls = []

    def record(params, states, hyperparams):
        calls.append(([tuple(p.shape) for p in params], states, hyperparams))
        for p in params:
            p.grad.zero_()

    hp = {'lr': 0.1}
    times, losses = d2l.train_ch11(record, 'S', hp, _exact_data(), 2,
                                   num_epochs=3)
    assert len(calls) == 3 * 4
    assert calls[0] == ([(2, 1), (1,)], 'S', hp)
    # 100 examples a step: 200 is crossed every 2nd step, the end is step 12
    assert len(times) == len(losses) == 6
    assert all(a <= b for a, b in zip(times, times[1:]))
    assert 'sec/epoch' in capsys.readouterr().out


def test_train_ch11_loss_values(capsys):
    """An optimizer that jumps to the solution makes every logged loss 0."""
    def solve(params, states, hyperparams):
        w, b = params
        with torch.no_grad():
            w.copy_(torch.tensor([[1.0], [-2.0]]))
            b.fill_(0.5)
            w.grad.zero_(), b.grad.zero_()

    _, losses = d2l.train_ch11(solve, None, {}, _exact_data(), 2, 1)
    assert losses == pytest.approx([0.0, 0.0], abs=1e-10)
    assert _last_line(capsys).startswith('loss: 0.000, ')


def test_train_ch11_logs_every_200_examples_for_any_batch(capsys):
    # batch 150: 150, 300 (log), 450 (log), 600 (log) ... 1200 (log); the
    # published n % 200 == 0 rule would log at 600 and 1200 only
    _, losses = d2l.train_ch11(sgd, None, {'lr': 0.1},
                               _exact_data(1200, 150), 2, 1)
    assert len(losses) == 6
    # a run shorter than 200 examples still logs its end
    _, losses = d2l.train_ch11(sgd, None, {'lr': 0.1},
                               _exact_data(30, 10), 2, 1)
    assert len(losses) == 1
    capsys.readouterr()


def test_train_ch11_bad_input():
    data = _exact_data()
    with pytest.raises(TypeError, match='trainer_fn must be callable'):
        d2l.train_ch11('sgd', None, {}, data, 2)
    with pytest.raises(TypeError, match='hyperparams must be dict'):
        d2l.train_ch11(sgd, None, [0.1], data, 2)
    with pytest.raises(ValueError, match='num_epochs must be'):
        d2l.train_ch11(sgd, None, {'lr': 0.1}, data, 2, num_epochs=0)
    with pytest.raises(ValueError, match='X has 2 features but w has 3'):
        d2l.train_ch11(sgd, None, {'lr': 0.1}, data, 3)
    with pytest.raises(ValueError, match='no minibatches'):
        d2l.train_ch11(sgd, None, {'lr': 0.1}, [], 2)


def test_train_concise_ch11(capsys):
    torch.manual_seed(0)
    result = d2l.train_concise_ch11(torch.optim.SGD, {'lr': 0.2},
                                    _exact_data(), num_epochs=20)
    assert result is None                 # as in the published package
    out = _last_line(capsys)
    assert out.startswith('loss: 0.000, ') and out.endswith(' sec/epoch')


def test_train_concise_ch11_bad_input():
    data = _exact_data()
    with pytest.raises(TypeError, match='trainer_fn must be callable'):
        d2l.train_concise_ch11(None, {}, data)
    with pytest.raises(TypeError, match='hyperparams must be dict'):
        d2l.train_concise_ch11(torch.optim.SGD, 0.1, data)
    with pytest.raises(ValueError, match='num_epochs must be'):
        d2l.train_concise_ch11(torch.optim.SGD, {'lr': 0.1}, data, -1)


# --- the notebook's sgd against torch.optim.SGD ------------------------------

def test_sgd_step_values():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w ** 2).sum().backward()              # gradient (2, 4)
    sgd([w], None, {'lr': 0.25})
    assert torch.equal(w.detach(), torch.tensor([0.5, 1.0]))
    assert torch.equal(w.grad, torch.zeros(2))


def test_sgd_matches_torch():
    gap = d2l.trajectory_gap(sgd, None, {'lr': 0.1}, torch.optim.SGD,
                             {'lr': 0.1})
    assert gap < 1e-12


# --- trajectory_gap ------------------------------------------------------------

def test_trajectory_gap_sees_a_different_rule():
    assert d2l.trajectory_gap(sgd, None, {'lr': 0.1}, torch.optim.SGD,
                              {'lr': 0.11}) > 1e-3
    one = d2l.trajectory_gap(sgd, None, {'lr': 0.1}, torch.optim.SGD,
                             {'lr': 0.11}, num_steps=1)
    # after one step from w = 1, b = 0 the gap is 0.01 times a gradient entry
    assert 0 < one < 1


def test_trajectory_gap_states_and_hyperparams():
    seen = []

    def spy(params, states, hyperparams):
        seen.append((states, dict(hyperparams)))
        hyperparams['t'] += 1
        sgd(params, None, hyperparams)

    hp = {'lr': 0.1, 't': 1}
    gap = d2l.trajectory_gap(spy, lambda d: ([torch.zeros(d, 1)],
                                             (torch.zeros(1),)),
                             hp, torch.optim.SGD, {'lr': 0.1}, num_steps=3)
    assert gap < 1e-12 and hp == {'lr': 0.1, 't': 1}   # caller's dict kept
    states = seen[0][0]
    assert isinstance(states, tuple) and isinstance(states[0], list)
    assert states[0][0].dtype == torch.float64 and states[0][0].shape == (3, 1)
    assert [h['t'] for _, h in seen] == [1, 2, 3]


def test_trajectory_gap_bad_input():
    with pytest.raises(ValueError, match='num_steps must be'):
        d2l.trajectory_gap(sgd, None, {'lr': 0.1}, torch.optim.SGD,
                           {'lr': 0.1}, num_steps=0)
