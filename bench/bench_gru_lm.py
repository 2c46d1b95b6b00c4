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
and written to bench/results/gru_lm.json; the shared plumbing is
bench/harness.py.
"""
import argparse
import os
import pathlib
import shutil
import sys
import tempfile

import harness

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_common_arguments(parser, repeats=3, threads=1)
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--profile', action='store_true')
    args = parser.parse_args(argv)
    mirror = harness.data_mirror()
    code = TRAIN.format(epochs=args.epochs, fit=FIT)
    has_ref = harness.has_reference(args.ref_python)
    pythons = {'ours': harness.OURS}
    if has_ref:
        pythons['ref'] = args.ref_python
    names = {'ours': 'ours', 'ref': harness.REF}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix='bench-gru-lm-') as tmp:
        tmp = pathlib.Path(tmp)
        work = tmp / 'work'            # '../data' is tmp/data from here
        work.mkdir()
        (tmp / 'data').mkdir()
        shutil.copyfile(mirror / 'timemachine.txt',
                        tmp / 'data' / 'timemachine.txt')
        envs = harness.environments(args.threads, D2L_DATA_MIRROR=mirror,
                                    D2L_DATA_DIR=tmp / 'ours')
        versions = harness.versions(pythons, envs, work)

        def show(key, row):
            seconds, rate, ppl = row
            load.append(os.getloadavg()[0])
            print(f'  {names[key]:10s} {rate:8.0f} chars/s  fit {seconds:6.1f}'
                  f' s  val perplexity {ppl:.2f}  (load {load[-1]:.1f})',
                  flush=True)
        runs = harness.alternate(
            list(pythons), args.repeats,
            lambda key: harness.measure(pythons[key], code, envs[key], work),
            show)
        if args.profile:
            prof_code = TRAIN.format(epochs=args.epochs, fit=PROFILE)
            for key in pythons:
                _, report = harness.measure(pythons[key], prof_code,
                                            envs[key], work, with_stderr=True)
                print(f'--- profile of fit, {names[key]} ---')
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
    for key in pythons:
        seconds, rate, ppl = harness.medians(runs[key])
        print(f'  {names[key]:10s} {rate:8.0f} chars/s  fit {seconds:6.1f} s'
              f'  val perplexity {ppl:.2f}  (d2l, torch {versions[key]})')
    if has_ref:
        speed = harness.speedups(runs['ours'], runs['ref'], 1)
        print(f'  speed-up   {speed["median_paired_ratio"]:.2f}x (median of '
              f'per-round ratios; ratio of medians '
              f'{speed["ratio_of_medians"]:.2f}x)')
        result.update(speedup=speed)
    harness.write_result('gru_lm.json', result)
    return 0


if __name__ == '__main__':
    sys.exit(main())
