"""A throwaway chapters/ folder for the book-build tests.

It has what the real book has, in miniature: front matter, a chapter whose
page is its own notebook, a chapter with a section not written yet (so
numbers have a gap), an unwritten chapter, an appendix, a figure, labelled
equations, a table, a citation, and code cells with text and image outputs.
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
  title = {A Small Book},
  publisher = {Nobody},
  year = {2020}
}
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
    for kind, src, *outputs in cells:
        if kind == 'md':
            nb.cells.append(nbformat.v4.new_markdown_cell(textwrap.dedent(src).strip()))
        else:
            cell = nbformat.v4.new_code_cell(src, execution_count=1)
            cell.outputs = outputs[0] if outputs else []
            nb.cells.append(cell)
    return nb


def _write(chapters, chapter, slug, nb):
    folder = chapters / chapter
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f'{slug}.ipynb')
    jupytext.write(nb, folder / f'{slug}.md', fmt='md')


def make_book(root):
    """Write the sample chapters/ under `root`; return its path."""
    chapters = pathlib.Path(root) / 'chapters'
    chapters.mkdir(parents=True)
    (chapters / 'toc.yml').write_text(TOC)
    (chapters / 'references.bib').write_text(BIB)
    stream = nbformat.v4.new_output('stream', name='stdout', text='hello, book\n')
    error = nbformat.v4.new_output('error', ename='ZeroDivisionError',
                                   evalue='division by zero',
                                   traceback=['ZeroDivisionError: division by zero'])
    image = nbformat.v4.new_output('display_data', data={
        'image/png': PNG, 'text/plain': '<Figure size 80x80>'})

    _write(chapters, 'front', 'preface', _nb([
        ('md', '# Preface\n\nThis sample book is read by tests; see {numref}`sec-notation`.')]))
    _write(chapters, 'front', 'notation', _nb([
        ('md', '# Notation\n\nA vector is $\\mathbf{x}$.')]))
    _write(chapters, 'intro', 'index', _nb([
        ('md', '# Introduction\n\nThe basics are in {numref}`chap-basics`; '
               'the appendix is {numref}`chap-appendix-math`.')]))
    _write(chapters, 'basics', 'tensors', _nb([
        ('md', '''
         # Tensors

         Squares obey

         $$y = x^2$$ (eq-tensors-square)

         and {eq}`eq-tensors-square` is used in {numref}`sec-plots`.
         Plots wait for {numref}`sec-later`, as argued by {cite:t}`Doe.Roe.2020`.

         :::{table} Two numbers.
         :name: tab-tensors-two
         | a | b |
         |---|---|
         | 1 | 2 |
         :::

         {numref}`tab-tensors-two` has two numbers.
         '''),
        ('code', IMPORTS),
        ('code', '# NBVAL_CHECK_OUTPUT\nprint("hello, book")', [stream]),
    ]))
    img = chapters / 'basics' / 'img'
    img.mkdir(parents=True, exist_ok=True)
    (img / 'box.svg').write_text(SVG)
    (img / 'make_box.py').write_text('# the script that drew box.svg\n')
    _write(chapters, 'basics', 'plots', _nb([
        ('md', '''
         # Plots

         ![A blue box that stands for a layer.](img/box.svg "fig-plots-box")

         {numref}`fig-plots-box` shows a box; {numref}`sec-tensors` had tensors.

         ## A Subsection

         $$z = 2y$$ (eq-plots-double)
         '''),
        ('code', IMPORTS),
        ('code', 'print("a plot")', [image]),
        ('code', '1 / 0', [error]),          # a committed error must not stop the build
    ]))
    _write(chapters, 'appendix-math', 'algebra', _nb([
        ('md', '# Algebra\n\n$$a + b = b + a$$ (eq-algebra-comm)\n\n'
               'See {eq}`eq-algebra-comm` and {numref}`sec-tensors`.'),
    ]))
    return chapters
