"""Tests of d2l/distributed.py: script_dir, launch and sent_bytes."""
import math
import os
import pathlib
import subprocess
import sys
import tempfile

import pytest
import torch.distributed as dist

from d2l import distributed
from d2l import torch as d2l

needs_gloo = pytest.mark.skipif(not dist.is_available() or
                                not dist.is_gloo_available(),
                                reason='torch.distributed with gloo missing')

SUM_SCRIPT = '''
import os, sys
import torch
import torch.distributed as dist
dist.init_process_group('gloo')
x = torch.tensor([dist.get_rank() + 1.0])
dist.all_reduce(x)
fields = [dist.get_rank(), dist.get_world_size(), int(x.item()),
          os.environ['OMP_NUM_THREADS'], *sys.argv[1:]]
# one write per line: both processes share the pipe, and a line written in
# one system call is never split by the other process's output
os.write(1, (' '.join(map(str, fields)) + '\\n').encode())
dist.destroy_process_group()
'''


def test_reachable_from_the_generated_package():
    assert d2l.distributed is distributed


def test_script_dir_is_stable_and_emptied():
    first = distributed.script_dir('test-dist_1')
    assert first == os.path.join(tempfile.gettempdir(), 'd2l-test-dist_1')
    pathlib.Path(first, 'old.py').write_text('x = 1\n')
    again = distributed.script_dir('test-dist_1')
    assert again == first and os.listdir(again) == []
    os.rmdir(again)


def test_script_dirs_are_removed_when_python_exits(tmp_path):
    code = ('from d2l import distributed; import pathlib; '
            'f = distributed.script_dir("test-dist_exit"); '
            'pathlib.Path(f, "x.py").write_text(""); print(f)')
    env = dict(os.environ, TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, '-c', code], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    folder = done.stdout.strip()
    assert folder == str(tmp_path / 'd2l-test-dist_exit')
    assert not os.path.exists(folder) and os.listdir(tmp_path) == []


@pytest.mark.parametrize('name', ['', '../x', 'a b', 3])
def test_script_dir_bad_names(name):
    with pytest.raises(ValueError, match='letters, digits'):
        distributed.script_dir(name)


@needs_gloo
def test_launch_runs_a_two_process_gloo_job(tmp_path):
    script = tmp_path / 'sum.py'
    script.write_text(SUM_SCRIPT)
    out = distributed.launch(script, 2, 'a', 7, timeout=120)
    lines = sorted(out.split('\n')[:-1])
    assert lines == ['0 2 3 1 a 7', '1 2 3 1 a 7']


def test_launch_reports_a_failing_script(tmp_path):
    script = tmp_path / 'bad.py'
    script.write_text('raise SystemExit("boom in worker")\n')
    with pytest.raises(RuntimeError, match=r'(?s)bad.py in 1 process '
                                           r'failed.*boom in worker'):
        distributed.launch(str(script), 1, timeout=120)


@pytest.mark.parametrize('n, words', [(1, '1 process'), (2, '2 processes'),
                                      (10, '10 processes')])
def test_process_counts_read_as_english(n, words):
    assert distributed._processes(n) == words


@needs_gloo
def test_launch_failure_names_the_plural(tmp_path):
    script = tmp_path / 'bad.py'
    script.write_text('raise SystemExit(3)\n')
    with pytest.raises(RuntimeError, match='bad.py in 2 processes failed'):
        distributed.launch(script, 2, timeout=120)


def test_launch_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match='no script'):
        distributed.launch(tmp_path / 'missing.py', 1)
    script = tmp_path / 'ok.py'
    script.write_text('')
    with pytest.raises(ValueError, match='nproc must be an integer >= 1'):
        distributed.launch(script, 0)
    with pytest.raises(TypeError, match='nproc must be an integer'):
        distributed.launch(script, 1.5)
    with pytest.raises(ValueError, match='threads must be an integer >= 1'):
        distributed.launch(script, 1, threads=0)


def test_sent_bytes_counts_writes_or_is_nan(tmp_path):
    before = distributed.sent_bytes()
    if math.isnan(before):
        pytest.skip('no /proc/self/io on this system')
    assert isinstance(before, int) and before >= 0
    with open(tmp_path / 'blob', 'wb') as f:
        f.write(b'\0' * 10_000)
    assert distributed.sent_bytes() - before >= 10_000


def test_sent_bytes_is_nan_without_proc(monkeypatch):
    def no_file(*args, **kwargs):
        raise FileNotFoundError('/proc/self/io')
    monkeypatch.setattr('builtins.open', no_file)
    assert math.isnan(distributed.sent_bytes())
