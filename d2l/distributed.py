"""Plumbing for the multi-process sections of chapter 13 (not taught).

Sections 13.5-13.7 write their worker scripts in the notebook and run them
as real processes under `torchrun`. The pieces they share live here, so the
notebooks reach them as `d2l.distributed.<name>`:

* `script_dir(name)`: a fixed, emptied folder for a section's scripts, so
  that `%%writefile {folder}/x.py` prints the same path on every run; it is
  removed when the Python process (the notebook's kernel) ends;
* `launch(script, nproc, *args)`: run a script in `nproc` processes with
  `python -m torch.distributed.run --standalone` and return their output;
* `sent_bytes()`: the bytes this process has written so far (Linux), which
  counts the socket traffic of the gloo backend without touching it.
"""
import atexit
import math
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from d2l import checks

__all__ = ['script_dir', 'launch', 'sent_bytes']

_SCRIPT_DIRS = set()        # folders made by script_dir, removed at exit


def _remove_script_dirs():
    for folder in sorted(_SCRIPT_DIRS):
        shutil.rmtree(folder, ignore_errors=True)
    _SCRIPT_DIRS.clear()


def script_dir(name):
    """The folder <tempdir>/d2l-<name>, created empty; returns its path.

    The same name gives the same path on every run (unlike mkdtemp), so
    outputs that print it stay stable; the folder is removed when this
    Python process exits. One run of a section at a time.
    """
    if not isinstance(name, str) or not name or not all(
            c.isalnum() or c in '-_' for c in name):
        raise ValueError(f'name must be a non-empty string of letters, '
                         f'digits, - and _, got {name!r}')
    folder = os.path.join(tempfile.gettempdir(), f'd2l-{name}')
    shutil.rmtree(folder, ignore_errors=True)    # scripts of an earlier run
    os.makedirs(folder)
    if not _SCRIPT_DIRS:
        atexit.register(_remove_script_dirs)
    _SCRIPT_DIRS.add(folder)
    return folder


def launch(script, nproc, *args, threads=1, timeout=None):
    """Run `script` in `nproc` local processes with torchrun; return stdout.

    Each process gets OMP_NUM_THREADS=`threads`, so n processes use n cores.
    A failed run raises RuntimeError with the end of the processes' stderr.
    """
    checks.integer(nproc, 'nproc', at_least=1)
    checks.integer(threads, 'threads', at_least=1)
    script = pathlib.Path(script)
    if not script.is_file():
        raise FileNotFoundError(f'no script {str(script)!r} to launch')
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone',
           '--nproc-per-node', str(nproc), str(script), *map(str, args)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    done = subprocess.run(cmd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f'{script.name} in {_processes(nproc)} failed '
                           f'(exit {done.returncode}):\n'
                           f'{done.stderr[-3000:]}')
    return done.stdout


def _processes(n):
    """'1 process', '2 processes': a count of processes for a message."""
    return f'{n} process' if n == 1 else f'{n} processes'


def sent_bytes():
    """Bytes this process has written so far, sockets included; nan off Linux.

    Reads `wchar` of /proc/self/io: every write() counts, so take the
    difference of two calls around the communication you want to measure.
    """
    try:
        with open('/proc/self/io') as f:
            fields = dict(line.split(':', 1) for line in f if ':' in line)
        return int(fields['wchar'])
    except (OSError, KeyError, ValueError):
        return math.nan
