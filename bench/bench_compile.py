"""torch.compile on the CPU: Section 13.1's MLP and a ResNet block, eager and
compiled, side by side.

Usage:
    python bench/bench_compile.py [--repeats R] [--threads T]
        [--tasks inference,training] [--mlp-batch B] [--block-batch B]
        [--channels C] [--size S] [--scale K]

Four models run, each in a fresh process, alternating within every repeat
so that a change in machine load hits all of them alike:

* MLP -- 512 -> 256 -> 128 -> 2 with ReLUs (Section 13.1), on minibatches of
  B examples (default 1, as in the section);
* ResNet block -- `d2l.Residual(C)` of Section 8.6 on B feature maps of
  C channels and S x S pixels (default 32 x 64 x 14 x 14, as in the section);

each eager and through `torch.compile` (TorchInductor, default mode). A task
is inference (forward under `torch.no_grad`, eval mode) or training (forward,
mean-square loss, backward and an SGD step, train mode). Every process
times its calls after a first call (which compiles, for the compiled model;
its time is reported as the compile time) and two warm-up calls, and
reports calls per second. The speed-up of compilation is reported as the
ratio of the median speeds and as the median of the per-round (paired)
ratios. No reference package is involved: both sides are our interpreter
and our d2l. All processes share one fresh TorchInductor cache, so the
first compilation of each model is cold and the later ones find its code
on disk (both are reported). Writes bench/results/compile.json; see
bench/harness.py for the shared plumbing.
"""
import argparse
import os
import statistics
import sys
import tempfile

import harness

# One script for every run; {model}, {mode} and {task} name the run.
SCRIPT = '''
import os, time, torch
from torch import nn
from d2l import torch as d2l
torch.manual_seed(0)
model, mode, task = {model!r}, {mode!r}, {task!r}
if model == 'mlp':
    net = nn.Sequential(nn.Linear(512, 256), nn.ReLU(),
                        nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 2))
    X = torch.randn({mlp_batch}, 512)
else:
    net = d2l.Residual({channels})
    X = torch.randn({block_batch}, {channels}, {size}, {size})
    net(X)                                        # lazy layers take shape
params = sum(p.numel() for p in net.parameters())
run = torch.compile(net) if mode == 'compiled' else net
if task == 'inference':
    net.eval()

    def step():
        with torch.no_grad():
            run(X)
else:
    net.train()
    trainer = torch.optim.SGD(net.parameters(), lr=0.01)

    def step():
        trainer.zero_grad()
        run(X).square().mean().backward()
        trainer.step()
t = time.perf_counter()
step()                                            # compiles, if compiled
first = time.perf_counter() - t
for _ in range(2):
    step()
load = os.getloadavg()[0]
t = time.perf_counter()
for _ in range({timed}):
    step()
seconds = time.perf_counter() - t
print()
print(seconds, {timed} / seconds, first, params, load, os.getloadavg()[0])
'''

MODELS = ('mlp', 'block')
MODES = ('eager', 'compiled')
TASKS = ('inference', 'training')
# calls per timing at --scale 1: about a second of work each on one core
CALLS = {('mlp', 'inference'): 4000, ('mlp', 'training'): 1000,
         ('block', 'inference'): 60, ('block', 'training'): 20}


def configs(tasks):
    """The runs of one round, in order: (task, model, mode) triples."""
    return [(task, model, mode) for task in tasks for model in MODELS
            for mode in MODES]


