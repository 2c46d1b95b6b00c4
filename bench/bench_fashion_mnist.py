"""Fashion-MNIST loader speed: our FashionMNIST against d2l==1.0.3's.

Usage:
    python bench/bench_fashion_mnist.py [--ref-python PATH] [--repeats N]
                                        [--batch-size B] [--resize H W]
                                        [--workers W] [--threads T]

Measures, on the CPU and in full mode (all 60,000 training images), the
examples per second of one complete pass over ``train_dataloader()``, each
pass in a fresh process; passes alternate between the variants so that
machine load affects all alike, and the median is reported. The time to
build the data module (decode, optional resize) is reported too. Variants:
ours with its default (no worker processes), ours with ``--workers``
worker processes (start-up included), and d2l 1.0.3 with its default (4).
``--threads T`` sets OMP_NUM_THREADS of every measured process (default:
inherited; DataLoader workers always use one): on a small, busy CPU,
multi-threaded tensor operations on small arrays mostly wait for each other,
which is why our loader gathers minibatches in single-threaded NumPy.

The reference interpreter holds ``d2l==1.0.3`` (default /tmp/d2lref/bin/python
or $D2L_REF_PYTHON; see bench/run.py for how to make it). It reads the data
through torchvision, which wants the four .gz files in
``<root>/FashionMNIST/raw/``; they are copied there from the data mirror
($D2L_DATA_MIRROR, default ../shared/data), so nothing is downloaded. Without
the reference interpreter only our numbers are printed.
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
OURS = sys.executable
FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
         't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']

PASS = '''
import time, torch
from d2l import torch as d2l
torch.manual_seed(0)
t = time.perf_counter()
data = d2l.FashionMNIST(batch_size={batch_size}, resize={resize})
if {workers} is not None:
    data.num_workers = {workers}
t_build = time.perf_counter() - t
t = time.perf_counter()
n = 0
for X, y in data.train_dataloader():
    n += len(y)
t_pass = time.perf_counter() - t
assert n == 60000 and tuple(X.shape[1:]) == (1,) + {resize}, (n, X.shape)
print(t_build, t_pass, n / t_pass)
'''


def measure(python, code, env, cwd):
    out = subprocess.run([python, '-c', code], capture_output=True,
                         text=True, env=env, cwd=cwd)
    if out.returncode:
        raise RuntimeError(f'{python} failed:\n{out.stderr[-2000:]}')
    return [float(v) for v in out.stdout.strip().splitlines()[-1].split()]


def prepare_reference_root(mirror, root):
    """Copy the four .gz files where torchvision looks for them."""
    raw = root / 'FashionMNIST' / 'raw'
    raw.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        src = mirror / 'fashion-mnist' / name
        if not src.is_file():
            raise FileNotFoundError(f'{src} is missing; set D2L_DATA_MIRROR')
        shutil.copyfile(src, raw / name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ref-python', default=os.environ.get(
        'D2L_REF_PYTHON', '/tmp/d2lref/bin/python'))
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--batch-size', type=int, default=256)
    parser.add_argument('--resize', type=int, nargs=2, default=(28, 28))
    parser.add_argument('--workers', type=int, default=2,
                        help='worker processes of the second variant of ours')
    parser.add_argument('--threads', type=int, default=0,
                        help='OMP_NUM_THREADS of every measured process '
                             '(0: inherit)')
    args = parser.parse_args(argv)
    mirror = pathlib.Path(os.environ.get(
        'D2L_DATA_MIRROR', HERE.parent.parent / 'shared' / 'data'))
    ours_workers = f'ours, {args.workers} workers'
    codes = {name: PASS.format(batch_size=args.batch_size,
                               resize=tuple(args.resize), workers=workers)
             for name, workers in [('ours', None),
                                   (ours_workers, args.workers),
                                   ('d2l 1.0.3', None)]}
    has_ref = pathlib.Path(args.ref_python).exists()
    if not has_ref:
        print(f'bench: no reference interpreter at {args.ref_python}; '
              'measuring ours only (see bench/run.py to make one)')
    with tempfile.TemporaryDirectory(prefix='bench-fmnist-') as tmp:
        tmp = pathlib.Path(tmp)
        work = tmp / 'work'            # '../data' is tmp/data from here
        work.mkdir()
        env = {**os.environ, 'MPLBACKEND': 'Agg', 'PYTHONWARNINGS': 'ignore',
               'D2L_DATA_MIRROR': str(mirror),
               'D2L_DATA_DIR': str(tmp / 'ours')}
        env.pop('D2L_QUICK', None)
        if args.threads > 0:
            env['OMP_NUM_THREADS'] = str(args.threads)
        if has_ref:
            prepare_reference_root(mirror, tmp / 'data')
        pythons = {'ours': OURS, ours_workers: OURS,
                   'd2l 1.0.3': args.ref_python}
        names = list(pythons) if has_ref else ['ours', ours_workers]
        runs = {name: [] for name in names}
        versions = {name: subprocess.run(
            [pythons[name], '-c', 'import d2l; print(d2l.__version__)'],
            capture_output=True, text=True, env=env, cwd=work,
            check=True).stdout.strip() for name in names}
        for name in names:                  # warm-up: caches, extraction
            measure(pythons[name], codes[name], env, work)
        for _ in range(args.repeats):
            for name in names:
                runs[name].append(measure(pythons[name], codes[name], env,
                                          work))
    threads = args.threads or os.environ.get('OMP_NUM_THREADS', 'default')
    print(f'Fashion-MNIST training pass, batch size {args.batch_size}, '
          f'resize {tuple(args.resize)}, CPU, median of {args.repeats}, '
          f'threads {threads}')
    result = {}
    for name in names:
        build, seconds, rate = (statistics.median(r[i] for r in runs[name])
                                for i in range(3))
        result[name] = rate
        print(f'  {name:16s} {rate:9.0f} examples/s  (pass {seconds:.2f} s, '
              f'build {build:.2f} s; d2l {versions[name]})')
    if has_ref:
        print(f'  {"speed-up":16s} {result["ours"] / result["d2l 1.0.3"]:.1f}x'
              ' (ours against d2l 1.0.3)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
