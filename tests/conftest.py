"""Shared test set-up: offline data, a private cache, the tools on sys.path.

Data comes from the offline mirror (``../shared/data`` beside the checkout,
or ``D2L_DATA_MIRROR``) into a cache folder that lives for one test session
(one per xdist worker) and is removed at its end; nothing is ever fetched
from the network (``D2L_OFFLINE=1``).

Tests that need ``../shared`` (the data mirror, the API spec) ask for the
`mirror` or `spec` fixture. Without it they skip, all with the one reason
`SHARED_MISSING`, and the session ends with one line saying how many; in
CI, where ``.ci/run`` sets ``D2L_CI=1``, the same tests fail instead.
"""
import os
import pathlib
import shutil
import sys
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / 'shared'
sys.path.insert(0, str(ROOT / 'tools'))

os.environ.setdefault('D2L_DATA_MIRROR', str(SHARED / 'data'))
os.environ.setdefault('D2L_OFFLINE', '1')
SHARED_MISSING = ('needs ../shared (data mirror or API spec), which is not '
                  'beside this checkout; set D2L_DATA_MIRROR, or clone it')
_OWN_CACHE = []


def pytest_configure(config):
    """Give the session its own data cache, unless one was chosen."""
    if 'D2L_DATA_DIR' not in os.environ:
        path = tempfile.mkdtemp(prefix='d2l-test-data-')
        os.environ['D2L_DATA_DIR'] = path
        _OWN_CACHE.append(path)


def pytest_unconfigure(config):
    """Remove the session's data cache (tens of MB of extracted data)."""
    for path in _OWN_CACHE:
        shutil.rmtree(path, ignore_errors=True)
        if os.environ.get('D2L_DATA_DIR') == path:
            del os.environ['D2L_DATA_DIR']
    _OWN_CACHE.clear()


def in_ci():
    """Whether the tests run in CI (``.ci/run`` sets D2L_CI=1)."""
    return os.environ.get('D2L_CI', '').strip().lower() in {'1', 'true',
                                                            'yes', 'on'}


def need_shared(path):
    """Skip (fail in CI) with `SHARED_MISSING` unless `path` exists."""
    if not pathlib.Path(path).exists():
        if in_ci():
            pytest.fail(f'{SHARED_MISSING} (looked for {path}; D2L_CI is '
                        'set, so this is an error)')
        pytest.skip(SHARED_MISSING)
    return pathlib.Path(path)


def pytest_terminal_summary(terminalreporter):
    """One line for all the tests skipped for want of ../shared."""
    skipped = [r for r in terminalreporter.stats.get('skipped', [])
               if SHARED_MISSING in str(getattr(r, 'longrepr', ''))]
    if skipped:
        terminalreporter.write_line(f'{len(skipped)} test(s) skipped: '
                                    f'{SHARED_MISSING}', yellow=True)


@pytest.fixture
def quick(monkeypatch):
    """Turn quick mode on for one test."""
    monkeypatch.setenv('D2L_QUICK', '1')


@pytest.fixture
def full(monkeypatch):
    """Turn quick mode off for one test."""
    monkeypatch.delenv('D2L_QUICK', raising=False)


@pytest.fixture
def clock(monkeypatch):
    """A fake time.perf_counter that returns the listed instants in turn."""
    def install(*instants):
        ticks = iter(instants)
        monkeypatch.setattr(time, 'perf_counter', lambda: next(ticks))
    return install


@pytest.fixture(scope='session')
def mirror():
    """The offline data mirror; the tests that read real data need it."""
    path = pathlib.Path(os.environ['D2L_DATA_MIRROR'].split(os.pathsep)[0])
    need_shared(path / 'SHA1SUMS')
    return path


@pytest.fixture(scope='session')
def spec():
    """The API spec table, ../shared/spec/d2l-api.tsv."""
    return need_shared(SHARED / 'spec' / 'd2l-api.tsv')


@pytest.fixture(scope='session', autouse=True)
def _warm_torch_optim():
    """Build one torch.optim optimizer up front: the first one in a process
    imports torch._dynamo (seconds), which would land in a random test."""
    import torch
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)


@pytest.fixture(autouse=True)
def _close_progress_line():
    """End a progress line a test left open, so the next test's output does
    not begin with the newline that ends it (d2l.liveplot keeps one open
    terminal line across views, as a notebook or terminal session does)."""
    yield
    from d2l import liveplot
    if liveplot._line['view'] is not None:
        liveplot._line['view']._end_line()
