"""Shared test set-up: offline data, a private cache, the tools on sys.path."""
import os
import pathlib
import sys
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))

# Data comes from the offline mirror (../shared/data beside the checkout)
# into a throwaway cache; nothing is ever fetched from the network.
os.environ.setdefault('D2L_DATA_MIRROR', str(ROOT.parent / 'shared' / 'data'))
os.environ.setdefault('D2L_DATA_DIR',
                      tempfile.mkdtemp(prefix='d2l-test-data-'))
os.environ.setdefault('D2L_OFFLINE', '1')


@pytest.fixture
def quick(monkeypatch):
    """Turn quick mode on for one test."""
    monkeypatch.setenv('D2L_QUICK', '1')


@pytest.fixture
def full(monkeypatch):
    """Turn quick mode off for one test."""
    monkeypatch.delenv('D2L_QUICK', raising=False)


@pytest.fixture(scope='session')
def mirror():
    """The offline data mirror; the tests that read real data need it."""
    path = pathlib.Path(os.environ['D2L_DATA_MIRROR'].split(os.pathsep)[0])
    if not (path / 'SHA1SUMS').exists():
        pytest.fail(f'data mirror not found at {path}; set D2L_DATA_MIRROR')
    return path


@pytest.fixture(scope='session', autouse=True)
def _warm_torch_optim():
    """Build one torch.optim optimizer up front: the first one in a process
    imports torch._dynamo (seconds), which would land in a random test."""
    import torch
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
