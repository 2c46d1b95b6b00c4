"""A throwaway book (chapters/ plus pyproject.toml) for the book-build tests.

It has what the real book has, in miniature: front matter, a chapter whose
page is its own notebook, a chapter with an introduction page and a section
not written yet (so numbers have a gap), an unwritten chapter, an appendix,
figures, labelled and unlabelled equations, a table, citations, a quoted
result, a dollar amount, the repository token, and code cells whose outputs
come from run records: a full record for one section, a quick one for
another (which readers must see flagged), none for a third.
"""
import base64
import pathlib
import struct
import textwrap
import zlib

import jupytext
import nbformat

TOC = """\
front:
  slug: front
  title: Front Matter
  sections:
    - {slug: preface, title: Preface}
    - {slug: notation, title: Notation}
chapters:
  - number: 1
    slug: intro
    title: "Introduction"
    sections:
      - {slug: index, title: "Introduction"}
  - number: 2
    slug: basics
    title: "Basics"
    sections:
      - {slug: tensors, title: "Tensors"}
      - {slug: later, title: "Written Later"}
      - {slug: plots, title: "Plots"}
  - number: 3
    slug: empty
    title: "Empty Chapter"
    sections:
      - {slug: nothing, title: "Nothing Yet"}
  - number: "A"
    slug: appendix-math
    title: "Mathematics"
    sections:
      - {slug: algebra, title: "Algebra"}
"""

BIB = """\
@book{Doe.Roe.2020,
  author = {Doe, Jane and Roe, Richard},
  title = {A Small Book on $1/n$ Things},
  publisher = {Nobody},
  year = {2020}
}

@article{Smith.Jones.Lee.2019,
  author = {Smith, Alice and Jones, Bob and Lee, Carol},
  title = {Three Authors},
  journal = {Journal of Tests},
  year = {2019}
}
"""

REPOSITORY = 'https://github.com/someone/sample-book'
PYPROJECT = f"""\
[project]
name = "sample-book"

[project.urls]
Repository = "{REPOSITORY}"
"""


