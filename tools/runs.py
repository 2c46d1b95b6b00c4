"""Run records: the outputs of one execution of one section, tied to its code.

Usage (as a module, with tools/ on sys.path)::

    import runs, toc
    record = runs.best(section)      # fresh full record, else fresh quick
    if record: record.outputs[i]     # nbformat outputs of code cell i

Run as a script it assembles the notebooks that ``make nbval`` checks::

    python tools/runs.py --nbval _build/nbval [FILE.md ...]

A record lives in ``chapters/<chapter>/runs/<section>.<mode>.json`` (mode
``quick`` or ``full``) and is written by ``tools/execute.py``. It names the
mode, the code key, the d2l key, the device, the date, the torch and Python
versions and the seconds the run took, and holds the outputs of every code
cell (volatile metadata stripped, SVG kept), the quick-mode metrics of the
regression check, and ``hash``: a SHA-256 over everything else in the record,
so a hand edit is caught (``Record.intact``).

Keys (both 16 hex digits of a SHA-256):

* the *code key* hashes the section's code cells, so editing prose never
  stales a record;
* the *d2l key* (``build_d2l.section_keys``) hashes the final text of the
  saved code the section can reach: the names defined in it and before it
  in book order, closed over the names they (and the section's cells)
  mention, plus the hand-written d2l modules that code reaches (hub.py when
  it calls ``d2l.download``, and the modules those import). A later chapter
  that saves new code leaves earlier records fresh; a change to a body an
  earlier section runs (a replaced method, a method folded into an earlier
  class, a hub.py it downloads with) stales them. Finer keys matter because
  full runs are expensive: hashing all of torch.py would stale every full
  record whenever any chapter saves code.

A record is *fresh* when it is intact, names the mode of its file name, and
both keys match the current sources.

Metrics. Before the first cell the tool runs a hidden cell (``PROBE_START``)
that seeds ``random``, NumPy and torch with 0 (so quick runs repeat) and
notes every ``ProgressBoard`` (and ``Animator``) that draws; after the last
cell a second hidden cell prints, per curve in drawing order, its number of
points, its last and its mean value. ``make nbval`` appends a cell that
recomputes them and fails when one differs from the quick record by more
than ``RTOL * |recorded| + ATOL`` (a point count must match exactly).
"""
import argparse
import dataclasses
import datetime
import functools
import hashlib
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import toc  # noqa: E402

MODES = ('quick', 'full')
FORMAT = 1
#: Tolerance of the metric comparison of ``make nbval``: the quick run is
#: seeded and single-threaded, so on one machine the metrics repeat exactly;
#: the slack absorbs other CPUs and torch versions, while a wrong update
#: sign, unscaled dropout or validation in training mode moves a metric by
#: far more (``bench/mutations.py``).
RTOL, ATOL = 0.02, 1e-6
PROBE_TAG = 'd2l-probe'        # cell metadata tag of the hidden cells
METRICS_MARK = 'D2L-METRICS '  # prefix of the line the end probe prints


# -- keys ------------------------------------------------------------------

def code_key(section):
    """Hash of the section's code cells (prose is left out)."""
    import build_d2l
    h = hashlib.sha256()
    for source in build_d2l.code_cells(section):
        h.update(source.encode() + b'\0')
    return h.hexdigest()[:16]


def d2l_key(section):
    """Hash of the d2l code the section's run can reach (module docstring)."""
    keys = _d2l_keys(section.root, _signature(section.root))
    # a page the extractor does not walk (none today) gets the key of the
    # whole book: it may reach any saved name
    return keys.get((section.chapter, section.slug), keys[None])


def _signature(root):
    """Hash of every file the d2l keys depend on (their cache key)."""
    files = sorted(root.glob('*/*.md')) + sorted(
        (root.parent / 'd2l').glob('*.py')) + [root / 'toc.yml']
    h = hashlib.sha256()
    for p in files:
        if p.exists():
            h.update(str(p).encode() + b'\0' + p.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=8)
