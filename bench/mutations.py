"""Mutation score of the checks: break the code on purpose, see what fails.

Usage:
    python bench/mutations.py                    # every mutation
    python bench/mutations.py sgd-sign dropout-unscaled
    python bench/mutations.py --list             # names and what they break

Each mutation replaces one piece of text (in a chapter's saved code, a
hand-written d2l module or a tool) in a temporary copy of the working tree,
regenerates ``d2l/torch.py`` there, and runs the checks named for it: unit
tests (pytest files) and the quick-mode regression (``make nbval`` on the
named sections: marked outputs and training metrics against the quick
record). A mutation is *caught* when a check fails. The staleness gates
(``execute --check``, ``build_d2l --check``) are left out on purpose: any
edit trips them, so they say nothing about whether the numbers are guarded.

Before mutating, the copy gets fresh quick records of the named sections
(made from the unmutated code, as committed records would be) and every
check must pass once. The script prints one line per mutation, then
``caught N/M`` and the survivors. Runs take minutes (one notebook run per
section and mutation); nothing in the working tree is touched.
"""
import argparse
import dataclasses
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns('.git', '.venv', '_build', 'data',
                                '__pycache__', '*.egg-info', 'results')

LR = 'chapters/linear-regression'
LC = 'chapters/linear-classification'
MLP = 'chapters/multilayer-perceptrons'
SCRATCH_TESTS = 'tests/d2l/test_linear_regression_linear_regression_scratch.py'


@dataclasses.dataclass
class Mutation:
    """Replace `old` by `new` in `path`; `tests` and `sections` check it."""
    name: str
    path: str
    old: str
    new: str
    why: str
    tests: tuple = ()
    sections: tuple = ()


