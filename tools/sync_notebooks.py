"""Write each section's jupytext .md (the source) into its paired .ipynb.

Usage:
    python tools/sync_notebooks.py [FILE.md ...]   # all sections by default
    python tools/sync_notebooks.py --check         # exit 1 if a pair differs

The .md is always the source of truth: cell inputs and notebook metadata come
from it, outputs (and execution counts) are kept from the existing .ipynb
where the cell source is unchanged. A missing jupytext header is added.
"""
import argparse
import pathlib
import sys

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import toc  # noqa: E402

FORMAT = {'extension': '.md', 'format_name': 'markdown'}
KERNELSPEC = {'display_name': 'Python 3', 'language': 'python',
              'name': 'python3'}


def paired(md_path):
    """The .ipynb notebook the .md should produce (outputs kept)."""
    source = jupytext.read(md_path, fmt='md')
    source.metadata['jupytext'] = {'formats': 'ipynb,md',
                                   'text_representation': FORMAT}
    source.metadata.setdefault('kernelspec', KERNELSPEC)
    ipynb = pathlib.Path(md_path).with_suffix('.ipynb')
    if ipynb.exists():
        old = nbformat.read(ipynb, as_version=4)
        nb = combine_inputs_with_outputs(source, old, fmt='md')
        if 'd2l' in old.metadata:    # the execution cache key of execute.py
            nb.metadata['d2l'] = old.metadata['d2l']
    else:
        nb = source
    nb.metadata.pop('language_info', None)
    return jupytext.writes(nb, fmt='ipynb')


def header_fixed(md_path):
    """Add the jupytext header to a .md written without one; True if added."""
    text = md_path.read_text()
    if text.startswith('---\n'):
        return False
    nb = jupytext.reads(text, fmt='md')
    nb.metadata['jupytext'] = {'formats': 'ipynb,md',
                               'text_representation': FORMAT}
    nb.metadata['kernelspec'] = KERNELSPEC
    md_path.write_text(jupytext.writes(nb, fmt='md'))
    return True


def targets(files):
    if files:
        return [toc.find(f).md for f in files]
    return [s.md for s in toc.sections(only_existing=True)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('files', nargs='*', help='section .md files')
    parser.add_argument('--check', action='store_true',
                        help='write nothing; exit 1 if any pair is out of sync')
    args = parser.parse_args(argv)
    stale = []
    for md in targets(args.files):
        if not args.check and header_fixed(md):
            print(f'sync: added the jupytext header to {md.name}')
        text = paired(md)
        ipynb = md.with_suffix('.ipynb')
        if ipynb.exists() and ipynb.read_text() == text:
            continue
        rel = ipynb.relative_to(toc.ROOT)
        if args.check:
            stale.append(rel)
        else:
            ipynb.write_text(text)
            print(f'sync: wrote {rel}')
    if stale:
        print('sync: these notebooks differ from their .md source; run '
              '`make sync`:\n  ' + '\n  '.join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
