"""The shared set-up itself: missing ../shared, CI strictness, no leaked data.

Each test runs a small pytest session in a subprocess, in a throwaway
checkout whose tests/conftest.py is ours and which has no ../shared.
"""
import pathlib
import shutil

import pytest

pytest_plugins = ['pytester']

CONFTEST = pathlib.Path(__file__).with_name('conftest.py')

INNER = '''
import os
import pathlib

import pytest


@pytest.fixture(scope='session')
def _warm_torch_optim():       # the real one imports torch: not needed here
    pass


def test_reads_data(mirror):
    pass


def test_reads_spec(spec):
    pass


def test_notes_the_cache():
    path = pathlib.Path(os.environ['D2L_DATA_DIR'])
    (path / 'data.bin').write_bytes(b'x' * 1000)
    pathlib.Path(os.environ['CACHE_NOTE']).write_text(str(path))
'''


@pytest.fixture
def checkout(pytester, monkeypatch, tmp_path):
    """A checkout without ../shared; returns a function running its tests."""
    tests = pytester.path / 'main' / 'tests'
    tests.mkdir(parents=True)
    shutil.copy(CONFTEST, tests / 'conftest.py')
    (tests / 'test_inner.py').write_text(INNER)
    for var in ('D2L_DATA_MIRROR', 'D2L_DATA_DIR', 'D2L_CI'):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv('CACHE_NOTE', str(tmp_path / 'cache-note'))

    def run(*args):
        return pytester.runpytest_subprocess(str(tests), '-p', 'no:xdist',
                                             '-p', 'no:cacheprovider',
                                             '-p', 'no:nbval', *args)
    return run


def test_without_shared_the_tests_skip_with_one_line(checkout, tmp_path):
    result = checkout()
    result.assert_outcomes(passed=1, skipped=2)
    lines = [l for l in result.outlines if 'needs ../shared' in l]
    assert len(lines) == 1
    assert lines[0].startswith('2 test(s) skipped: needs ../shared (data')
    # and the session's data cache is gone afterwards
    cache = pathlib.Path((tmp_path / 'cache-note').read_text())
    assert cache.name.startswith('d2l-test-data-') and not cache.exists()


def test_in_ci_a_missing_shared_fails(checkout, monkeypatch):
    monkeypatch.setenv('D2L_CI', '1')
    result = checkout()
    result.assert_outcomes(passed=1, errors=2)
    assert 'D2L_CI is set, so this is an error' in result.stdout.str()