MUTATIONS = [
    Mutation('sgd-sign', f'{LR}/linear-regression-scratch.md',
             'p -= self.lr * p.grad', 'p += self.lr * p.grad',
             '3.4 SGD.step climbs the loss',
             (SCRATCH_TESTS,),
             (f'{LR}/linear-regression-scratch.md', f'{LR}/weight-decay.md')),
    Mutation('dropout-unscaled', f'{MLP}/dropout.md',
             'return mask * X / (1 - dropout)', 'return mask * X',
             '5.6 dropout_layer keeps survivors unscaled',
             ('tests/d2l/test_multilayer_perceptrons_dropout.py',),
             (f'{MLP}/dropout.md',)),
    Mutation('no-eval-no-grad', f'{LR}/linear-regression-scratch.md',
             '    self.model.eval()\n    with torch.no_grad():',
             '    if True:',
             'validation runs in training mode with gradients on',
             (SCRATCH_TESTS,),
             (f'{MLP}/dropout.md',)),
    Mutation('no-eval', f'{LR}/linear-regression-scratch.md',
             '    self.model.eval()\n', '',
             'validation runs in training mode (dropout active)',
             (SCRATCH_TESTS,),
             (f'{MLP}/dropout.md',)),
    Mutation('no-no-grad', f'{LR}/linear-regression-scratch.md',
             '    with torch.no_grad():\n        for _, batch in zip('
             'range(self.num_val_batches)',
             '    if True:\n        for _, batch in zip('
             'range(self.num_val_batches)',
             'validation builds autograd graphs (memory, not numbers)',
             (SCRATCH_TESTS,),
             (f'{LR}/linear-regression-scratch.md',)),
    Mutation('no-zero-grad', f'{LR}/linear-regression-scratch.md',
             'self.optim.zero_grad()\n        loss.backward()',
             'loss.backward()',
             'gradients accumulate across minibatches',
             (SCRATCH_TESTS,),
             (f'{LR}/linear-regression-scratch.md',)),
    Mutation('board-last-not-mean', f'{LR}/oo-design.md',
             'float(sum(ys)) / len(raw)', 'float(ys[-1])',
             'ProgressBoard plots the last raw value, not the mean of every_n',
             ('tests/d2l/test_linear_regression_oo_design.py',),
             (f'{LR}/linear-regression-scratch.md',)),
    Mutation('l2-no-half', f'{LR}/weight-decay.md',
             'return (w ** 2).sum() / 2', 'return (w ** 2).sum()',
             '3.7 l2_penalty doubles the decay',
             ('tests/d2l/test_linear_regression_weight_decay.py',),
             (f'{LR}/weight-decay.md',)),
    Mutation('cross-entropy-sum', f'{LC}/softmax-regression-scratch.md',
             'torch.arange(len(y)), y].mean()',
             'torch.arange(len(y)), y].sum()',
             '4.4 cross_entropy sums instead of averaging',
             (), (f'{LC}/softmax-regression-scratch.md',)),
    Mutation('accuracy-flipped', f'{LC}/classification.md',
             'correct = (preds == Y).float()',
             'correct = (preds != Y).float()',
             '4.3 Classifier.accuracy counts the errors',
             ('tests/d2l/test_linear_classification_classification.py',),
             (f'{LC}/softmax-regression-concise.md',)),
    Mutation('quick-epochs', 'd2l/quickmode.py',
             "'max_epochs': 3,", "'max_epochs': 2,",
             'quick mode trains one epoch less',
             ('tests/d2l/test_quickmode.py',),
             (f'{LR}/linear-regression-scratch.md',)),
    Mutation('hub-online', 'd2l/hub.py',
             '    if _offline():', '    if False:',
             'D2L_OFFLINE no longer stops a download',
             ('tests/d2l/test_hub.py',)),
    Mutation('checks-bool', 'd2l/checks.py',
             'never a bool."""\n    if isinstance(value, bool):',
             'never a bool."""\n    if False:',
             'd2l.checks accepts True as an integer',
             ('tests/d2l/test_checks.py',)),
    Mutation('sync-check-passes', 'tools/sync_notebooks.py',
             '            stale.append(rel)', '            pass',
             'sync_notebooks --check never fails on a stale notebook',
             ('tests/tools/test_gates.py',)),
    Mutation('build-check-passes', 'tools/build_d2l.py',
             '        if old != text:\n            diff',
             '        if False:\n            diff',
             'build_d2l --check never fails',
             ('tests/tools/test_gates.py', 'tests/tools/test_build_d2l.py')),
    Mutation('record-hash-ignored', 'tools/runs.py',
             "return self.data.get('hash') == digest(self.data)",
             'return True', 'a hand-edited record passes execute --check',
             ('tests/tools/test_gates.py', 'tests/tools/test_runs.py',
              'tests/tools/test_execute.py')),
    Mutation('record-mode-ignored', 'tools/runs.py',
             'return self.mode == expected == ran', 'return True',
             'a record of the other mode passes execute --check',
             ('tests/tools/test_gates.py', 'tests/tools/test_runs.py',
              'tests/tools/test_execute.py')),
    Mutation('lint-dollar', 'tools/lint_notebooks.py',
             '                bad.append(m.start())', '                pass',
             'lint accepts $350 in prose',
             ('tests/tools/test_lint_notebooks.py',)),
    Mutation('lint-quoted', 'tools/lint_notebooks.py',
             "record (see `quoted_matches`)'\n"
             '            for q, where in quotes if not quoted_matches(q, text)]',
             "record (see `quoted_matches`)'\n"
             '            for q, where in quotes if False]',
             'lint accepts a quoted number the record does not show',
             ('tests/tools/test_lint_notebooks.py',)),
    Mutation('metric-tolerance', 'tools/runs.py',
             'RTOL, ATOL = 0.02, 1e-6', 'RTOL, ATOL = 10.0, 1e-6',
             'the metric check tolerates anything',
             ('tests/tools/test_runs.py',)),
]


def env_for(copy):
    env = dict(os.environ, PYTHONPATH=str(copy), OMP_NUM_THREADS='1',
               D2L_DATA_MIRROR=os.environ.get(
                   'D2L_DATA_MIRROR', str(ROOT.parent / 'shared' / 'data')),
               D2L_DATA_DIR=str(ROOT / '_build' / 'data'))
    env.pop('D2L_QUICK', None)
    return env


def sh(args, copy, timeout=1800, **env):
    """Run `args` in the copy; return (ok, last lines of its output)."""
    result = subprocess.run(args, cwd=copy, env={**env_for(copy), **env},
                            capture_output=True, text=True, timeout=timeout)
    tail = (result.stdout + result.stderr).strip().splitlines()[-6:]
    return result.returncode == 0, '\n    '.join(tail)


def unit(copy, tests):
    return sh([sys.executable, '-m', 'pytest', '-q', '-x', '-p',
               'no:randomly', *tests], copy)


