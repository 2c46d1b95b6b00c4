"""Tests of Section 13.2 (async-computation): `synchronize`, and the
notebook's toy backend and training loop."""
import concurrent.futures
import threading

import pytest
import torch

from d2l import torch as d2l
from notebook_cells import notebook_code

local = notebook_code('computational-performance/async-computation.md',
                      ('class ToyBackend:', 'def train_steps('))
local.update(concurrent=concurrent, device=torch.device('cpu'))


# --- synchronize -----------------------------------------------------------

@pytest.fixture
def waits(monkeypatch):
    """Record the calls of torch.cuda.synchronize and torch.mps.synchronize
    instead of making them (no GPU needed)."""
    calls = []
    monkeypatch.setattr(torch.cuda, 'synchronize',
                        lambda device=None: calls.append(('cuda', device)))
    monkeypatch.setattr(torch.mps, 'synchronize',
                        lambda: calls.append(('mps', None)))
    return calls


def test_synchronize_is_a_no_op_on_the_cpu(waits):
    assert d2l.synchronize('cpu') is None
    assert d2l.synchronize(torch.device('cpu')) is None
    assert waits == []


def test_synchronize_waits_on_the_named_cuda_device(waits):
    d2l.synchronize('cuda:1')
    d2l.synchronize(torch.device('cuda', 0))
    assert waits == [('cuda', torch.device('cuda:1')),
                     ('cuda', torch.device('cuda:0'))]


def test_synchronize_waits_on_mps(waits):
    d2l.synchronize('mps')
    assert waits == [('mps', None)]


def test_synchronize_without_a_device(waits, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    d2l.synchronize()
    assert waits == []
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    d2l.synchronize()
    assert waits == [('cuda', torch.device('cuda'))]


def test_synchronize_rejects_a_non_device():
    with pytest.raises(TypeError,
                       match='device must be device or str, got int 0'):
        d2l.synchronize(0)
    with pytest.raises(RuntimeError):
        d2l.synchronize('no-such-device')


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_synchronize_really_waits_on_a_gpu():
    A = torch.randn(2000, 2000, device='cuda')
    B = A @ A
    d2l.synchronize(A.device)
    assert torch.cuda.current_stream(A.device).query()
    assert B.shape == (2000, 2000)


# --- the toy backend -------------------------------------------------------

def test_toy_backend_returns_before_the_work_is_done():
    backend = local['ToyBackend']()
    gate = threading.Event()
    blocked = backend.run(gate.wait)            # holds the worker
    later = backend.run(torch.add, torch.ones(2), 1)
    assert not blocked.done() and not later.done()
    gate.set()
    assert torch.equal(later.result(timeout=5), torch.full((2,), 2.0))


def test_toy_backend_runs_in_order_and_resolves_dependencies():
    backend = local['ToyBackend']()
    order = []
    a = torch.ones(2, 3)
    exp_a = backend.run(lambda t: order.append('exp') or torch.exp(t), a)
    tripled = backend.run(lambda t: order.append('mul') or 3 * t, a)
    total = backend.run(torch.add, exp_a, tripled)
    assert torch.allclose(total.result(timeout=5),
                          torch.full((2, 3), torch.e + 3))
    assert order == ['exp', 'mul']


# --- reading the loss ------------------------------------------------------

def test_both_ways_of_reading_the_loss_agree():
    every_step = local['train_steps'](True, num_steps=20, batch_size=8)
    once = local['train_steps'](False, num_steps=20, batch_size=8)
    assert isinstance(every_step, float) and isinstance(once, float)
    assert once == pytest.approx(every_step, rel=1e-5)
