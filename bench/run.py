"""Benchmarks of our d2l against the published d2l==1.0.3, same machine, same run.

Usage:
    python bench/run.py [--ref-python PATH] [--repeats N]

The reference interpreter is an environment holding `d2l==1.0.3` (installed
with --no-deps beside torch, torchvision, matplotlib, pandas, requests,
scipy, ipython); by default /tmp/d2lref/bin/python or $D2L_REF_PYTHON. Make it
with:

    python3 -m venv /tmp/d2lref
    /tmp/d2lref/bin/pip install --no-deps d2l==1.0.3
    /tmp/d2lref/bin/pip install torch torchvision matplotlib pandas \
        requests scipy ipython

Each measurement runs in a fresh process, repeated, and the median is
reported; runs alternate between the two packages so that machine load
affects both alike. Results are printed and written to bench/results/.

The warm fit builds one torch optimizer before timing: PyTorch imports
torch._dynamo (1-2 s) on the first optimizer of a process. d2l 1.0.3 pays
that during its import, we pay it in the first fit; the cold-process and
import + cold fit lines show that cost where it falls.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
OURS = sys.executable

IMPORT = '''
import time
t = time.perf_counter()
from d2l import torch as d2l
print(time.perf_counter() - t)
'''

FIT = '''
import time, torch
from d2l import torch as d2l
torch.manual_seed(0)
data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
model = d2l.LinearRegression(lr=0.03)
trainer = d2l.Trainer(max_epochs=3)
if WARM:
    # torch imports torch._dynamo (about 2 s) on the first optimizer it
    # builds; pay that one-time cost before timing, for both packages.
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
t = time.perf_counter()
trainer.fit(model, data)
seconds = time.perf_counter() - t
w, b = model.get_w_b()
w_err = (data.w - w.reshape(data.w.shape)).abs().max().item()
b_err = abs(data.b - b.item())
print(seconds, w_err, b_err)
'''


def measure(python, code, env):
    out = subprocess.run([python, '-c', code], capture_output=True,
                         text=True, env=env, cwd=HERE, check=True)
    return [float(v) for v in out.stdout.strip().splitlines()[-1].split()]


def compare(name, code, ref_python, repeats):
    env = {**os.environ, 'MPLBACKEND': 'Agg', 'PYTHONWARNINGS': 'ignore'}
    env.pop('D2L_QUICK', None)
    measure(OURS, code, env), measure(ref_python, code, env)   # warm caches
    ours, theirs = [], []
    for _ in range(repeats):
        ours.append(measure(OURS, code, env))
        theirs.append(measure(ref_python, code, env))
    med = lambda runs, i: statistics.median(r[i] for r in runs)  # noqa: E731
    return {'name': name, 'repeats': repeats,
            'ours': [med(ours, i) for i in range(len(ours[0]))],
            'theirs': [med(theirs, i) for i in range(len(theirs[0]))]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ref-python', default=os.environ.get(
        'D2L_REF_PYTHON', '/tmp/d2lref/bin/python'))
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args(argv)
    if not pathlib.Path(args.ref_python).exists():
        print(f'bench: no reference interpreter at {args.ref_python}; see '
              'the module docstring for how to make one', file=sys.stderr)
        return 2
    results = [compare('import', IMPORT, args.ref_python, args.repeats),
               compare('fit', 'WARM = True' + FIT, args.ref_python,
                       args.repeats),
               compare('fit-cold', 'WARM = False' + FIT, args.ref_python,
                       args.repeats)]
    imp, fit, cold = results
    print(f"import d2l.torch      ours {imp['ours'][0]:.3f} s  "
          f"theirs {imp['theirs'][0]:.3f} s  "
          f"ratio {imp['ours'][0] / imp['theirs'][0]:.2f}")
    print(f"fit, 3 epochs         ours {fit['ours'][0]:.3f} s  "
          f"theirs {fit['theirs'][0]:.3f} s  "
          f"ratio {fit['ours'][0] / fit['theirs'][0]:.2f}")
    print(f"fit, cold process     ours {cold['ours'][0]:.3f} s  "
          f"theirs {cold['theirs'][0]:.3f} s  "
          f"ratio {cold['ours'][0] / cold['theirs'][0]:.2f}")
    ours_total = imp['ours'][0] + cold['ours'][0]
    theirs_total = imp['theirs'][0] + cold['theirs'][0]
    print(f"import + cold fit     ours {ours_total:.3f} s  "
          f"theirs {theirs_total:.3f} s  "
          f"ratio {ours_total / theirs_total:.2f}")
    print(f"final |w err|, |b err| ours {fit['ours'][1]:.2e}, "
          f"{fit['ours'][2]:.2e}  theirs {fit['theirs'][1]:.2e}, "
          f"{fit['theirs'][2]:.2e}")
    out = HERE / 'results'
    out.mkdir(exist_ok=True)
    (out / 'd2l_vs_1.0.3.json').write_text(json.dumps(results, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
