"""LeNet training speed: our d2l.LeNet + d2l.Trainer against d2l==1.0.3's.

Usage:
    python bench/bench_lenet.py [--ref-python PATH] [--epochs N]
                                [--batch-size B] [--repeats R] [--threads T]

Runs the training of Section 7.6 (LeNet, lr 0.1, Xavier init through
apply_init, Fashion-MNIST at 28x28, batch size 128, 10 epochs by default) on
the CPU with both packages, each run in a fresh process, alternating between
the two so that machine load affects both alike. The training script is the
same text for both: code written for the published API runs unchanged on
ours. For each run it reports the seconds of `trainer.fit`, the training
examples per second over that time (validation passes included), and the
accuracy on all 10,000 test images; then the ratio of the median speeds.
Both runs use the same number of intra-op threads: PyTorch's default (all
cores) unless --threads sets OMP_NUM_THREADS for both. On a machine shared
with other jobs, one thread is the fairer setting: with more threads than
free cores, PyTorch's threads wait for each other and both packages slow
down several times over, whatever they do.

The reference interpreter holds d2l==1.0.3 (default /tmp/d2lref/bin/python or
$D2L_REF_PYTHON; see bench/run.py for how to make it). It reads Fashion-MNIST
through torchvision, which wants the four .gz files in
<root>/FashionMNIST/raw/; they are copied there from the data mirror
($D2L_DATA_MIRROR, default ../shared/data), so nothing is downloaded.
The reference runs without PYTHONPATH, so that it cannot import our package
by accident, and the benchmark stops unless it reports d2l 1.0.3.
Results are printed and written to bench/results/lenet.json; the shared
plumbing (environments, alternation, paired ratios) is bench/harness.py.
"""
import argparse
import os
import pathlib
import sys
import tempfile

import harness

# Book-style code for the published API; {epochs} and {batch_size} are set
# by the benchmark. The warm-up optimizer pays torch's one-time import of
# torch._dynamo before timing (d2l 1.0.3 pays it at import, we at the first
# optimizer), so that neither package is charged for it inside fit.
TRAIN = '''
import time, torch
from d2l import torch as d2l
torch.manual_seed(0)
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
data = d2l.FashionMNIST(batch_size={batch_size})
model = d2l.LeNet(lr=0.1)
model.apply_init([next(iter(data.get_dataloader(True)))[0]], d2l.init_cnn)
trainer = d2l.Trainer(max_epochs={epochs}, num_gpus=1)
t = time.perf_counter()
trainer.fit(model, data)
seconds = time.perf_counter() - t
model.eval()
correct = n = 0
with torch.no_grad():
    for X, y in data.get_dataloader(False):
        correct += (model(X).argmax(dim=1) == y).sum().item()
        n += len(y)
print()
print(seconds, {epochs} * len(data.train) / seconds, correct / n)
'''


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_common_arguments(parser, repeats=1, threads=None)
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--batch-size', type=int, default=128)
    args = parser.parse_args(argv)
    mirror = harness.data_mirror()
    code = TRAIN.format(epochs=args.epochs, batch_size=args.batch_size)
    has_ref = harness.has_reference(args.ref_python)
    pythons = {'ours': harness.OURS}
    if has_ref:
        pythons['ref'] = args.ref_python
    names = {'ours': 'ours', 'ref': harness.REF}
    with tempfile.TemporaryDirectory(prefix='bench-lenet-') as tmp:
        tmp = pathlib.Path(tmp)
        work = tmp / 'work'            # '../data' is tmp/data from here
        work.mkdir()
        envs = harness.environments(args.threads, D2L_DATA_MIRROR=mirror,
                                    D2L_DATA_DIR=tmp / 'ours')
        if has_ref:
            harness.prepare_fashion_mnist(mirror, tmp / 'data')
        versions = harness.versions(pythons, envs, work)

        def show(key, row):
            seconds, rate, acc = row
            print(f'  {names[key]:10s} {rate:7.0f} examples/s  fit '
                  f'{seconds:6.1f} s  test accuracy {acc:.4f}', flush=True)
        runs = harness.alternate(
            list(pythons), args.repeats,
            lambda key: harness.measure(pythons[key], code, envs[key], work),
            show)
    threads = 'default' if args.threads is None else args.threads
    print(f'LeNet on Fashion-MNIST, {args.epochs} epochs, batch size '
          f'{args.batch_size}, CPU ({os.cpu_count()} cores, threads '
          f'{threads}), median of {args.repeats}')
    result = {'epochs': args.epochs, 'batch_size': args.batch_size,
              'repeats': args.repeats, 'threads': threads,
              'versions': versions, 'runs': runs}
    for key in pythons:
        seconds, rate, acc = harness.medians(runs[key])
        print(f'  {names[key]:10s} {rate:7.0f} examples/s  fit {seconds:6.1f}'
              f' s  test accuracy {acc:.4f}  (d2l, torch {versions[key]})')
    if has_ref:
        speed = harness.speedups(runs['ours'], runs['ref'], 1)
        gap = 100 * (harness.medians(runs['ours'])[2]
                     - harness.medians(runs['ref'])[2])
        print(f'  speed-up   {speed["ratio_of_medians"]:.2f}x (median of '
              f'paired ratios {speed["median_paired_ratio"]:.2f}x)   '
              f'accuracy difference {gap:+.1f} points')
        result.update(speedup=speed, accuracy_points=gap)
    harness.write_result('lenet.json', result)
    return 0


if __name__ == '__main__':
    sys.exit(main())
