"""Minibatch SGD on the airfoil data (Section 12.5): our `train_ch11`
against d2l==1.0.3's.

Usage:
    python bench/bench_airfoil.py [--ref-python PATH] [--batch-size B]
                                  [--epochs N] [--repeats R] [--threads T]

Runs the chapter's from-scratch minibatch SGD through `d2l.get_data_ch11`
and `d2l.train_ch11` (the published signatures; a plain SGD trainer
function with the published (params, states, hyperparams) protocol) with
both packages, each run in a fresh process, alternating round by round
(bench/harness.py). For each run it reports the wall-clock seconds of the
whole `train_ch11` call (training, the periodic loss evaluations over the
whole data set and the progress plot, as a reader waits for them), the
seconds per epoch of training alone as `train_ch11`'s own timer counts them,
and the final loss. The speed-up is the median of the per-round ratios of
the wall-clock time, with the ratio of medians beside it.

Both packages' one-time imports (torch._dynamo, matplotlib) happen before
the clock starts, so the times are those of training, evaluating and
plotting. The reference reads airfoil_self_noise.dat from its cache folder ../data,
where the file is copied from the data mirror ($D2L_DATA_MIRROR), so nothing
is downloaded. Results go to bench/results/airfoil.json.
"""
import argparse
import os
import pathlib
import shutil
import sys
import tempfile

import harness

# Code for the published API; {batch_size}, {lr} and {epochs} are set by the
# benchmark. Two one-time imports are paid before timing, for both packages
# alike: the warm-up optimizer imports torch._dynamo, and matplotlib.figure,
# which d2l 1.0.3 imports with the package and ours with the first plot.
TRAIN = '''
import time, torch
import matplotlib.figure
from d2l import torch as d2l
torch.manual_seed(0)
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)


def plain_sgd(params, states, hyperparams):
    with torch.no_grad():
        for param in params:
            param -= hyperparams['lr'] * param.grad
            param.grad.zero_()


batches, num_features = d2l.get_data_ch11(batch_size={batch_size})
start = time.perf_counter()
elapsed, losses = d2l.train_ch11(plain_sgd, None, {{'lr': {lr}}}, batches,
                                 num_features, num_epochs={epochs})
wall = time.perf_counter() - start
print()
print(wall, elapsed[-1] / {epochs}, float(losses[-1]))
'''


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_common_arguments(parser, repeats=3, threads=1)
    parser.add_argument('--batch-size', type=int, default=10)
    parser.add_argument('--lr', type=float, default=0.05)
    parser.add_argument('--epochs', type=int, default=2)
    args = parser.parse_args(argv)
    mirror = harness.data_mirror()
    code = TRAIN.format(batch_size=args.batch_size, lr=args.lr,
                        epochs=args.epochs)
    has_ref = harness.has_reference(args.ref_python)
    pythons = {'ours': harness.OURS}
    if has_ref:
        pythons['ref'] = args.ref_python
    names = {'ours': 'ours', 'ref': harness.REF}
    with tempfile.TemporaryDirectory(prefix='bench-airfoil-') as tmp:
        tmp = pathlib.Path(tmp)
        work = tmp / 'work'            # '../data' is tmp/data from here
        work.mkdir()
        (tmp / 'data').mkdir()
        shutil.copyfile(mirror / 'airfoil_self_noise.dat',
                        tmp / 'data' / 'airfoil_self_noise.dat')
        envs = harness.environments(args.threads, D2L_DATA_MIRROR=mirror,
                                    D2L_DATA_DIR=tmp / 'ours')
        versions = harness.versions(pythons, envs, work)

        def show(key, row):
            wall, per_epoch, loss = row
            print(f'  {names[key]:10s} train_ch11 {wall:6.2f} s  training '
                  f'{per_epoch:6.3f} s/epoch  loss {loss:.3f}', flush=True)
        runs = harness.alternate(
            list(pythons), args.repeats,
            lambda key: harness.measure(pythons[key], code, envs[key], work),
            show)
    print(f'Minibatch SGD on airfoil, batch {args.batch_size}, lr {args.lr}, '
          f'{args.epochs} epochs, CPU ({os.cpu_count()} cores, threads '
          f'{args.threads}), median of {args.repeats}')
    result = {'batch_size': args.batch_size, 'lr': args.lr,
              'epochs': args.epochs, 'repeats': args.repeats,
              'threads': args.threads, 'versions': versions, 'runs': runs}
    for key in pythons:
        wall, per_epoch, loss = harness.medians(runs[key])
        print(f'  {names[key]:10s} train_ch11 {wall:6.2f} s  training '
              f'{per_epoch:6.3f} s/epoch  loss {loss:.3f}  (d2l, torch '
              f'{versions[key]})')
    if has_ref:
        # a shorter time is faster: ratio reference / ours of the seconds
        wall = harness.speedups(runs['ref'], runs['ours'], 0)
        train = harness.speedups(runs['ref'], runs['ours'], 1)
        print(f'  speed-up   {wall["median_paired_ratio"]:.2f}x wall-clock '
              f'(ratio of medians {wall["ratio_of_medians"]:.2f}x), '
              f'{train["median_paired_ratio"]:.2f}x training time alone')
        result.update(speedup_wall=wall, speedup_training=train)
    harness.write_result('airfoil.json', result)
    return 0


if __name__ == '__main__':
    sys.exit(main())
