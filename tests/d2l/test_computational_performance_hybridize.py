"""Tests of Section 13.1 (hybridize): the Benchmark context manager."""
import time

import pytest

from d2l import torch as d2l


def test_benchmark_prints_and_keeps_seconds(clock, capsys):
    clock(10.0, 12.25)                  # enter, exit
    with d2l.Benchmark('matmul') as bench:
        pass
    assert bench.elapsed == 2.25
    assert capsys.readouterr().out == 'matmul: 2.2500 sec\n'


def test_benchmark_default_description(clock, capsys):
    clock(0.0, 0.5)
    with d2l.Benchmark():
        pass
    assert capsys.readouterr().out == 'Done: 0.5000 sec\n'


def test_benchmark_is_reusable(clock, capsys):
    clock(0.0, 1.0, 5.0, 5.5)           # two blocks, one object
    bench = d2l.Benchmark('loop')
    assert bench.elapsed is None
    with bench:
        pass
    with bench:
        pass
    assert bench.elapsed == 0.5
    assert capsys.readouterr().out.splitlines() == ['loop: 1.0000 sec',
                                                    'loop: 0.5000 sec']


def test_benchmark_times_a_failing_block_and_reraises(clock, capsys):
    clock(0.0, 3.0)
    bench = d2l.Benchmark('oops')
    with pytest.raises(ZeroDivisionError):
        with bench:
            1 / 0
    assert bench.elapsed == 3.0
    assert capsys.readouterr().out == 'oops: 3.0000 sec\n'


def test_benchmark_measures_real_time():
    with d2l.Benchmark('sleep') as bench:
        time.sleep(0.01)
    assert 0.01 <= bench.elapsed < 1.0


def test_benchmark_rejects_a_non_string_description():
    with pytest.raises(TypeError, match='description must be str, got int 3'):
        d2l.Benchmark(3)


# --- the notebook's own code -----------------------------------------------

import math                                                  # noqa: E402

import torch                                                 # noqa: E402
from torch.nn import functional as F                         # noqa: E402

from notebook_cells import notebook_code                     # noqa: E402

local = notebook_code('computational-performance/hybridize.md',
                      ('def gelu_tanh(', 'class OpLogger(',
                       'def gelu_centered('))
local.update(math=math)


def test_gelu_tanh_matches_pytorch():
    x = torch.linspace(-6, 6, 101, dtype=torch.float64)
    assert torch.allclose(local['gelu_tanh'](x),
                          F.gelu(x, approximate='tanh'), atol=1e-12)


def test_op_logger_prints_the_eight_operations(capsys):
    x = torch.ones(2, 3)
    with local['OpLogger']():
        local['gelu_tanh'](x)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [
        'pow', 'mul', 'add', 'mul', 'mul', 'tanh', 'add', 'mul']
    assert all(line.endswith('-> (2, 3)') for line in lines)


def test_gelu_centered_centres_only_a_positive_mean():
    x = torch.randn(1000, dtype=torch.float64)
    y = local['gelu_centered'](x)
    assert abs(y.mean().item()) < 1e-12               # gelu(x) has mean > 0
    z = torch.full((4,), -3.0, dtype=torch.float64)   # gelu(-3) < 0
    assert torch.equal(local['gelu_centered'](z), local['gelu_tanh'](z))
