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
Results are printed and written to bench/results/lenet.json.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
OURS = sys.executable
REF_VERSION = '1.0.3'
FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
         't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']

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


def measure(python, code, env, cwd):
    out = subprocess.run([python, '-c', code], capture_output=True,
                         text=True, env=env, cwd=cwd)
    if out.returncode:
        raise RuntimeError(f'{python} failed:\n{out.stderr[-3000:]}')
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
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--repeats', type=int, default=1)
    parser.add_argument('--threads', type=int, default=None,
                        help='OMP_NUM_THREADS for both runs')
    args = parser.parse_args(argv)
    mirror = pathlib.Path(os.environ.get(
        'D2L_DATA_MIRROR', HERE.parent.parent / 'shared' / 'data'))
    code = TRAIN.format(epochs=args.epochs, batch_size=args.batch_size)
    has_ref = pathlib.Path(args.ref_python).exists()
    if not has_ref:
        print(f'bench: no reference interpreter at {args.ref_python}; '
              'measuring ours only (see bench/run.py to make one)')
    pythons = {'ours': OURS, 'd2l 1.0.3': args.ref_python}
    names = list(pythons) if has_ref else ['ours']
    runs = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix='bench-lenet-') as tmp:
        tmp = pathlib.Path(tmp)
        work = tmp / 'work'            # '../data' is tmp/data from here
        work.mkdir()
        env = {**os.environ, 'MPLBACKEND': 'Agg', 'PYTHONWARNINGS': 'ignore',
               'D2L_DATA_MIRROR': str(mirror),
               'D2L_DATA_DIR': str(tmp / 'ours')}
        env.pop('D2L_QUICK', None)
        env.pop('OMP_NUM_THREADS', None)   # both use the same threads
        if args.threads is not None:
            env['OMP_NUM_THREADS'] = str(args.threads)
        # our PYTHONPATH may point at this repository, whose d2l package
        # would then shadow the reference interpreter's d2l 1.0.3
        envs = {'ours': env, 'd2l 1.0.3': {k: v for k, v in env.items()
                                           if k != 'PYTHONPATH'}}
        if has_ref:
            prepare_reference_root(mirror, tmp / 'data')
        versions = {name: subprocess.run(
            [pythons[name], '-c', 'import d2l, torch; '
             'print(d2l.__version__, torch.__version__)'],
            capture_output=True, text=True, env=envs[name], cwd=work,
            check=True).stdout.strip() for name in names}
        if has_ref and versions['d2l 1.0.3'].split()[0] != REF_VERSION:
            raise SystemExit(f'bench: {args.ref_python} imports d2l '
                             f'{versions["d2l 1.0.3"].split()[0]}, not the '
                             f'reference d2l {REF_VERSION}')
        for _ in range(args.repeats):
            for name in names:
                runs[name].append(measure(pythons[name], code, envs[name],
                                          work))
                seconds, rate, acc = runs[name][-1]
                print(f'  {name:10s} {rate:7.0f} examples/s  fit '
                      f'{seconds:6.1f} s  test accuracy {acc:.4f}',
                      flush=True)
    threads = 'default' if args.threads is None else args.threads
    print(f'LeNet on Fashion-MNIST, {args.epochs} epochs, batch size '
          f'{args.batch_size}, CPU ({os.cpu_count()} cores, threads '
          f'{threads}), median of {args.repeats}')
    result = {'epochs': args.epochs, 'batch_size': args.batch_size,
              'repeats': args.repeats, 'threads': threads,
              'versions': versions, 'runs': runs}
    med = {}
    for name in names:
        seconds, rate, acc = (statistics.median(r[i] for r in runs[name])
                              for i in range(3))
        med[name] = (rate, acc)
        print(f'  {name:10s} {rate:7.0f} examples/s  fit {seconds:6.1f} s  '
              f'test accuracy {acc:.4f}  (d2l, torch {versions[name]})')
    if has_ref:
        ratio = med['ours'][0] / med['d2l 1.0.3'][0]
        gap = 100 * (med['ours'][1] - med['d2l 1.0.3'][1])
        print(f'  speed-up   {ratio:.2f}x   accuracy difference '
              f'{gap:+.1f} points')
        result.update(speedup=ratio, accuracy_points=gap)
    out = HERE / 'results'
    out.mkdir(exist_ok=True)
    (out / 'lenet.json').write_text(json.dumps(result, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
