"""Build the book: the HTML site and the PDF, from the committed notebooks.

Usage:
    build_book.py html [--execute full|quick] [--chapter SLUG]   -> _build/html
    build_book.py pdf  [--chapter SLUG]                          -> _build/pdf/
    build_book.py deps [--check]      install (or only check) the build's
                                      Python, Debian and MathJax packages
    build_book.py stage [--check]     write only the Sphinx source tree;
                                      --check exits 1 if it is out of date

Options: --chapters DIR reads another chapters/ folder (tests use throwaway
ones), --out DIR builds there instead of _build, --strict turns Sphinx
warnings into errors.

Pages show each section's .md with the outputs of its best fresh run record
(chapters/<ch>/runs/: full mode, else quick mode with a note saying so);
with --execute (``make html EXECUTE=full`` or ``EXECUTE=quick``) the
notebooks are run instead (cached by their code, per mode). The source tree
(``_build/src``) is rewritten only where a file changes, and Sphinx then
re-reads only those pages, so an incremental build redoes changed pages.
A source that cannot be read or has no fresh record is reported as a
warning and never stops the build.

The site serves reader notebooks (tools/book/reader.py) under
``notebooks/``: one per page, a zip per chapter and ``book.zip``. The "Open
in Colab" links appear only when pyproject.toml names the repository
(``[project.urls] Repository``, see tools/book/config.py).
"""
import argparse
import logging
import os
import pathlib
import shutil
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from book import BUILD, CHAPTERS, ROOT  # noqa: E402

CONF_DIR = ROOT / 'tools' / 'book'


def src_dir(out, chapter=None, pdf=False):
    """_build/src, src-pdf, src-<chapter>, src-pdf-<chapter>."""
    return out / '-'.join(['src'] + (['pdf'] if pdf else []) + ([chapter] if chapter else []))


def stage(chapters, out, chapter=None, with_api=True, pdf=False, execute='off'):
    """Write the Sphinx source tree; returns (srcdir, Stager)."""
    from book import stage as st, api
    book = st.Book(chapters, only_chapter=chapter)
    src = src_dir(out, chapter, pdf)
    stager = st.Stager(src, book, pdf=pdf, execute=execute)
    labels = book.labels()
    page = api.page(labels, out / 'api-cache') if with_api else None
    stager.run(api_page=page)
    stager.prune()
    return src, stager


def sphinx(builder, src, outdir, doctrees, strict=False):
    """Run sphinx-build in this process; returns its exit status."""
    try:
        from sphinx.cmd.build import build_main
    except ImportError:
        raise SystemExit('Sphinx is missing: run `make book-deps` first')
    args = ['-b', builder, '-q', '-c', str(CONF_DIR), '-d', str(doctrees),
            str(src), str(outdir)]
    if strict:
        args[:0] = ['-W', '--keep-going']
    return build_main(args)


def need_mathjax():
    from book import MATHJAX, deps
    if not (MATHJAX / 'tex-chtml.js').exists():
        print('fetching MathJax (once) ...', file=sys.stderr)
        deps.install_mathjax()


def cmd_html(opts):
    t0 = time.perf_counter()
    saved = {k: os.environ.get(k) for k in ('D2L_BOOK_EXECUTE', 'D2L_QUICK', 'D2L_DATA_DIR')}
    os.environ['D2L_BOOK_EXECUTE'] = opts.execute
    if opts.execute == 'quick':
        os.environ['D2L_QUICK'] = '1'
    elif opts.execute == 'full':
        os.environ.pop('D2L_QUICK', None)
    if opts.execute != 'off':
        os.environ.setdefault('D2L_DATA_DIR', str(opts.chapters / 'data'))
    try:
        need_mathjax()
        src, stager = stage(opts.chapters, opts.out, opts.chapter,
                            execute=opts.execute)
        name = f'html-{opts.chapter}' if opts.chapter else 'html'
        rc = sphinx('html', src, opts.out / name, opts.out / f'doctrees-{name}',
                    opts.strict)
        if rc == 0:
            downloads(opts.chapters, src, opts.out / name)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    dt = time.perf_counter() - t0
    print(f'html: {opts.out / name}/index.html ({len(stager.changed)} staged '
          f'file(s) changed, {dt:.1f} s)')
    return rc