def nbval(copy, sections, jobs):
    out = copy / '_build' / 'nbval'
    ok, tail = sh([sys.executable, 'tools/runs.py', '--nbval', str(out),
                   *sections], copy)
    if not ok:
        return ok, tail
    return sh([sys.executable, '-m', 'pytest', '-q', '-n', str(jobs),
               '--dist', 'loadfile', '--nbval-lax', '--nbval-current-env',
               '-p', 'no:randomly', str(out)], copy, D2L_QUICK='1',
               PYTHONHASHSEED='0')


def checks(copy, m, jobs):
    """Names of the checks that fail ('' when all pass); all are run, so
    the report shows whether nbval catches what a unit test also catches."""
    failed = []
    if m.tests and not unit(copy, m.tests)[0]:
        failed.append('unit (' + ', '.join(pathlib.Path(t).stem
                                           for t in m.tests) + ')')
    if m.sections and not nbval(copy, m.sections, jobs)[0]:
        failed.append('nbval (' + ', '.join(pathlib.Path(s).stem
                                            for s in m.sections) + ')')
    return ' + '.join(failed)


def apply(copy, m):
    """Make the mutation in the copy; False if its text is gone."""
    path = copy / m.path
    text = path.read_text()
    if text.count(m.old) != 1:
        return False
    path.write_text(text.replace(m.old, m.new))
    return sh([sys.executable, 'tools/build_d2l.py'], copy)[0]


def prepare(copy, chosen, jobs):
    """Extract d2l, record fresh quick runs, and check the baseline."""
    ok, tail = sh([sys.executable, 'tools/build_d2l.py'], copy)
    if not ok:
        sys.exit('mutations: d2l extraction fails before mutating:\n    '
                 + tail)
    sections = sorted({s for m in chosen for s in m.sections})
    if sections:
        ok, tail = sh([sys.executable, 'tools/execute.py', '--jobs',
                       str(jobs), *sections], copy)
        if not ok:
            sys.exit(f'mutations: baseline runs fail:\n    {tail}')
    tests = sorted({t for m in chosen for t in m.tests})
    if tests and not unit(copy, tests)[0]:
        sys.exit('mutations: unit tests fail before mutating:\n    '
                 + unit(copy, tests)[1])
    if sections and not nbval(copy, sections, jobs)[0]:
        sys.exit('mutations: nbval fails before mutating:\n    '
                 + nbval(copy, sections, jobs)[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('names', nargs='*', help='mutations to try (all)')
    parser.add_argument('--list', action='store_true')
    parser.add_argument('--jobs', type=int, default=1)
    args = parser.parse_args(argv)
    if args.list:
        for m in MUTATIONS:
            print(f'{m.name:22} {m.why}')
        return 0
    unknown = set(args.names) - {m.name for m in MUTATIONS}
    if unknown:
        parser.error(f'unknown mutation(s): {", ".join(sorted(unknown))}')
    chosen = [m for m in MUTATIONS if not args.names or m.name in args.names]
    with tempfile.TemporaryDirectory(prefix='d2l-mutations-') as tmp:
        copy = pathlib.Path(tmp) / 'main'
        shutil.copytree(ROOT, copy, ignore=IGNORE, symlinks=True)
        start = time.perf_counter()
        prepare(copy, chosen, args.jobs)
        took = time.perf_counter() - start
        print(f'baseline: every check passes ({took:.0f} s)', flush=True)
        caught, survivors, stale = 0, [], []
        for m in chosen:
            path = copy / m.path
            original = path.read_text()
            if not apply(copy, m):
                stale.append(m.name)
                print(f'{m.name:22} n/a: its text is no longer in {m.path}')
                path.write_text(original)
                continue
            failed = checks(copy, m, args.jobs)
            path.write_text(original)
            sh([sys.executable, 'tools/build_d2l.py'], copy)
            if failed:
                caught += 1
            else:
                survivors.append(m.name)
            verdict = f'caught by {failed}' if failed else 'SURVIVED'
            print(f'{m.name:22} {verdict}  ({m.why})', flush=True)
    tried = len(chosen) - len(stale)
    print(f'caught {caught}/{tried}; survivors: '
          f'{", ".join(survivors) or "none"}'
          + (f'; not applicable: {", ".join(stale)}' if stale else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
