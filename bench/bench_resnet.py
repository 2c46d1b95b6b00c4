"""ResNet-18 training speed at 96 px: ours (with and without the Trainer's
speed switches) against d2l==1.0.3.

Usage:
    python bench/bench_resnet.py [--ref-python PATH] [--steps N]
                                 [--batch-size B] [--repeats R] [--threads T]

Measures the forward and backward pass, with the SGD step, of ResNet-18
(Section 8.6: one input channel, 10 classes, built from `d2l.Residual`) on
minibatches of 64 random 96 x 96 images, trained through `d2l.Trainer.fit`
as a reader would, on the CPU. Five configurations run, each in a fresh
process, alternating within every repeat so that a change in machine load
hits all of them alike:

* d2l 1.0.3 -- the published package, float32 (it has no switches);
* ours in float32, ours with ``channels_last=True``, ours with
  ``mixed_precision=True`` (bfloat16 autocast) and ours with both.

The training script is the same text for every run; only the dictionary of
Trainer switches passed to it differs (empty for d2l 1.0.3 and for ours in
float32). Each process first fits 2 warm-up minibatches (oneDNN picks and
caches its kernels, torch imports torch._dynamo on the first optimizer),
then times a fit of --steps minibatches and reports examples per second.
Validation is off, so only training steps are timed. Every configuration
uses the same number of intra-op threads (OMP_NUM_THREADS, 1 by default:
on a machine shared with other jobs more threads than free cores make both
packages wait on each other). The load average before and after each run
is recorded.

Writes bench/results/resnet.json (ours vs d2l 1.0.3) and
bench/results/resnet_switches.json (the four settings of ours); see
bench/harness.py for the shared plumbing and bench/run.py for the reference
interpreter.
"""
import argparse
import os
import statistics
import sys
import tempfile

import harness

# Code for the published API; {steps}, {batch_size} and {switches} are set by
# the benchmark. A switch dictionary is only ever non-empty for our package.
TRAIN = '''
import os, time, torch
from torch import nn
from d2l import torch as d2l
torch.manual_seed(0)


class ResNet18(d2l.Classifier):
    def __init__(self, lr=0.01, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        layers = [nn.LazyConv2d(64, 7, 2, 3), nn.LazyBatchNorm2d(), nn.ReLU(),
                  nn.MaxPool2d(3, 2, 1)]
        for k, c in enumerate([64, 128, 256, 512]):
            down = k > 0
            layers += [d2l.Residual(c, use_1x1conv=down,
                                    strides=2 if down else 1),
                       d2l.Residual(c)]
        layers += [nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
                   nn.LazyLinear(num_classes)]
        self.net = nn.Sequential(*layers)


class Images(d2l.DataModule):
    def __init__(self, num, batch_size):
        super().__init__()
        self.save_hyperparameters()
        self.X = torch.rand(num, 1, 96, 96)
        self.y = torch.randint(0, 10, (num,))

    def get_dataloader(self, train):
        return self.get_tensorloader((self.X, self.y), train)

    def val_dataloader(self):
        return None


model = ResNet18(lr=0.01)
model.apply_init([torch.rand(2, 1, 96, 96)], d2l.init_cnn)
switches = {switches}
d2l.Trainer(max_epochs=1, num_gpus=1, **switches).fit(
    model, Images(2 * {batch_size}, {batch_size}))          # warm-up
data = Images({steps} * {batch_size}, {batch_size})
trainer = d2l.Trainer(max_epochs=1, num_gpus=1, **switches)
load = os.getloadavg()[0]
t = time.perf_counter()
trainer.fit(model, data)
seconds = time.perf_counter() - t
print()
print(seconds, {steps} * {batch_size} / seconds, load, os.getloadavg()[0],
      torch.get_num_threads())
'''

CONFIGS = {   # name: (package, Trainer switches)
    harness.REF: ('ref', {}),
    'ours float32': ('ours', {}),
    'ours channels_last': ('ours', {'channels_last': True}),
    'ours mixed_precision': ('ours', {'mixed_precision': True}),
    'ours both': ('ours', {'channels_last': True, 'mixed_precision': True}),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_common_arguments(parser, repeats=3, threads=1)
    parser.add_argument('--steps', type=int, default=4)
    parser.add_argument('--batch-size', type=int, default=64)
    args = parser.parse_args(argv)
    has_ref = harness.has_reference(args.ref_python)
    pythons = {'ours': harness.OURS}
    if has_ref:
        pythons['ref'] = args.ref_python
    names = [n for n, (pkg, _) in CONFIGS.items() if pkg in pythons]
    codes = {name: TRAIN.format(steps=args.steps, batch_size=args.batch_size,
                                switches=repr(CONFIGS[name][1]))
             for name in names}
    with tempfile.TemporaryDirectory(prefix='bench-resnet-') as tmp:
        envs = harness.environments(args.threads)
        versions = harness.versions(pythons, envs, tmp)

        def run(name):
            pkg = CONFIGS[name][0]
            return harness.measure(pythons[pkg], codes[name], envs[pkg], tmp)

        def show(name, row):
            seconds, rate, load0, load1, _ = row
            print(f'  {name:22s} {rate:6.1f} examples/s  fit {seconds:5.1f} '
                  f's  load {load0:.1f} -> {load1:.1f}', flush=True)
        runs = harness.alternate(names, args.repeats, run, show)
    rates = {name: harness.medians(runs[name])[1] for name in names}
    loads = [v for name in names for r in runs[name] for v in r[2:4]]
    conditions = {
        'cpu': harness.cpu_name(), 'cores': os.cpu_count(),
        'threads': args.threads, 'batch_size': args.batch_size,
        'resolution': 96, 'timed_steps': args.steps, 'repeats': args.repeats,
        'load_average_1min': {'min': min(loads), 'median':
                              statistics.median(loads), 'max': max(loads)},
        'versions': versions}
    print(f'ResNet-18, 96 x 96, batch {args.batch_size}, forward + backward '
          f'+ SGD step through Trainer.fit; CPU {conditions["cpu"]} '
          f'({os.cpu_count()} cores, {args.threads} thread(s)), median of '
          f'{args.repeats}, 1-min load average {min(loads):.1f}-'
          f'{max(loads):.1f}')
    base = rates['ours float32']
    switch_table = {}
    for name in names:
        line = f'  {name:22s} {rates[name]:6.1f} examples/s'
        if name.startswith('ours'):
            switch_table[name[5:]] = {'examples_per_s': rates[name],
                                      'speedup': rates[name] / base}
            line += f'  {rates[name] / base:4.2f}x float32'
        if has_ref:
            line += f'  {rates[name] / rates[harness.REF]:4.2f}x d2l 1.0.3'
        print(line)
    harness.write_result('resnet_switches.json', {
        'conditions': conditions, 'table': switch_table,
        'runs': {n: runs[n] for n in names if n.startswith('ours')}})
    if has_ref:
        result = {'conditions': conditions, 'examples_per_s': rates,
                  'speedup_float32': harness.speedups(
                      runs['ours float32'], runs[harness.REF], 1),
                  'speedup_both_switches': harness.speedups(
                      runs['ours both'], runs[harness.REF], 1),
                  'target': 1.2, 'runs': runs}
        print(f'  paired: float32 '
              f'{result["speedup_float32"]["median_paired_ratio"]:.2f}x, both'
              f' switches '
              f'{result["speedup_both_switches"]["median_paired_ratio"]:.2f}x'
              ' d2l 1.0.3 (median of per-round ratios)')
        harness.write_result('resnet.json', result)
    return 0


if __name__ == '__main__':
    sys.exit(main())