def downloads(chapters, src, site):
    """Write the reader notebooks of the site's pages, per-chapter zips and
    book.zip under `site`/notebooks (a file is rewritten only if it changes)."""
    import json
    import toc
    from book import reader
    meta = json.loads((src / '_book.json').read_text())
    builder = reader.Builder(chapters)
    by_rel = {f'{s.chapter}/{s.slug}.ipynb': s
              for s in toc.sections(pathlib.Path(chapters) / 'toc.yml')}
    out = site / 'notebooks'
    files = {}
    for doc, rel in sorted(meta['notebooks'].items()):
        inner = rel.split('/', 1)[1]
        text, problems = builder.text(by_rel[inner])
        for p in problems:
            print(f'WARNING: {inner}: {p}', file=sys.stderr)
        files[inner] = text.encode()
        _put(out / inner, files[inner])
    for chapter, zipname in sorted(meta.get('zips', {}).items()):
        _put(out / zipname, _zip({k: v for k, v in files.items()
                                  if k.startswith(chapter + '/')}))
    if files:
        _put(out / 'book.zip', _zip(files))


def _zip(files):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):      # fixed dates: same bytes every build
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])
    return buffer.getvalue()


def _put(path, data):
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def cmd_pdf(opts):
    t0 = time.perf_counter()
    for prog in ('xelatex', 'latexmk', 'rsvg-convert'):
        if shutil.which(prog) is None:
            raise SystemExit(f'{prog} is missing: run `make book-deps` first')
    src, _ = stage(opts.chapters, opts.out, opts.chapter,
                   with_api=opts.chapter is None, pdf=True)
    name = f'latex-{opts.chapter}' if opts.chapter else 'latex'
    latex = opts.out / name
    rc = sphinx('latex', src, latex, opts.out / f'doctrees-{name}', opts.strict)
    if rc:
        return rc
    log = latex / 'latexmk.log'
    with open(log, 'w') as fh:
        proc = subprocess.run(
            ['latexmk', '-xelatex', '-interaction=nonstopmode', '-f',
             '-file-line-error', 'book.tex'],
            cwd=latex, stdout=fh, stderr=subprocess.STDOUT)
    pdf = latex / 'book.pdf'
    if not pdf.exists():
        print(f'pdf: LaTeX failed, see {log}', file=sys.stderr)
        return proc.returncode or 1
    if proc.returncode:
        print(f'WARNING: LaTeX reported errors (see {log}); the PDF was '
              'still written', file=sys.stderr)
    dest = opts.out / 'pdf' / (f'book-{opts.chapter}.pdf' if opts.chapter
                               else 'book.pdf')
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, dest)
    print(f'pdf: {dest} ({time.perf_counter() - t0:.1f} s)')
    return 0


def cmd_stage(opts):
    if not opts.check:
        src, stager = stage(opts.chapters, opts.out, opts.chapter)
        print(f'staged {src}: {len(stager.changed)} file(s) changed')
        return 0
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        live = src_dir(opts.out, opts.chapter)
        if live.exists():
            shutil.copytree(live, pathlib.Path(tmp) / live.name)
        cache = opts.out / 'api-cache'
        if cache.exists():
            shutil.copytree(cache, pathlib.Path(tmp) / 'api-cache')
        _, stager = stage(opts.chapters, pathlib.Path(tmp), opts.chapter)
    for rel in stager.changed:
        print(f'out of date: {rel}')
    return 1 if stager.changed else 0


def cmd_deps(opts):
    from book import deps
    return deps.main(check=opts.check)


def main(argv=None):
    # nbformat's jsonschema compiles ~40 grammars at import when the optional
    # rfc3987_syntax package is installed (seconds on every build); the book
    # never validates IRIs, so that import is turned off in this process
    if 'jsonschema' not in sys.modules:
        sys.modules.setdefault('rfc3987_syntax', None)
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('target', choices=['html', 'pdf', 'deps', 'stage'])
    parser.add_argument('--execute', default=os.environ.get('EXECUTE') or 'off',
                        help='off (default), full, or quick')
    parser.add_argument('--chapter', help='build only this chapter (slug)')
    parser.add_argument('--chapters', type=pathlib.Path, default=CHAPTERS)
    parser.add_argument('--out', type=pathlib.Path, default=BUILD)
    parser.add_argument('--strict', action='store_true')
    parser.add_argument('--check', action='store_true',
                        help='deps/stage: only check, write nothing')
    opts = parser.parse_args(argv)
    opts.execute = {'1': 'full', 'true': 'full', '0': 'off', '': 'off'}.get(
        opts.execute.lower(), opts.execute.lower())
    if opts.execute not in ('off', 'full', 'quick'):
        parser.error('--execute must be off, full or quick')
    logging.basicConfig(format='%(message)s', level=logging.WARNING)
    opts.out = opts.out.resolve()
    return {'html': cmd_html, 'pdf': cmd_pdf, 'deps': cmd_deps,
            'stage': cmd_stage}[opts.target](opts)


if __name__ == '__main__':
    sys.exit(main())
