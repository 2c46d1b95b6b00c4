"""Run sections and store their outputs as run records (tools/runs.py).

Usage:
    python tools/execute.py [FILE.md ...]            # stale quick records
    python tools/execute.py --mode full FILE.md      # record a full run
    python tools/execute.py --mode full --chapter linear-regression
    python tools/execute.py --force FILE.md          # run even if fresh
    python tools/execute.py --check                  # exit 1 on drift
    python tools/execute.py --jobs 2                 # two at a time
    python tools/execute.py --migrate                # once: .ipynb -> records

The tool sets the mode itself (``D2L_QUICK=1`` for quick, unset for full;
one thread per quick run) whatever the calling shell says, and the record
names the mode the kernel reports. A record is stale when the section's
code cells or the d2l code it reaches changed (runs.py explains the keys),
so editing prose never reruns a notebook. Notebooks run in their own folder
with the rest of this process's environment (the Makefile sets
``D2L_DATA_MIRROR``). ``d2l/torch.py`` must match the notebooks (``make
d2l``): a record's d2l key is computed from them.

``--check`` writes nothing and exits 1 when a section with code has no
fresh quick record, when a record (quick or full) was edited by hand or
names another mode than its file name, or when a record belongs to no
section. Stale full records are only listed: they are never shown.

While the committed .ipynb is a jupytext pair of its .md (before reader
notebooks), a quick run also writes its outputs there, as before.
"""
import argparse
import hashlib
import os
import pathlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_d2l  # noqa: E402
import runs  # noqa: E402
import toc  # noqa: E402

CELL_TIMEOUT = 1800   # seconds; full mode on a CPU can be slow
LEGACY_D2L_FILES = ('torch.py', 'hub.py', 'quickmode.py')


def set_mode(mode, environ=os.environ):
    """Make the environment of the kernels run `mode`, whatever it was.

    Quick runs use one thread and a fixed hash seed, as `make nbval` does,
    so that its metric check sees the same numbers; SOURCE_DATE_EPOCH keeps
    the date out of matplotlib's SVG outputs.
    """
    environ['SOURCE_DATE_EPOCH'] = '0'
    environ['PYTHONHASHSEED'] = '0'
    if mode == 'quick':
        environ['D2L_QUICK'] = '1'
        environ['OMP_NUM_THREADS'] = '1'
    else:
        environ.pop('D2L_QUICK', None)


def has_code(section):
    return bool(build_d2l.code_cells(section))


def notebook(section):
    """The section's cells between the two hidden probe cells."""
    import jupytext
    nb = jupytext.read(section.md)
    nb.cells.insert(0, runs.probe_cell(runs.PROBE_START))
    nb.cells.append(runs.probe_cell(runs.PROBE_END))
    return nb


def run(section, mode):
    """Execute one section in `mode`, write its record; return the seconds."""
    from nbclient import NotebookClient
    set_mode(mode)
    source_keys = runs.keys(section)     # what this run executes
    nb = notebook(section)
    start = time.perf_counter()
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name='python3',
                   resources={'metadata': {'path': str(section.md.parent)}},
                   record_timing=False).execute()
    seconds = round(time.perf_counter() - start, 1)
    info = runs.parse_probe(nb.cells[-1].outputs)
    metrics = info.pop('metrics')
    cells = [c for c in nb.cells if c.cell_type == 'code'
             and not runs.is_probe(c)]
    outputs = [renumber(c.outputs, n) for n, c in enumerate(cells, 1)]
    runs.write(section, mode, outputs, {**info, 'seconds': seconds}, metrics,
               source_keys)
    if mode == 'quick':
        write_legacy_ipynb(section, outputs)
    return seconds


def renumber(outputs, n):
    """Give an execute_result the count it has when cells run in order."""
    for o in outputs:
        if 'execution_count' in o:
            o['execution_count'] = n
    return outputs


# -- the committed .ipynb as a jupytext pair (until reader notebooks) -------

def legacy_exec_key(nb):
    """The key today's sync keeps in ``metadata.d2l.exec_key``."""
    h = hashlib.sha256()
    for name in LEGACY_D2L_FILES:
        h.update((toc.ROOT / 'd2l' / name).read_bytes())
    h = hashlib.sha256(h.hexdigest().encode())
    for cell in nb.cells:
        if cell.cell_type == 'code':
            h.update(cell.source.encode() + b'\0')
    return h.hexdigest()[:16]


def write_legacy_ipynb(section, outputs):
    """Copy the outputs into a paired .ipynb whose code cells match."""
    import jupytext
    import nbformat
    if not section.ipynb.exists():
        return
    nb = nbformat.read(section.ipynb, as_version=4)
    if 'md' not in nb.metadata.get('jupytext', {}).get('formats', ''):
        return                           # a reader notebook: sync owns it
    code = [c for c in nb.cells if c.cell_type == 'code']
    if [c.source for c in code] != build_d2l.code_cells(section):
        return                           # not synced: `make sync` first
    for n, (cell, outs) in enumerate(zip(code, outputs), 1):
        cell.outputs = [nbformat.from_dict(o) for o in outs]
        cell.execution_count = n
        cell.metadata.pop('execution', None)
    nb.metadata['d2l'] = {'exec_key': legacy_exec_key(nb)}
    section.ipynb.write_text(jupytext.writes(nb, fmt='ipynb'))


