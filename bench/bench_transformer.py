"""Transformer encoder training speed: our d2l.TransformerEncoder against
PyTorch's nn.TransformerEncoderLayer and against d2l==1.0.3's encoder.

Usage:
    python bench/bench_transformer.py [--ref-python PATH] [--repeats R]
        [--threads T] [--num-hiddens D] [--ffn-num-hiddens F] [--heads H]
        [--blocks N] [--batch-size B] [--steps S] [--timed I]

Times the forward and backward pass (no optimizer step) of a Transformer
encoder on random token minibatches of B sentences of S tokens whose valid
lengths lie between S/2 and S, in training mode (dropout 0.1), on the CPU.
Three configurations run, each in a fresh process, alternating within every
repeat so that a change in machine load hits all of them alike:

* ours -- `d2l.TransformerEncoder` of Section 11.7 (with `use_bias=True`);
* torch.nn -- the same embedding (times sqrt(d)) and `d2l.PositionalEncoding`
  in front of `nn.TransformerEncoder` built from `nn.TransformerEncoderLayer`
  (post-norm, ReLU, biases), run by our interpreter; with the same width,
  heads, FFN width and number of blocks it has exactly as many parameters,
  which every run prints and the benchmark checks;
* d2l 1.0.3 -- the published `d2l.TransformerEncoder`, same arguments, run
  by the reference interpreter.

The script text is the same for every run; only the name of the
implementation differs. Each process times I minibatches after two warm-up
ones and reports tokens (B x S, padding included) per second. Both ratios,
ours / torch.nn and ours / d2l 1.0.3, are reported as the ratio of the
median speeds and as the median of the per-round (paired) ratios. Every
process uses the same number of intra-op threads (OMP_NUM_THREADS, 1 by
default). Writes bench/results/transformer.json; see bench/harness.py for
the shared plumbing and bench/run.py for the reference interpreter.
"""
import argparse
import os
import statistics
import sys
import tempfile

import harness

# One script for all three; {impl} names the implementation under test.
SCRIPT = '''
import math, os, time, torch
from torch import nn
from d2l import torch as d2l
torch.manual_seed(0)
V, d, F, h, n, B, T = {vocab}, {d}, {ffn}, {heads}, {blocks}, {batch}, {steps}
impl = {impl!r}
if impl == 'd2l':
    net = d2l.TransformerEncoder(V, d, F, h, n, 0.1, use_bias=True)
    forward = lambda X, lens: net(X, lens)
else:
    emb, pe = nn.Embedding(V, d), d2l.PositionalEncoding(d, 0.1)
    stack = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(d, h, F, 0.1, batch_first=True), n,
        enable_nested_tensor=False)
    net = nn.ModuleList([emb, pe, stack])

    def forward(X, lens):
        pad = torch.arange(T)[None, :] >= lens[:, None]      # True: padding
        return stack(pe(emb(X) * math.sqrt(d)), src_key_padding_mask=pad)
X = torch.randint(0, V, (B, T))
lens = torch.randint(T // 2, T + 1, (B,))
net.train()
forward(X, lens)                                  # lazy layers take shape
params = sum(p.numel() for p in net.parameters())


def step():
    for p in net.parameters():
        p.grad = None
    forward(X, lens).square().mean().backward()


for _ in range(2):
    step()
load = os.getloadavg()[0]
t = time.perf_counter()
for _ in range({timed}):
    step()
seconds = time.perf_counter() - t
print()
print(seconds, {timed} * B * T / seconds, params, load, os.getloadavg()[0])
'''

CONFIGS = {'ours': ('ours', 'd2l'), 'torch.nn': ('ours', 'nn'),
           harness.REF: ('ref', 'd2l')}   # name: (interpreter, impl)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_common_arguments(parser, repeats=3, threads=1)
    parser.add_argument('--num-hiddens', type=int, default=256)
    parser.add_argument('--ffn-num-hiddens', type=int, default=1024)
    parser.add_argument('--heads', type=int, default=4)
    parser.add_argument('--blocks', type=int, default=2)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--steps', type=int, default=128)
    parser.add_argument('--timed', type=int, default=20)
    parser.add_argument('--vocab', type=int, default=1000)
    args = parser.parse_args(argv)
    has_ref = harness.has_reference(args.ref_python)
    pythons = {'ours': harness.OURS}
    if has_ref:
        pythons['ref'] = args.ref_python
    names = [n for n, (py, _) in CONFIGS.items() if py in pythons]
    codes = {name: SCRIPT.format(
        vocab=args.vocab, d=args.num_hiddens, ffn=args.ffn_num_hiddens,
        heads=args.heads, blocks=args.blocks, batch=args.batch_size,
        steps=args.steps, timed=args.timed, impl=CONFIGS[name][1])
        for name in names}
    with tempfile.TemporaryDirectory(prefix='bench-transformer-') as tmp:
        envs = harness.environments(args.threads)
        versions = harness.versions(pythons, envs, tmp)

        def run(name):
            py = CONFIGS[name][0]
            return harness.measure(pythons[py], codes[name], envs[py], tmp)

        def show(name, row):
            seconds, rate, params, load0, load1 = row
            print(f'  {name:10s} {rate:8.0f} tokens/s  {seconds:5.1f} s  '
                  f'{params:9.0f} parameters  load {load0:.1f} -> '
                  f'{load1:.1f}', flush=True)
        runs = harness.alternate(names, args.repeats, run, show)
    counts = {name: runs[name][0][2] for name in names}
    if len(set(counts.values())) != 1:
        raise SystemExit(f'bench: the models differ in size: {counts}')
    rates = {name: harness.medians(runs[name])[1] for name in names}
    loads = [v for name in names for r in runs[name] for v in r[3:5]]
    conditions = {
        'cpu': harness.cpu_name(), 'cores': os.cpu_count(),
        'threads': args.threads, 'num_hiddens': args.num_hiddens,
        'ffn_num_hiddens': args.ffn_num_hiddens, 'heads': args.heads,
        'blocks': args.blocks, 'batch_size': args.batch_size,
        'steps': args.steps, 'timed_minibatches': args.timed,
        'parameters': counts['ours'], 'repeats': args.repeats,
        'load_average_1min': {'min': min(loads), 'median':
                              statistics.median(loads), 'max': max(loads)},
        'versions': versions}
    print(f'Transformer encoder, forward + backward, d={args.num_hiddens}, '
          f'FFN {args.ffn_num_hiddens}, {args.heads} heads, {args.blocks} '
          f'blocks, batch {args.batch_size} x {args.steps} tokens, '
          f'{counts["ours"]:.0f} parameters; CPU {conditions["cpu"]} '
          f'({os.cpu_count()} cores, {args.threads} thread(s)), median of '
          f'{args.repeats}, 1-min load average {min(loads):.1f}-'
          f'{max(loads):.1f}')
    for name in names:
        print(f'  {name:10s} {rates[name]:8.0f} tokens/s  (d2l, torch '
              f'{versions[CONFIGS[name][0]]})')
    result = {'conditions': conditions, 'tokens_per_s': rates, 'runs': runs}
    against = ['torch.nn'] + ([harness.REF] if has_ref else [])
    for other in against:
        ratio = harness.speedups(runs['ours'], runs[other], 1)
        result[f'ours_over_{other.replace(" ", "_")}'] = ratio
        print(f'  ours / {other:9s} {ratio["ratio_of_medians"]:.2f}x '
              f'(ratio of medians), {ratio["median_paired_ratio"]:.2f}x '
              f'(median of paired ratios)')
    harness.write_result('transformer.json', result)
    return 0


if __name__ == '__main__':
    sys.exit(main())
