"""What every benchmark in bench/ shares: fresh processes, one environment
for both packages, alternation, medians and paired ratios.

A benchmark compares our package with the published ``d2l==1.0.3`` by
running the *same script text* in fresh interpreters: ours (this
interpreter) and the reference interpreter (default /tmp/d2lref/bin/python
or $D2L_REF_PYTHON; bench/run.py says how to make one). Runs alternate
between the two within every repeat, so that a change in machine load hits
both alike, and the speed-up is reported twice: as the ratio of the median
speeds and as the median of the per-repeat (paired) ratios, which is less
sensitive to load that drifts during a long benchmark.

The reference interpreter runs without PYTHONPATH (ours may point at this
repository, whose ``d2l`` would shadow the reference package), and a
benchmark stops unless it really imports d2l 1.0.3.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
OURS = sys.executable
REF = 'd2l 1.0.3'          # the name of the reference in every table
REF_VERSION = '1.0.3'
FASHION_MNIST_FILES = [
    'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
    't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']


def add_common_arguments(parser, *, repeats, threads):
    """--ref-python, --repeats and --threads, with per-benchmark defaults."""
    parser.add_argument('--ref-python', default=os.environ.get(
        'D2L_REF_PYTHON', '/tmp/d2lref/bin/python'))
    parser.add_argument('--repeats', type=int, default=repeats)
    parser.add_argument('--threads', type=int, default=threads,
                        help='OMP_NUM_THREADS of every measured process '
                             '(default of this benchmark: %(default)s; '
                             'None means PyTorch\'s own default)')


def has_reference(ref_python):
    """Whether the reference interpreter exists (and say so when not)."""
    if pathlib.Path(ref_python).exists():
        return True
    print(f'bench: no reference interpreter at {ref_python}; measuring '
          'ours only (see bench/run.py to make one)')
    return False


def data_mirror():
    """The offline data mirror ($D2L_DATA_MIRROR, default ../shared/data)."""
    return pathlib.Path(os.environ.get(
        'D2L_DATA_MIRROR', HERE.parent.parent / 'shared' / 'data'))


def environments(threads=None, **extra):
    """Environments of our runs and of the reference's, equal but for
    PYTHONPATH; `threads` sets OMP_NUM_THREADS of both (None: unset)."""
    env = {**os.environ, 'MPLBACKEND': 'Agg', 'PYTHONWARNINGS': 'ignore',
           **{k: str(v) for k, v in extra.items()}}
    env.pop('D2L_QUICK', None)
    env.pop('OMP_NUM_THREADS', None)
    if threads is not None:
        if isinstance(threads, bool) or int(threads) != threads \
                or threads < 1:
            raise ValueError(f'threads must be a positive integer or None, '
                             f'got {threads!r}')
        env['OMP_NUM_THREADS'] = str(threads)
    ref = {k: v for k, v in env.items() if k != 'PYTHONPATH'}
    return {'ours': env, 'ref': ref}


def versions(pythons, envs, cwd):
    """'d2l-version torch-version' of each interpreter; stops the benchmark
    if the reference does not import d2l 1.0.3."""
    found = {}
    for key, python in pythons.items():
        found[key] = subprocess.run(
            [python, '-c', 'import d2l, torch; '
             'print(d2l.__version__, torch.__version__)'],
            capture_output=True, text=True, env=envs[key], cwd=cwd,
            check=True).stdout.strip()
    ref = found.get('ref')
    if ref is not None and ref.split()[0] != REF_VERSION:
        raise SystemExit(f'bench: {pythons["ref"]} imports d2l '
                         f'{ref.split()[0]}, not the reference d2l '
                         f'{REF_VERSION}')
    return found


def measure(python, code, env, cwd, with_stderr=False):
    """Run `code` in a fresh `python`; return the numbers of its last line
    (and its standard error, with `with_stderr`)."""
    out = subprocess.run([python, '-c', code], capture_output=True,
                         text=True, env=env, cwd=cwd)
    if out.returncode:
        raise RuntimeError(f'{python} failed:\n{out.stderr[-3000:]}')
    lines = out.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f'{python} printed nothing to measure')
    values = [float(v) for v in lines[-1].split()]
    return (values, out.stderr) if with_stderr else values


def alternate(names, repeats, run, show=None):
    """`repeats` rounds, each calling `run(name)` once per name in order;
    returns {name: [result of each round]}."""
    runs = {name: [] for name in names}
    for _ in range(repeats):
        for name in names:
            runs[name].append(run(name))
            if show is not None:
                show(name, runs[name][-1])
    return runs


def medians(rows):
    """Column-wise medians of a list of equal-length rows."""
    if not rows:
        raise ValueError('no runs to take the median of')
    return [statistics.median(col) for col in zip(*rows)]


def paired_ratios(ours, ref, column):
    """Per-round ratios ours/ref of one column (same round = same load)."""
    if len(ours) != len(ref):
        raise ValueError(f'unpaired runs: {len(ours)} against {len(ref)}')
    return [a[column] / b[column] for a, b in zip(ours, ref)]


def speedups(ours, ref, column):
    """Ratio of the medians and median of the paired ratios of `column`."""
    ratio_of_medians = medians(ours)[column] / medians(ref)[column]
    paired = paired_ratios(ours, ref, column)
    return {'ratio_of_medians': ratio_of_medians,
            'median_paired_ratio': statistics.median(paired),
            'paired_ratios': paired}


def prepare_fashion_mnist(mirror, root):
    """Copy the four Fashion-MNIST .gz files where torchvision (and hence
    d2l 1.0.3) looks for them: <root>/FashionMNIST/raw/."""
    raw = pathlib.Path(root) / 'FashionMNIST' / 'raw'
    raw.mkdir(parents=True, exist_ok=True)
    for name in FASHION_MNIST_FILES:
        src = pathlib.Path(mirror) / 'fashion-mnist' / name
        if not src.is_file():
            raise FileNotFoundError(f'{src} is missing; set D2L_DATA_MIRROR')
        shutil.copyfile(src, raw / name)


def cpu_name():
    """The CPU's model name from /proc/cpuinfo ('unknown' elsewhere)."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown'


def write_result(filename, data):
    """Write `data` as JSON to bench/results/<filename> (gitignored)."""
    out = HERE / 'results'
    out.mkdir(exist_ok=True)
    path = out / filename
    path.write_text(json.dumps(data, indent=1))
    return path