def migrate(sections):
    """Turn fresh committed .ipynb quick outputs into quick records, once.

    Only where the .ipynb's code cells are the .md's and its legacy key says
    it was made by the current d2l; the rest must be re-run. The migrated
    records carry no metrics (nbval then checks outputs only) until the
    next run; returns the sections migrated.
    """
    import nbformat
    done = []
    for section in sections:
        if not section.ipynb.exists() or runs.load(section, 'quick'):
            continue
        nb = nbformat.read(section.ipynb, as_version=4)
        code = [c for c in nb.cells if c.cell_type == 'code']
        if (nb.metadata.get('d2l', {}).get('exec_key') != legacy_exec_key(nb)
                or [c.source for c in code] != build_d2l.code_cells(section)):
            continue
        outputs = [renumber(runs.clean(c.outputs), n)
                   for n, c in enumerate(code, 1)]
        runs.write(section, 'quick', outputs,
                   {'device': 'unknown (migrated from the .ipynb)',
                    'seconds': None, 'kernel_mode': 'quick',
                    'migrated': True})
        done.append(section)
    return done


# -- choosing and checking ---------------------------------------------------

def targets(files, chapter=None):
    if files:
        return [toc.find(f) for f in files]
    chosen = toc.sections(only_existing=True)
    if chapter:
        chosen = [s for s in chosen if s.chapter == chapter]
        if not chosen:
            raise SystemExit(f'execute: no written section in chapter '
                             f'{chapter!r} (see chapters/toc.yml)')
    return chosen


def check(sections):
    """Problems that fail CI, and notes (stale full records)."""
    problems, notes = [], []
    for section in sections:
        where = f'{section.chapter}/{section.slug}'
        for mode in runs.MODES:
            record = runs.load(section, mode)
            if record is None:
                if mode == 'quick' and has_code(section):
                    problems.append(f'{where}: no quick record')
                continue
            why = record.problems()
            hard = [w for w in why if w.startswith(('edited', 'mode'))]
            if hard or (mode == 'quick' and why):
                problems.append(f'{where}.{mode}: ' + '; '.join(why))
            elif why:
                notes.append(f'{where}.full: stale ({"; ".join(why)}); '
                             'not shown until `make record` reruns it')
    known = {runs.path(s, m) for s in toc.sections() for m in runs.MODES}
    for file in sorted(toc.CHAPTERS.glob('*/runs/*.json')):
        if file not in known:
            rel = file.relative_to(toc.CHAPTERS.parent)
            problems.append(f'{rel}: belongs to no section of '
                            'chapters/toc.yml in quick or full mode')
    return problems, notes


def d2l_in_step():
    """True when d2l/torch.py is what the notebooks extract to."""
    return build_d2l.OUTPUT.read_text() == build_d2l.build()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('files', nargs='*', help='section .md files')
    parser.add_argument('--mode', choices=runs.MODES, default='quick')
    parser.add_argument('--chapter', help='every section of this chapter')
    parser.add_argument('--check', action='store_true',
                        help='run nothing; exit 1 on a stale, hand-edited or '
                             'mode-drifted record')
    parser.add_argument('--force', action='store_true',
                        help='run the chosen sections even if fresh')
    parser.add_argument('--migrate', action='store_true',
                        help='turn fresh .ipynb outputs into quick records')
    parser.add_argument('--jobs', type=int, default=1,
                        help='sections to run at the same time')
    args = parser.parse_args(argv)
    chosen = targets(args.files, args.chapter)
    if args.check:
        return report_check(*check(chosen))
    if not d2l_in_step():
        print('execute: d2l/torch.py differs from the notebooks; run '
              '`make d2l` first', file=sys.stderr)
        return 1
    if args.migrate:
        done = migrate(chosen)
        print(f'execute: migrated {len(done)} notebook(s) to quick records')
        return 0
    todo = [s for s in chosen if has_code(s) and (args.force or not (
        (r := runs.load(s, args.mode)) and r.fresh))]
    return 1 if run_all(todo, args.mode, args.jobs) else 0


def report_check(problems, notes):
    for note in notes:
        print(f'execute: note: {note}')
    if problems:
        print('execute: these records are missing, stale, hand-edited or of '
              'the wrong mode; run `make execute` (quick) or `make record`:'
              '\n  ' + '\n  '.join(problems), file=sys.stderr)
        return 1
    print('execute: every quick record is fresh')
    return 0


def run_all(todo, mode, jobs):
    """Run the sections, `jobs` at a time; return the failed ones."""
    failed = []
    with ProcessPoolExecutor(max(1, jobs)) as pool:
        futures = {pool.submit(run, s, mode): s for s in todo}
        for job in as_completed(futures):
            where = f'{futures[job].chapter}/{futures[job].slug}'
            try:
                seconds = job.result()
                print(f'execute: {where} ({mode}) done in {seconds:.1f} s',
                      flush=True)
            except Exception as err:     # report every failure, then exit 1
                failed.append(where)
                print(f'execute: {where} ({mode}) FAILED: '
                      f'{type(err).__name__}: {str(err)[-1500:]}',
                      file=sys.stderr)
    return failed


if __name__ == '__main__':
    sys.exit(main())