def _png(size=8):
    """A grayscale PNG of a dark square on white, written by hand."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body))
    rows = b''.join(b'\x00' + bytes(40 if 2 <= x < 6 and 2 <= y < 6 else 255
                                     for x in range(size)) for y in range(size))
    head = struct.pack('>IIBBBBB', size, size, 8, 0, 0, 0, 0)
    raw = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', head)
           + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
    return base64.b64encode(raw).decode()


PNG = _png()

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
       '<rect x="2" y="2" width="116" height="36" fill="#1f77b4"/></svg>\n')

IMPORTS = 'import torch\nfrom torch import nn\nfrom d2l import torch as d2l'


def _nb(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata['kernelspec'] = {'display_name': 'Python 3',
                                 'language': 'python', 'name': 'python3'}
    for kind, src in cells:
        if kind == 'md':
            nb.cells.append(nbformat.v4.new_markdown_cell(textwrap.dedent(src).strip()))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(src))
    return nb


def _write(chapters, chapter, slug, cells):
    folder = chapters / chapter
    folder.mkdir(parents=True, exist_ok=True)
    nb = _nb(cells)
    nb.metadata['jupytext'] = {'formats': 'ipynb,md', 'text_representation': {
        'extension': '.md', 'format_name': 'markdown'}}
    jupytext.write(nb, folder / f'{slug}.md', fmt='md')


def record(chapters, chapter, slug, mode, outputs):
    """Write a run record (tools/runs.py) of one sample section."""
    import runs
    import toc
    section = next(s for s in toc.sections(chapters / 'toc.yml')
                   if (s.chapter, s.slug) == (chapter, slug))
    return runs.write(section, mode, outputs, {
        'device': 'CPU, 2 cores, x86_64', 'torch': '2.0', 'python': '3.11',
        'seconds': 1.0, 'kernel_mode': mode})


def make_book(root, repository=REPOSITORY, site=None, records=True):
    """Write the sample book under `root`; return its chapters/ path."""
    root = pathlib.Path(root)
    chapters = root / 'chapters'
    chapters.mkdir(parents=True)
    urls = ''.join(f'{k} = "{v}"\n' for k, v in
                   (('Repository', repository), ('Documentation', site)) if v)
    (root / 'pyproject.toml').write_text(
        '[project]\nname = "sample-book"\n' + (f'\n[project.urls]\n{urls}' if urls else ''))
    (chapters / 'toc.yml').write_text(TOC)
    (chapters / 'references.bib').write_text(BIB)

    _write(chapters, 'front', 'preface', [
        ('md', '''
         # Preface

         This sample book is read by tests; see {numref}`sec-notation`.
         Get it with `git clone {{ repository }}` from {{ repository }}.

         ```shell
         git clone {{ repository }} book
         ```
         ''')])
    _write(chapters, 'front', 'notation', [
        ('md', '# Notation\n\nA vector is $\\mathbf{x}$.')])
    _write(chapters, 'intro', 'index', [
        ('md', '# Introduction\n\nThe basics are in {numref}`chap-basics`; '
               'the appendix is {numref}`chap-appendix-math`.\n\n'
               'A plumber charges \\$350 for three hours and \\$250 for two.')])
    _write(chapters, 'basics', 'index', [
        ('md', '''
         # Basics

         This chapter starts with tensors ({numref}`sec-tensors`) and ends
         with plots ({numref}`sec-plots`), which draw what the tensors hold.
         ''')])
    _write(chapters, 'basics', 'tensors', [
        ('md', '''
         # Tensors

         Squares obey

         $$y = x^2$$ (eq-tensors-square)

         and {eq}`eq-tensors-square` is used in {numref}`sec-plots`.
         Plots wait for {numref}`sec-later`, as argued by {cite:t}`Doe.Roe.2020`
         and others {cite:p}`Doe.Roe.2020,Smith.Jones.Lee.2019`.
         The run prints {result}`hello, book`.
         Inline code keeps its roles: `` {numref}`sec-tensors` ``.

         :::{table} Two numbers.
         :name: tab-tensors-two
         | a | b |
         |---|---|
         | 1 | 2 |
         :::

         {numref}`tab-tensors-two` has two numbers.
         '''),
        ('code', IMPORTS),
        ('code', '# NBVAL_CHECK_OUTPUT\nprint("hello, book")'),
    ])
    img = chapters / 'basics' / 'img'
    img.mkdir(parents=True, exist_ok=True)
    (img / 'box.svg').write_text(SVG)
    (img / 'make_box.py').write_text('# the script that drew box.svg\n')
    _write(chapters, 'basics', 'plots', [
        ('md', '''
         # Plots

         ![A blue box that stands for a layer.](img/box.svg "fig-plots-box")

         {numref}`fig-plots-box` shows a box; {numref}`sec-tensors` had tensors.

         ## A Subsection

         An unlabelled equation is not numbered:

         $$w = 3z$$

         and a labelled one is:

         $$z = 2y$$ (eq-plots-double)

         ![Another box, for {eq}`eq-plots-double`.](img/box.svg "fig-plots-again")
         '''),
        ('code', IMPORTS),
        ('code', 'print("a plot")'),
        ('code', '1 / 0'),          # a recorded error must not stop the build
    ])
    _write(chapters, 'appendix-math', 'algebra', [
        ('md', '# Algebra\n\n$$a + b = b + a$$ (eq-algebra-comm)\n\n'
               'See {eq}`eq-algebra-comm` and {numref}`sec-tensors`.'),
    ])
    if records:
        stream = nbformat.v4.new_output('stream', name='stdout', text='hello, book\n')
        error = nbformat.v4.new_output(
            'error', ename='ZeroDivisionError', evalue='division by zero',
            traceback=['ZeroDivisionError: division by zero'])
        image = nbformat.v4.new_output('display_data', data={
            'image/png': PNG, 'text/plain': '<Figure size 80x80>'})
        record(chapters, 'basics', 'tensors', 'full', [[], [stream]])
        record(chapters, 'basics', 'plots', 'quick', [[], [image], [error]])
    return chapters
