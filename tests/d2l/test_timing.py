"""Tests of d2l/timing.py: best_of and the machine line."""
import math
import os
import re

import pytest
import torch

from d2l import timing
from d2l import torch as d2l


def test_reachable_from_the_generated_package():
    assert d2l.timing is timing


def test_one_function_gives_its_fastest_time(clock):
    clock(0.0, 3.0, 10.0, 11.5, 20.0, 22.0)      # runs of 3, 1.5 and 2 s
    calls = []
    assert timing.best_of(lambda: calls.append(1), 3) == 1.5
    assert len(calls) == 3


def test_calls_and_args_go_into_one_timing(clock):
    clock(0.0, 4.0, 5.0, 7.0)                    # two timings: 4 s, 2 s
    seen = []
    best = timing.best_of(lambda a, b: seen.append((a, b)), 2, calls=3,
                          args=(1, 'x'))
    assert best == 2.0 and seen == [(1, 'x')] * 6


def test_several_functions_take_turns_in_each_round(clock):
    #        a: 2 s     b: 5 s      a: 1 s      b: 6 s
    clock(0.0, 2.0, 2.0, 7.0, 7.0, 8.0, 8.0, 14.0)
    order = []
    best = timing.best_of({'a': lambda: order.append('a'),
                           'b': lambda: order.append('b')}, 2)
    assert order == ['a', 'b', 'a', 'b']
    assert best == {'a': 1.0, 'b': 5.0}
    assert list(best) == ['a', 'b']


def test_threads_hold_during_the_timing_and_are_restored():
    before = torch.get_num_threads()
    seen = {}
    record = lambda name: lambda: seen.setdefault(name, []).append(
        torch.get_num_threads())
    timing.best_of({'one': (record('one'), 1), 'two': (record('two'), 2),
                    'default': record('default')}, 2, threads=1)
    assert seen == {'one': [1, 1], 'two': [2, 2], 'default': [1, 1]}
    assert torch.get_num_threads() == before
    timing.best_of(record('untouched'), 1)
    assert seen['untouched'] == [before]


def test_threads_are_restored_after_an_error():
    before = torch.get_num_threads()

    def fails():
        raise KeyError('inside the timed code')
    with pytest.raises(KeyError, match='inside the timed code'):
        timing.best_of(fails, 1, threads=1 if before > 1 else 2)
    assert torch.get_num_threads() == before


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(rounds=0), ValueError, 'rounds must be an integer >= 1, got 0'),
    (dict(rounds=1.5), TypeError, 'rounds must be an integer'),
    (dict(rounds=2, calls=0), ValueError, 'calls must be an integer >= 1'),
    (dict(rounds=2, threads=0), ValueError,
     'threads must be an integer >= 1'),
])
def test_bad_counts(kwargs, error, message):
    with pytest.raises(error, match=message):
        timing.best_of(lambda: None, **kwargs)


def test_bad_functions():
    with pytest.raises(ValueError, match='at least one function, got an '
                                         'empty dict'):
        timing.best_of({}, 3)
    with pytest.raises(TypeError, match='fns must be callable, got int 3'):
        timing.best_of(3, 3)
    with pytest.raises(TypeError, match=r"fns\['b'\] must be callable, "
                                        r"got str 'oops'"):
        timing.best_of({'a': lambda: None, 'b': 'oops'}, 3)
    with pytest.raises(ValueError, match=r"fns\['a'\]: a pair \(function, "
                                         r"num_threads\) was expected"):
        timing.best_of({'a': (lambda: None, 1, 2)}, 3)
    with pytest.raises(ValueError, match=r"threads of fns\['a'\] must be an "
                                         r"integer >= 1, got 0"):
        timing.best_of({'a': (lambda: None, 0)}, 3)


def test_nothing_runs_when_an_entry_is_bad():
    ran = []
    with pytest.raises(TypeError):
        timing.best_of({'a': lambda: ran.append(1), 'b': None}, 1)
    assert ran == []


def test_num_cores_follows_the_affinity_set(monkeypatch):
    if hasattr(os, 'sched_getaffinity'):
        monkeypatch.setattr(os, 'sched_getaffinity', lambda pid: {0, 3, 5})
        assert timing.num_cores() == 3
    monkeypatch.delattr(os, 'sched_getaffinity', raising=False)
    monkeypatch.setattr(os, 'cpu_count', lambda: 7)
    assert timing.num_cores() == 7
    monkeypatch.setattr(os, 'cpu_count', lambda: None)
    assert timing.num_cores() == 1


def test_load_average_is_nan_off_unix(monkeypatch):
    monkeypatch.delattr(os, 'getloadavg', raising=False)
    assert math.isnan(timing.load_average())


def test_machine_line(monkeypatch):
    monkeypatch.setattr(timing, 'num_cores', lambda: 2)
    monkeypatch.setattr(os, 'getloadavg', lambda: (1.26, 0.5, 0.1),
                        raising=False)
    assert timing.machine_line() == '2 cores, load average 1.3'
    monkeypatch.delattr(os, 'getloadavg')
    assert timing.machine_line() == '2 cores, load average nan'
    monkeypatch.setattr(timing, 'num_cores', lambda: 1)
    assert timing.machine_line() == '1 core, load average nan'


def test_machine_line_of_this_machine():
    assert re.fullmatch(r'(1 core|\d+ cores), load average (\d+\.\d|nan)',
                        timing.machine_line())