def name(task, model, mode):
    return f'{model} {task} {mode}'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_common_arguments(parser, repeats=3, threads=1)
    parser.add_argument('--tasks', default='inference,training')
    parser.add_argument('--mlp-batch', type=int, default=1)
    parser.add_argument('--block-batch', type=int, default=32)
    parser.add_argument('--channels', type=int, default=64)
    parser.add_argument('--size', type=int, default=14)
    parser.add_argument('--scale', type=float, default=1.0,
                        help='multiplies the number of timed calls')
    args = parser.parse_args(argv)
    tasks = [t for t in args.tasks.split(',') if t]
    unknown = sorted(set(tasks) - set(TASKS))
    if unknown or not tasks:
        parser.error(f'--tasks takes a comma-separated subset of '
                     f'{",".join(TASKS)}, got {args.tasks!r}')
    runs_of_round = configs(tasks)
    codes = {}
    for task, model, mode in runs_of_round:
        timed = max(1, round(CALLS[model, task] * args.scale))
        codes[name(task, model, mode)] = SCRIPT.format(
            model=model, mode=mode, task=task, mlp_batch=args.mlp_batch,
            block_batch=args.block_batch, channels=args.channels,
            size=args.size, timed=timed)
    names = list(codes)
    with tempfile.TemporaryDirectory(prefix='bench-compile-') as tmp:
        envs = harness.environments(
            args.threads, TORCHINDUCTOR_CACHE_DIR=os.path.join(tmp, 'cache'))
        versions = harness.versions({'ours': harness.OURS}, envs, tmp)

        def run(key):
            return harness.measure(harness.OURS, codes[key], envs['ours'],
                                   tmp)

        def show(key, row):
            seconds, rate, first, params, load0, load1 = row
            print(f'  {key:27s} {rate:9.1f} calls/s  first call '
                  f'{first:6.2f} s  load {load0:.1f} -> {load1:.1f}',
                  flush=True)
        runs = harness.alternate(names, args.repeats, run, show)
    loads = [v for key in names for r in runs[key] for v in r[4:6]]
    result = {'conditions': {
        'cpu': harness.cpu_name(), 'cores': os.cpu_count(),
        'threads': args.threads, 'mlp_batch': args.mlp_batch,
        'block_batch': args.block_batch, 'channels': args.channels,
        'size': args.size, 'scale': args.scale, 'repeats': args.repeats,
        'load_average_1min': {'min': min(loads), 'median':
                              statistics.median(loads), 'max': max(loads)},
        'versions': versions}, 'runs': runs, 'speedups': {}}
    print(f'torch.compile on the CPU: MLP 512-256-128-2 on batches of '
          f'{args.mlp_batch}; ResNet block of {args.channels} channels on '
          f'{args.block_batch} x {args.size} x {args.size}; CPU '
          f'{result["conditions"]["cpu"]} ({os.cpu_count()} cores, '
          f'{args.threads} thread(s)), {args.repeats} rounds, 1-min load '
          f'average {min(loads):.1f}-{max(loads):.1f}')
    print(f'  {"model, task":22s} {"eager":>10s} {"compiled":>10s} '
          f'{"speed-up":>9s} {"paired":>7s} {"compile (cold/warm)":>20s}')
    for task in tasks:
        for model in MODELS:
            eager = runs[name(task, model, 'eager')]
            compiled = runs[name(task, model, 'compiled')]
            ratio = harness.speedups(compiled, eager, 1)
            cold = compiled[0][2]
            warm = statistics.median(r[2] for r in compiled[1:]) \
                if len(compiled) > 1 else None
            result['speedups'][f'{model} {task}'] = {
                **ratio, 'eager_calls_per_s': harness.medians(eager)[1],
                'compiled_calls_per_s': harness.medians(compiled)[1],
                'compile_seconds_cold': cold,
                'compile_seconds_warm': warm}
            shown_warm = '-' if warm is None else f'{warm:.1f} s'
            print(f'  {model + ", " + task:22s} '
                  f'{harness.medians(eager)[1]:8.1f}/s '
                  f'{harness.medians(compiled)[1]:8.1f}/s '
                  f'{ratio["ratio_of_medians"]:8.2f}x '
                  f'{ratio["median_paired_ratio"]:6.2f}x '
                  f'{cold:9.1f} s / {shown_warm}')
    path = harness.write_result('compile.json', result)
    print(f'wrote {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
