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
PyTorch's own; DataLoader workers always use one): on a small, busy CPU,
multi-threaded tensor operations on small arrays mostly wait for each other,
which is why our loader gathers minibatches in single-threaded NumPy.

The reference interpreter holds ``d2l==1.0.3`` (default /tmp/d2lref/bin/python
or $D2L_REF_PYTHON; see bench/run.py for how to make it). It reads the data
through torchvision, which wants the four .gz files in
``<root>/FashionMNIST/raw/``; they are copied there from the data mirror
($D2L_DATA_MIRROR, default ../shared/data), so nothing is downloaded. Without
the reference interpreter only our numbers are printed. The shared plumbing
is bench/harness.py.
"""
import argparse
import pathlib
import sys
import tempfile

import harness

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_common_arguments(parser, repeats=3, threads=None)
    parser.add_argument('--batch-size', type=int, default=256)
    parser.add_argument('--resize', type=int, nargs=2, default=(28, 28))
    parser.add_argument('--workers', type=int, default=2,
                        help='worker processes of the second variant of ours')
    args = parser.parse_args(argv)
    mirror = harness.data_mirror()
    ours_workers = f'ours, {args.workers} workers'
    variants = {'ours': ('ours', None), ours_workers: ('ours', args.workers)}
    has_ref = harness.has_reference(args.ref_python)
    pythons = {'ours': harness.OURS}
    if has_ref:
        pythons['ref'] = args.ref_python
        variants[harness.REF] = ('ref', None)
    codes = {name: PASS.format(batch_size=args.batch_size,
                               resize=tuple(args.resize), workers=workers)
             for name, (_, workers) in variants.items()}
    with tempfile.TemporaryDirectory(prefix='bench-fmnist-') as tmp:
        tmp = pathlib.Path(tmp)
        work = tmp / 'work'            # '../data' is tmp/data from here
        work.mkdir()
        envs = harness.environments(args.threads, D2L_DATA_MIRROR=mirror,
                                    D2L_DATA_DIR=tmp / 'ours')
        if has_ref:
            harness.prepare_fashion_mnist(mirror, tmp / 'data')
        versions = harness.versions(pythons, envs, work)

        def run(name):
            pkg = variants[name][0]
            return harness.measure(pythons[pkg], codes[name], envs[pkg], work)
        for name in variants:               # warm-up: caches, extraction
            run(name)
        runs = harness.alternate(list(variants), args.repeats, run)
    threads = 'default' if args.threads is None else args.threads
    print(f'Fashion-MNIST training pass, batch size {args.batch_size}, '
          f'resize {tuple(args.resize)}, CPU, median of {args.repeats}, '
          f'threads {threads}')
    rates = {}
    for name, (pkg, _) in variants.items():
        build, seconds, rates[name] = harness.medians(runs[name])
        print(f'  {name:16s} {rates[name]:9.0f} examples/s  (pass '
              f'{seconds:.2f} s, build {build:.2f} s; d2l, torch '
              f'{versions[pkg]})')
    if has_ref:
        speed = harness.speedups(runs['ours'], runs[harness.REF], 2)
        print(f'  {"speed-up":16s} {speed["ratio_of_medians"]:.1f}x (median '
              f'of paired ratios {speed["median_paired_ratio"]:.1f}x; ours '
              'against d2l 1.0.3)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
