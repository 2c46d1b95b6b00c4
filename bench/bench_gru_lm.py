"""GRU language model training speed: our d2l against d2l==1.0.3.

Usage:
    python bench/bench_gru_lm.py [--ref-python PATH] [--epochs N]
                                 [--repeats R] [--threads T] [--profile]

Trains the concise GRU language model of Chapter 10 at the book's size
(d2l.GRU with 32 hidden units in one layer inside d2l.RNNLM, The Time
Machine at the character level, batch size 1024, 32 steps, SGD with lr 4,
gradient clipping at 1) on the CPU with both packages, each run in a fresh
process, alternating between the two so that machine load affects both
alike. The training script is the same text for both: code written for the
published API runs unchanged on ours. For each run it reports the seconds of
`trainer.fit`, the training characters per second over that time
(epochs x 10,000 windows x 32 characters; the validation passes are part of
the time, as in any real run) and the validation perplexity at the end,
exp of the mean cross-entropy over all 5,000 validation windows.
Both runs use the same number of intra-op threads: one unless --threads
says otherwise (OMP_NUM_THREADS for both).

--profile adds, for each package, one run under cProfile and prints the
functions with the largest cumulative time, to show where the time goes.

The reference interpreter holds d2l==1.0.3 (default /tmp/d2lref/bin/python or
$D2L_REF_PYTHON; see bench/run.py for how to make it). It reads
timemachine.txt from its cache folder ../data, where the file is copied from
the data mirror ($D2L_DATA_MIRROR, default ../shared/data), so nothing is
downloaded. The reference runs without PYTHONPATH, so that it cannot import
our package by accident, and the benchmark stops unless it reports d2l 1.0.3.
The speed-up reported is the median over rounds of the per-round ratio
ours/reference (each round runs the two one after the other, so they share
its load), with the ratio of the median speeds beside it. Results are printed
and written to bench/results/gru_lm.json.
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

import harness

HERE = pathlib.Path(__file__).resolve().parent
OURS = sys.executable
REF_VERSION = '1.0.3'

# Book-style code for the published API; {epochs} is set by the benchmark.
# The warm-up optimizer pays torch's one-time import of torch._dynamo before
# timing, so that neither package is charged for it inside fit.
TRAIN = '''
import math, time, torch
from d2l import torch as d2l
torch.manual_seed(0)
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
data = d2l.TimeMachine(batch_size=1024, num_steps=32)
gru = d2l.GRU(num_inputs=len(data.vocab), num_hiddens=32, num_layers=1)
model = d2l.RNNLM(gru, vocab_size=len(data.vocab), lr=4)
trainer = d2l.Trainer(max_epochs={epochs}, gradient_clip_val=1, num_gpus=1)
t = time.perf_counter()
{fit}
seconds = time.perf_counter() - t
model.eval()
total = n = 0.0
with torch.no_grad():
    for X, Y in data.val_dataloader():
        total += model.loss(model(X), Y).item() * Y.numel()
        n += Y.numel()
chars = {epochs} * data.num_train * data.num_steps
print()
print(seconds, chars / seconds, math.exp(total / n))
'''
FIT = 'trainer.fit(model, data)'
PROFILE = '''import cProfile, pstats, io
prof = cProfile.Profile()
prof.runcall(trainer.fit, model, data)
out = io.StringIO()
pstats.Stats(prof, stream=out).sort_stats('cumulative').print_stats(25)
import sys; print(out.getvalue(), file=sys.stderr)'''


def measure(python, code, env, cwd, stderr=False):
    out = subprocess.run([python, '-c', code], capture_output=True,
                         text=True, env=env, cwd=cwd)
    if out.returncode:
        raise RuntimeError(f'{python} failed:\n{out.stderr[-3000:]}')
    values = [float(v) for v in out.stdout.strip().splitlines()[-1].split()]
    return (values, out.stderr) if stderr else values


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ref-python', default=os.environ.get(
        'D2L_REF_PYTHON', '/tmp/d2lref/bin/python'))
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1,
                        help='OMP_NUM_THREADS for both runs')
    parser.add_argument('--profile', action='store_true')
    args = parser.parse_args(argv)
    mirror = pathlib.Path(os.environ.get(
        'D2L_DATA_MIRROR', HERE.parent.parent / 'shared' / 'data'))
    code = TRAIN.format(epochs=args.epochs, fit=FIT)
    has_ref = pathlib.Path(args.ref_python).exists()
    if not has_ref:
        print(f'bench: no reference interpreter at {args.ref_python}; '
              'measuring ours only (see bench/run.py to make one)')
    pythons = {'ours': OURS, 'd2l 1.0.3': args.ref_python}
    names = list(pythons) if has_ref else ['ours']
    runs = {name: [] for name in names}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix='bench-gru-lm-') as tmp:
        tmp = pathlib.Path(tmp)
        work = tmp / 'work'            # '../data' is tmp/data from here
        work.mkdir()
        (tmp / 'data').mkdir()
        shutil.copyfile(mirror / 'timemachine.txt',
                        tmp / 'data' / 'timemachine.txt')
        env = {**os.environ, 'MPLBACKEND': 'Agg', 'PYTHONWARNINGS': 'ignore',
               'D2L_DATA_MIRROR': str(mirror),
               'D2L_DATA_DIR': str(tmp / 'ours'),
               'OMP_NUM_THREADS': str(args.threads)}
        env.pop('D2L_QUICK', None)
        # our PYTHONPATH may point at this repository, whose d2l package
        # would then shadow the reference interpreter's d2l 1.0.3
        envs = {'ours': env, 'd2l 1.0.3': {k: v for k, v in env.items()
                                           if k != 'PYTHONPATH'}}
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
                seconds, rate, ppl = runs[name][-1]
                load.append(os.getloadavg()[0])
                print(f'  {name:10s} {rate:8.0f} chars/s  fit {seconds:6.1f} '
                      f's  val perplexity {ppl:.2f}  (load {load[-1]:.1f})',
                      flush=True)
        if args.profile:
            prof_code = TRAIN.format(epochs=args.epochs, fit=PROFILE)
            for name in names:
                _, report = measure(pythons[name], prof_code, envs[name],
                                    work, stderr=True)
                print(f'--- profile of fit, {name} ---')
                print('\n'.join(report.splitlines()[:45]))
    print(f'GRU language model on The Time Machine, {args.epochs} epochs, '
          f'batch 1024, 32 steps, 32 hidden units, CPU ({os.cpu_count()} '
          f'cores, threads {args.threads}), median of {args.repeats}; '
          f'1-min load average {min(load):.1f}-{max(load):.1f}')
    result = {'epochs': args.epochs, 'batch_size': 1024, 'num_steps': 32,
              'num_hiddens': 32, 'lr': 4, 'gradient_clip_val': 1,
              'repeats': args.repeats, 'threads': args.threads,
              'cpu_count': os.cpu_count(), 'load_average': load,
              'versions': versions, 'runs': runs}
    med = {}
    for name in names:
        seconds, rate, ppl = (statistics.median(r[i] for r in runs[name])
                              for i in range(3))
        med[name] = rate
        print(f'  {name:10s} {rate:8.0f} chars/s  fit {seconds:6.1f} s  '
              f'val perplexity {ppl:.2f}  (d2l, torch {versions[name]})')
    if has_ref:
        # runs alternate, so run i of each package saw similar load
        speed = harness.speedups(runs['ours'], runs['d2l 1.0.3'], 1)
        paired = speed['paired_ratios']
        print(f'  speed-up   {speed["median_paired_ratio"]:.2f}x median of '
              f'{len(paired)} paired ratios (range {min(paired):.2f}-'
              f'{max(paired):.2f}); {speed["ratio_of_medians"]:.2f}x ratio '
              'of medians')
        result.update(speedup=speed)
    out = HERE / 'results'
    out.mkdir(exist_ok=True)
    (out / 'gru_lm.json').write_text(json.dumps(result, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
