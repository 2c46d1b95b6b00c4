"""Tests of Section 13.3 (auto-parallelism): the notebook-local workload
`chain`, the two schedules of independent chains, and the save pipeline
(its timings use d2l.timing, tested in test_timing.py).

They execute the notebook's own cells that define these helpers (found by
their first line), so they check exactly the code the reader sees. Oracles:
torch.linalg.matrix_power, the thread count inside the workers, and the
bytes that reach the disk.
"""
import concurrent.futures
import os
import tempfile
import threading

import pytest
import torch

from notebook_cells import notebook_code

DEFINES = ('def chain(', 'def chain_on_one_core(', 'def save(',
           'def compute_then_save(')


NB = notebook_code('computational-performance/auto-parallelism.md',
                   DEFINES, os=os, concurrent=concurrent,
                   tempfile=tempfile, num_cores=2, num_big=3)


def test_chain_is_the_sequence_of_powers():
    Q = torch.randn(5, 5, dtype=torch.float64)
    powers = NB['chain'](Q, 4)
    assert len(powers) == 4
    for k, P in enumerate(powers, start=2):
        assert torch.allclose(P, torch.linalg.matrix_power(Q, k))
    assert NB['chain'](Q, 0) == []


def test_random_orthogonal_keeps_powers_bounded():
    torch.manual_seed(0)
    Q = NB['random_orthogonal'](16)
    assert Q.shape == (16, 16)
    assert torch.allclose(Q.T @ Q, torch.eye(16), atol=1e-5)
    last = NB['chain'](Q, 30)[-1]
    assert torch.allclose(last.T @ last, torch.eye(16), atol=1e-4)


def test_schedules_agree_and_side_by_side_uses_one_thread():
    torch.manual_seed(0)
    Qs = [NB['random_orthogonal'](8) for _ in range(3)]
    seq = NB['back_to_back'](Qs, 4)
    par = NB['side_by_side'](Qs, 4)
    assert len(seq) == len(par) == 3
    for a, b, Q in zip(seq, par, Qs):
        assert torch.allclose(a, b, atol=1e-6)
        assert torch.allclose(a, torch.linalg.matrix_power(Q, 5), atol=1e-5)


def test_side_by_side_workers_use_one_thread_and_the_pool_is_closed():
    seen = []

    def spy(Q, num_products):                 # stands in for chain
        seen.append(torch.get_num_threads())
        return [Q]

    before = threading.active_count()
    NB['chain'], chain = spy, NB['chain']
    try:
        Qs = [torch.eye(2) * k for k in range(5)]
        out = NB['side_by_side'](Qs, 1, num_workers=2)   # 5 chains, 2 threads
    finally:
        NB['chain'] = chain
    assert seen == [1] * 5            # each worker set its own thread count
    assert all(torch.equal(a, b) for a, b in zip(out, Qs))
    assert threading.active_count() == before    # `with` shut the pool down


def test_compute_and_save_reraises_a_failed_write(tmp_path):
    with pytest.raises(FileNotFoundError):
        NB['compute_and_save'](torch.eye(2), str(tmp_path / 'missing'))


def test_save_writes_the_raw_float32_bytes(tmp_path):
    X = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    NB['save'](X, str(tmp_path), 7)
    data = (tmp_path / '7.bin').read_bytes()
    assert data == X.numpy().tobytes() and len(data) == 24


def test_both_save_schedules_leave_the_same_files(tmp_path):
    torch.manual_seed(0)
    Q = NB['random_orthogonal'](4)
    a, b = tmp_path / 'a', tmp_path / 'b'
    a.mkdir()
    b.mkdir()
    NB['compute_then_save'](Q, str(a))
    NB['compute_and_save'](Q, str(b))
    names = sorted(p.name for p in a.iterdir())
    assert names == ['0.bin', '1.bin', '2.bin']          # num_big = 3
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes()
    first = torch.frombuffer(bytearray((a / '0.bin').read_bytes()),
                             dtype=torch.float32).reshape(4, 4)
    assert torch.allclose(first, Q @ Q)