def _d2l_keys(root, signature):
    import build_d2l
    sections = toc.sections(root / 'toc.yml', only_existing=True)
    keys = build_d2l.section_keys(sections, root.parent / 'd2l')
    out = {(s.chapter, s.slug): k for s, k in keys.items()}
    out[None] = keys[sections[-1]] if sections else None
    return out


# -- records ---------------------------------------------------------------

def path(section, mode):
    """Where the record of `section` in `mode` lives."""
    if mode not in MODES:
        raise ValueError(f'mode must be one of {MODES}, got {mode!r}')
    folder = section.root / section.chapter / 'runs'
    return folder / f'{section.slug}.{mode}.json'


def digest(data):
    """SHA-256 over a record's fields except ``hash`` (canonical JSON)."""
    body = {k: v for k, v in data.items() if k != 'hash'}
    text = json.dumps(body, sort_keys=True, separators=(',', ':'),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclasses.dataclass
class Record:
    """One stored run of one section (see the module docstring)."""
    section: toc.Section
    data: dict
    file: pathlib.Path

    mode = property(lambda self: self.data.get('mode'))
    device = property(lambda self: self.data.get('device'))
    date = property(lambda self: self.data.get('date'))
    seconds = property(lambda self: self.data.get('seconds'))
    outputs = property(lambda self: self.data.get('outputs', []))
    metrics = property(lambda self: self.data.get('metrics', {}))
    code_key = property(lambda self: self.data.get('code_key'))
    d2l_key = property(lambda self: self.data.get('d2l_key'))

    @property
    def intact(self):
        """True unless the record was edited by hand since it was written."""
        return self.data.get('hash') == digest(self.data)

    @property
    def mode_ok(self):
        """The file name, the record and the kernel all name one mode."""
        expected = self.file.name.rsplit('.', 2)[-2]
        ran = self.data.get('kernel_mode', self.mode)
        return self.mode == expected == ran

    @property
    def fresh(self):
        """Intact, of its mode, and made by the current code and d2l."""
        return (self.intact and self.mode_ok
                and self.code_key == code_key(self.section)
                and self.d2l_key == d2l_key(self.section))

    def problems(self):
        """Why the record must not be shown (empty when it is fresh)."""
        out = []
        if not self.intact:
            out.append('edited by hand (its hash does not match)')
        if not self.mode_ok:
            named = self.file.name.rsplit('.', 2)[-2]
            out.append(f"mode drift: file says {named},"
                       f" record says {self.mode}, kernel ran "
                       f"{self.data.get('kernel_mode')}")
        if self.code_key != code_key(self.section):
            out.append('code cells changed since the run')
        if self.d2l_key != d2l_key(self.section):
            out.append('d2l code it uses changed since the run')
        return out


def load(section, mode):
    """The record of `section` in `mode`, or None if there is none."""
    file = path(section, mode)
    if not file.exists():
        return None
    return Record(section, json.loads(file.read_text()), file)


def best(section):
    """The fresh full record, else the fresh quick record, else None."""
    for mode in ('full', 'quick'):
        record = load(section, mode)
        if record is not None and record.fresh:
            return record
    return None


def keys(section):
    """The code and d2l keys of the section's current sources."""
    return {'code_key': code_key(section), 'd2l_key': d2l_key(section)}


def write(section, mode, outputs, info, metrics=None, source_keys=None):
    """Store a run; `info` holds device, torch, python, seconds, kernel_mode.

    Returns the Record. `source_keys` are the keys of the sources the run
    started from (`keys(section)` taken before it); without them, those of
    the current sources. A run whose sources change while it runs therefore
    leaves a stale record, not one that claims code it never ran.
    """
    data = {'format': FORMAT, 'section': f'{section.chapter}/{section.slug}',
            'mode': mode, **(source_keys or keys(section)),
            'date': datetime.datetime.now(datetime.timezone.utc)
            .strftime('%Y-%m-%dT%H:%M:%SZ'),
            **info, 'metrics': metrics or {},
            'outputs': [clean(o) for o in outputs]}
    data['hash'] = digest(data)
    file = path(section, mode)
    file.parent.mkdir(exist_ok=True)
    file.write_text(json.dumps(data, indent=1, sort_keys=True,
                               ensure_ascii=False) + '\n')
    return Record(section, data, file)


def clean(outputs):
    """A code cell's outputs without volatile metadata (plain dicts)."""
    out = []
    for o in outputs:
        o = json.loads(json.dumps(o))          # NotebookNode -> dict
        o.pop('transient', None)
        o.get('metadata', {}).pop('execution', None)
        out.append(o)
    return out


# -- the hidden probe cells ------------------------------------------------
# The probe code runs in its own namespace (the dict ``_d2l_probe`` of the
# kernel), so a notebook that rebinds `abs`, `sum` or `json` cannot break it.

START = r'''
def start():
    """Seed every generator; note each progress board that draws."""
    import os, random, numpy, torch
    random.seed(0); numpy.random.seed(0); torch.manual_seed(0)
    os.environ['SOURCE_DATE_EPOCH'] = '0'     # no date in SVG outputs
    try:                                      # SVG ids from content
        import matplotlib
        matplotlib.rcParams['svg.hashsalt'] = 'd2l'
    except ImportError:
        pass
    seen = []
    try:
        from d2l import torch as d2l
    except Exception:
        return seen
    for cls, name in ((getattr(d2l, 'ProgressBoard', None), 'draw'),
                      (getattr(d2l, 'Animator', None), 'add')):
        if cls is not None and hasattr(cls, name):
            setattr(cls, name, noting(getattr(cls, name), seen))
    return seen


def noting(method, seen):
    def noted(self, *args, **kwargs):
        if not any(s is self for s in seen):
            seen.append(self)
        return method(self, *args, **kwargs)
    return noted


boards = start()
'''

END = r'''
def curves(board):
    """{label: [y, ...]} of a ProgressBoard, or of an Animator."""
    data = getattr(board, 'data', None)
    if isinstance(data, dict):
        return {k: [float(p[1]) for p in v] for k, v in data.items()}
    names = list(getattr(board, 'legend', None) or [])
    ys = getattr(board, 'Y', None) or []
    names += [f'curve{j}' for j in range(len(names), len(ys))]
    return {n: [float(y) for y in c] for n, c in zip(names, ys)}


def metrics():
    """Per curve: number of points, last and mean value."""
    import gc
    found = list(boards)
    found += sorted((o for o in gc.get_objects()
                     if type(o).__name__ in ('ProgressBoard', 'Animator')
                     and not any(o is b for b in found)),
                    key=lambda o: repr(curves(o)))
    out = {}
    for i, board in enumerate(found, 1):
        for label, ys in curves(board).items():
            if ys:
                out[f'board{i}/{label}/n'] = len(ys)
                out[f'board{i}/{label}/last'] = ys[-1]
                out[f'board{i}/{label}/mean'] = sum(ys) / len(ys)
    return out


def run_info():
    """Metrics, mode, device and versions of this kernel."""
    import os, platform
    info = {'python': platform.python_version(), 'metrics': metrics()}
    try:
        import torch
        info['torch'] = torch.__version__
        if torch.cuda.is_available():
            info['device'] = 'CUDA, ' + torch.cuda.get_device_name(0)
    except Exception:
        pass
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity')
             else os.cpu_count())
    info.setdefault('device', f'CPU, {cores} cores, {platform.machine()}')
    try:
        from d2l import quickmode
        info['kernel_mode'] = 'quick' if quickmode.is_quick() else 'full'
    except Exception:
        pass
    return info
'''

EMIT = r'''
import json
print(%r + json.dumps(run_info(), sort_keys=True))
''' % METRICS_MARK

CHECK = r'''
def check(recorded, rtol, atol):
    """Fail when a training curve moved away from the quick record."""
    now, bad = metrics(), []
    for name in sorted(set(recorded) | set(now)):
        old, new = recorded.get(name), now.get(name)
        if old is not None and new is not None and old != old and new != new:
            continue                                   # NaN in both runs
        if old is None or new is None:
            bad.append(f'{name}: recorded {old}, now {new}')
        elif name.endswith('/n') and old != new:
            bad.append(f'{name}: recorded {old} points, now {new}')
        elif not abs(new - old) <= atol + rtol * abs(old):
            bad.append(f'{name}: recorded {old:.6g}, now {new:.6g}')
    if bad:
        raise AssertionError('quick-mode metrics differ from the record '
                             f'(tolerance {rtol} x |recorded| + {atol}):\n  '
                             + '\n  '.join(bad))
    print(f'{len(now)} quick-mode metrics match the record')


import json
check(json.loads(%r), %r, %r)
'''


def probe_source(code, first=False):
    """A cell that runs `code` in the probe's own namespace."""
    setup = '_d2l_probe = {}\n' if first else ''
    return f'{setup}exec({code.strip()!r}, _d2l_probe)'


PROBE_START = probe_source(START, first=True)
PROBE_END = probe_source(END + EMIT)


def check_source(metrics):
    """The nbval cell comparing the metrics with `metrics` (a record's)."""
    return probe_source(END + CHECK % (json.dumps(metrics, sort_keys=True),
                                       RTOL, ATOL))


def probe_cell(source):
    """A hidden code cell, tagged so tools can drop it again."""
    import nbformat
    return nbformat.v4.new_code_cell(source, metadata={'tags': [PROBE_TAG]})


def is_probe(cell):
    return PROBE_TAG in cell.get('metadata', {}).get('tags', [])


def parse_probe(outputs):
    """The dict the end probe printed, from that cell's outputs."""
    for o in outputs:
        for line in o.get('text', '').splitlines():
            if line.startswith(METRICS_MARK):
                return json.loads(line[len(METRICS_MARK):])
    raise ValueError('the metrics probe printed nothing')


# -- notebooks for nbval ---------------------------------------------------

def nbval_notebook(section, record=None):
    """The .md's cells, the quick record's outputs and the metrics check.

    Returns a notebook to run with ``pytest --nbval-lax``: code cells
    marked ``# NBVAL_CHECK_OUTPUT`` are compared with the record's outputs,
    and a last cell compares the training metrics (``RTOL``/``ATOL``).
    Without a record whose cells line up with the .md's, a first cell fails
    with a message saying to run ``make execute``.
    """
    import jupytext
    nb = jupytext.read(section.md)
    record = record if record is not None else load(section, 'quick')
    code = [c for c in nb.cells if c.cell_type == 'code']
    if record is None or len(record.outputs) != len(code):
        message = (f'{section.md.name} has no quick record whose cells '
                   'line up with it; run `make execute`')
        nb.cells.insert(0, probe_cell(f'raise AssertionError({message!r})'))
        record = None
    else:
        for n, (cell, outputs) in enumerate(zip(code, record.outputs), 1):
            cell.outputs = [dict(o) for o in outputs]
            for o in cell.outputs:
                if 'execution_count' in o:
                    o['execution_count'] = n
            cell.execution_count = n
    if code:
        nb.cells.insert(0, probe_cell(PROBE_START))
        if record is not None:
            nb.cells.append(probe_cell(check_source(record.metrics)))
    import nbformat
    return nbformat.from_dict(nb)


def write_nbval(out, sections):
    """Write the nbval notebook of each section with code under `out`."""
    import nbformat
    out = pathlib.Path(out)
    for old in out.glob('*/*.ipynb'):   # removed sections, or not chosen
        old.unlink()
    written = []
    for section in sections:
        import build_d2l
        if not build_d2l.code_cells(section):
            continue                      # prose only: nothing to run
        nb = nbval_notebook(section)
        target = out / section.chapter / f'{section.slug}.ipynb'
        target.parent.mkdir(parents=True, exist_ok=True)
        img = section.md.parent / 'img'
        link = target.parent / 'img'
        if img.is_dir() and not link.exists():
            link.symlink_to(img.resolve())   # cells that read their figures
        nbformat.write(nb, target)
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('files', nargs='*', help='section .md files')
    parser.add_argument('--nbval', metavar='DIR', required=True,
                        help='write the notebooks `make nbval` runs into DIR')
    args = parser.parse_args(argv)
    sections = ([toc.find(f) for f in args.files] if args.files
                else toc.sections(only_existing=True))
    written = write_nbval(args.nbval, sections)
    print(f'runs: wrote {len(written)} notebook(s) for nbval under '
          f'{args.nbval}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
