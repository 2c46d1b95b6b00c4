"""Execute notebooks and store their outputs, rerunning only what changed.

Usage:
    D2L_QUICK=1 python tools/execute.py [FILE.md ...]   # stale ones, or FILEs
    python tools/execute.py --force FILE.md             # run even if fresh
    python tools/execute.py --check                      # exit 1 if stale
    python tools/execute.py --jobs 2                     # two at a time

A notebook's outputs are *fresh* when the hash of its code cells and of the
`d2l` package (torch.py, hub.py, quickmode.py) equals the key stored in the
.ipynb metadata (``metadata.d2l.exec_key``) by the run that made them, so
editing prose never reruns a notebook. Run `make sync` first: the .ipynb's
inputs come from its .md. Notebooks run in their own folder, with the
environment of this process (the Makefile sets D2L_QUICK=1).
"""
import argparse
import hashlib
import pathlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

import jupytext
import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import toc  # noqa: E402

D2L_FILES = ('torch.py', 'hub.py', 'quickmode.py')
CELL_TIMEOUT = 1800   # seconds; full mode on a CPU can be slow


def d2l_digest():
    h = hashlib.sha256()
    for name in D2L_FILES:
        h.update((toc.ROOT / 'd2l' / name).read_bytes())
    return h.hexdigest()


def exec_key(nb, d2l_hash=None):
    """Hash of the code cells and of the d2l package."""
    h = hashlib.sha256((d2l_hash or d2l_digest()).encode())
    for cell in nb.cells:
        if cell.cell_type == 'code':
            h.update(cell.source.encode() + b'\0')
    return h.hexdigest()[:16]


def is_fresh(nb, d2l_hash=None):
    return nb.metadata.get('d2l', {}).get('exec_key') == exec_key(nb, d2l_hash)


def _clean_outputs(nb):
    """Drop volatile metadata nbclient leaves behind."""
    for cell in nb.cells:
        cell.metadata.pop('execution', None)
        if cell.cell_type == 'code':
            for out in cell.get('outputs', []):
                out.get('metadata', {}).pop('execution', None)
    nb.metadata.pop('widgets', None)
    nb.metadata.pop('language_info', None)


def run(ipynb, d2l_hash):
    """Execute one notebook in place; return the seconds it took."""
    from nbclient import NotebookClient
    nb = nbformat.read(ipynb, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name='python3',
                   resources={'metadata': {'path': str(ipynb.parent)}},
                   record_timing=False).execute()
    seconds = time.perf_counter() - start
    _clean_outputs(nb)
    nb.metadata['d2l'] = {'exec_key': exec_key(nb, d2l_hash)}
    ipynb.write_text(jupytext.writes(nb, fmt="ipynb"))
    return seconds


def targets(files):
    if files:
        return [toc.find(f).ipynb for f in files]
    return [s.ipynb for s in toc.sections(only_existing=True)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('files', nargs='*', help='section .md/.ipynb files')
    parser.add_argument('--check', action='store_true',
                        help='run nothing; exit 1 if any outputs are stale')
    parser.add_argument('--force', action='store_true',
                        help='run the given notebooks even if fresh')
    parser.add_argument('--jobs', type=int, default=1,
                        help='notebooks to run at the same time')
    args = parser.parse_args(argv)
    d2l_hash = d2l_digest()
    stale, failed, todo = [], [], []
    for ipynb in targets(args.files):
        rel = ipynb.relative_to(toc.ROOT)
        if not ipynb.exists():
            stale.append(rel)
            if not args.check:
                print(f'execute: {rel} is missing; run `make sync` first',
                      file=sys.stderr)
            continue
        nb = nbformat.read(ipynb, as_version=4)
        if is_fresh(nb, d2l_hash) and not args.force:
            continue
        if args.check:
            stale.append(rel)
        else:
            todo.append(ipynb)
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        jobs = {pool.submit(run, ipynb, d2l_hash): ipynb for ipynb in todo}
        for job in as_completed(jobs):
            rel = jobs[job].relative_to(toc.ROOT)
            try:
                print(f'execute: {rel} done in {job.result():.1f} s',
                      flush=True)
            except Exception as err:     # report every failure, then exit 1
                failed.append(rel)
                print(f'execute: {rel} FAILED: {type(err).__name__}: '
                      f'{str(err)[-1500:]}', file=sys.stderr)
    if args.check and stale:
        print('execute: these notebooks have outputs from older code or an '
              'older d2l; run `make execute`:\n  '
              + '\n  '.join(map(str, stale)), file=sys.stderr)
        return 1
    return 1 if failed or (stale and not args.check) else 0


if __name__ == '__main__':
    sys.exit(main())
