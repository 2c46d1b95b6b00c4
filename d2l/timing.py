"""Timing on a shared machine: best-of-N timings and a line about the CPU.

Chapter 13 compares the speed of code variants on a processor that other
programs use too. Two habits make such numbers worth comparing, and the
notebooks reach both as `d2l.timing.<name>` instead of rewriting them:

* `best_of(fns, rounds)`: time each function `rounds` times and keep the
  fastest run, the one least disturbed by other programs. With several
  functions, every round runs each of them once, in turn, so that a busy
  minute slows all of them rather than one. Optionally it sets PyTorch's
  intra-op thread count for the timing and restores it afterwards.
* `num_cores()`, `load_average()` and `machine_line()`: how many cores this
  process may use, how busy the machine was, and both in one printed line,
  so that a reader can judge the timings next to it.
"""
import math
import os
import time

import torch

from d2l import checks

__all__ = ['best_of', 'num_cores', 'load_average', 'machine_line']


def num_cores():
    """Cores this process may run on: its affinity set where the OS has one.

    Inside a container the affinity set can be smaller than os.cpu_count().
    """
    if hasattr(os, 'sched_getaffinity'):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def load_average():
    """Programs ready to run, averaged over the last minute; nan off Unix."""
    return os.getloadavg()[0] if hasattr(os, 'getloadavg') else math.nan


def machine_line():
    """'2 cores, load average 1.3': the line printed beside timings."""
    n = num_cores()
    cores = '1 core' if n == 1 else f'{n} cores'
    return f'{cores}, load average {load_average():.1f}'


def _variant(name, entry, threads):
    """(function, thread count or None) of one entry of `best_of`."""
    fn, n = entry, threads
    if isinstance(entry, tuple):
        if len(entry) != 2:
            raise ValueError(f'{name}: a pair (function, num_threads) was '
                             f'expected, got a tuple of {len(entry)}')
        fn, n = entry
    if not callable(fn):
        raise TypeError(f'{name} must be callable, got '
                        f'{type(fn).__name__} {fn!r:.40}')
    if n is not None:
        n = checks.integer(n, f'threads of {name}', at_least=1)
    return fn, n


def _time_once(fn, num_threads, calls, args):
    """Seconds of `calls` calls fn(*args), with `num_threads` if given."""
    before = torch.get_num_threads()
    if num_threads is not None:
        torch.set_num_threads(num_threads)
    try:
        start = time.perf_counter()
        for _ in range(calls):
            fn(*args)
        return time.perf_counter() - start
    finally:
        if num_threads is not None:
            torch.set_num_threads(before)


def best_of(fns, rounds, *, threads=None, calls=1, args=()):
    """Fastest of `rounds` timings, in seconds, of one function or of several.

    `fns` is a function, which gives a float, or a dict name -> function,
    which gives a dict name -> seconds; a dict's functions take turns in
    every round. A value may also be a pair (function, num_threads) that
    overrides `threads`, PyTorch's intra-op thread count during the timing
    (None: leave it as it is). One timing covers `calls` calls fn(*args).
    """
    rounds = checks.integer(rounds, 'rounds', at_least=1)
    calls = checks.integer(calls, 'calls', at_least=1)
    args = tuple(args)
    if threads is not None:
        threads = checks.integer(threads, 'threads', at_least=1)
    if not isinstance(fns, dict):
        fn, n = _variant('fns', fns, threads)
        return min(_time_once(fn, n, calls, args) for _ in range(rounds))
    if not fns:
        raise ValueError('fns must name at least one function, got an '
                         'empty dict')
    variants = {name: _variant(f'fns[{name!r}]', entry, threads)
                for name, entry in fns.items()}
    best = dict.fromkeys(variants, math.inf)
    for _ in range(rounds):
        for name, (fn, n) in variants.items():
            best[name] = min(best[name], _time_once(fn, n, calls, args))
    return best
