"""Write each section's reader notebook, chapters/<ch>/<section>.ipynb.

Usage:
    python tools/sync_notebooks.py [FILE.md ...]   # all sections by default
    python tools/sync_notebooks.py --check         # exit 1 if one differs

The .md is the source; the committed .ipynb beside it is generated from it
and from the outputs of the section's best fresh run record (full mode if
there is one, else quick mode, with a badge cell saying so): references,
equation numbers and citations resolved to text, figures embedded, no
jupytext pairing (see tools/book/reader.py). Editing the .ipynb in Jupyter
therefore never changes a source; edit the .md and run this again.

A .md written without the jupytext header gets it (not in --check mode).
Problems (an unknown label, a missing image or citation key) are listed and
make the exit status 1; the notebook is still written.
"""
import argparse
import pathlib
import sys

import jupytext

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import toc  # noqa: E402

FORMAT = {'extension': '.md', 'format_name': 'markdown'}
KERNELSPEC = {'display_name': 'Python 3', 'language': 'python',
              'name': 'python3'}


def header_fixed(md_path):
    """Add the jupytext header to a .md written without one; True if added."""
    text = md_path.read_text()
    if text.startswith('---\n'):
        return False
    nb = jupytext.reads(text, fmt='md')
    # no 'formats: ipynb,md': Jupyter must not write a paired .ipynb over
    # the reader notebook when someone edits the .md there
    nb.metadata['jupytext'] = {'text_representation': FORMAT}
    nb.metadata['kernelspec'] = KERNELSPEC
    md_path.write_text(jupytext.writes(nb, fmt='md'))
    return True


def targets(files, chapters):
    if files:
        return [toc.find(f) for f in files]
    return toc.sections(chapters / 'toc.yml', only_existing=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('files', nargs='*', help='section .md files')
    parser.add_argument('--check', action='store_true',
                        help='write nothing; exit 1 if a notebook differs')
    parser.add_argument('--chapters', type=pathlib.Path, default=toc.CHAPTERS,
                        help='the chapters/ folder (tests use throwaway ones)')
    args = parser.parse_args(argv)
    from book import reader
    sections = targets(args.files, args.chapters)
    if not args.check:
        for s in sections:
            if header_fixed(s.md):
                print(f'sync: added the jupytext header to {s.md.name}')
    builder = reader.Builder(args.chapters)
    stale, problems = [], []
    for s in sections:
        text, found = builder.text(s)
        rel = (s.ipynb.relative_to(toc.ROOT) if s.ipynb.is_relative_to(toc.ROOT)
               else s.ipynb)
        problems += [f'{rel.with_suffix(".md")}: {p}' for p in found]
        if s.ipynb.exists() and s.ipynb.read_text() == text:
            continue
        if args.check:
            stale.append(rel)
        else:
            s.ipynb.write_text(text)
            print(f'sync: wrote {rel}')
    for p in problems:
        print(f'sync: {p}', file=sys.stderr)
    if stale:
        print('sync: these reader notebooks differ from a fresh build (their '
              '.md or run record changed); run `make sync`:\n  '
              + '\n  '.join(map(str, stale)), file=sys.stderr)
    return 1 if stale or problems else 0


if __name__ == '__main__':
    sys.exit(main())
