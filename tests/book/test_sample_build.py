"""A full Sphinx build of the sample book (tests/book/samplebook.py).

Checks what the reader sees: numbers from toc.yml (gaps kept, appendix
letters), numbered figures, equations and tables, references to sections
not written yet, citations and the bibliography, the notebook links, and
that ``--execute quick`` runs notebooks instead of showing their outputs.
"""
import json
import re

import nbformat
import pytest

import build_book
from samplebook import make_book


@pytest.fixture(scope='module')
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp('sample')
    chapters = make_book(root)
    out = root / '_build'
    assert build_book.main(['html', '--chapters', str(chapters), '--out', str(out)]) == 0
    return chapters, out, out / 'html'


def page(site, rel):
    return (site / rel).read_text()


def text(html):
    return re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', '', html))


def test_titles_carry_toc_yml_numbers(sample):
    _, _, site = sample
    assert '2.1. Tensors' in text(page(site, 'basics/tensors.html'))
    assert '2.3. Plots' in text(page(site, 'basics/plots.html'))       # 2.2 unwritten
    assert '2.3.1. A Subsection' in text(page(site, 'basics/plots.html'))
    assert 'A.1. Algebra' in text(page(site, 'appendix-math/algebra.html'))
    assert 'A. Mathematics' in text(page(site, 'appendix-math/index.html'))


def test_figures_equations_tables_are_numbered_and_referenced(sample):
    _, _, site = sample
    plots = text(page(site, 'basics/plots.html'))
    assert 'Fig. 2.3.1 A blue box that stands for a layer.' in plots
    assert 'Fig. 2.3.1 shows a box' in plots
    assert '(2.3.1)' in plots
    tensors = text(page(site, 'basics/tensors.html'))
    assert '(2.1.1)' in tensors and 'Table 2.1.1 Two numbers.' in tensors
    assert 'Table 2.1.1 has two numbers' in tensors
    assert 'Section 2.3' in tensors
    assert '(A.1.1)' in text(page(site, 'appendix-math/algebra.html'))


def test_references_to_unwritten_sections_are_plain_text(sample):
    _, _, site = sample
    html = page(site, 'basics/tensors.html')
    assert '<span class="d2l-not-written">Section 2.2</span>' in html


def test_chapter_and_front_matter_references(sample):
    _, _, site = sample
    intro = text(page(site, 'intro/index.html'))
    assert 'The basics are in Chapter 2' in intro and 'the appendix is Appendix A' in intro
    assert 'see Notation' in text(page(site, 'front/preface.html'))


def test_citation_links_to_the_bibliography(sample):
    _, _, site = sample
    html = page(site, 'basics/tensors.html')
    assert re.search(r'Doe and Roe \[<a [^>]*href="../bibliography.html#', html)
    assert 'A Small Book' in page(site, 'bibliography.html')


def test_front_page_lists_the_book_and_greys_what_is_missing(sample):
    _, _, site = sample
    front = text(page(site, 'index.html'))
    for entry in ('Preface', '1 Introduction', '2.1 Tensors',
                  '2.2 Written Later (in preparation)', '2.3 Plots',
                  '3 Empty Chapter (in preparation)', 'Appendix A Mathematics',
                  'A.1 Algebra', 'Bibliography', 'The d2l API reference'):
        assert entry in front, entry


def test_outputs_links_and_offline_assets(sample):
    chapters, _, site = sample
    plots = page(site, 'basics/plots.html')
    assert re.search(r'<img [^>]*src="../_images/', plots)            # the PNG output
    assert 'hello, book' in page(site, 'basics/tensors.html')
    assert 'ZeroDivisionError: division by zero' in text(plots)       # shown, not fatal
    assert 'NBVAL' not in page(site, 'basics/tensors.html')
    assert 'href="../notebooks/basics/plots.ipynb"' in plots
    assert (site / 'notebooks' / 'basics' / 'plots.ipynb').read_bytes() == \
        (chapters / 'basics' / 'plots.ipynb').read_bytes()
    assert 'chapters/basics/plots.ipynb' in plots                      # Colab link
    assert re.search(r'src="../_static/mathjax/tex-chtml.js', plots)
    assert (site / '_static' / 'mathjax' / 'tex-chtml.js').exists()


def test_incremental_build_rereads_only_the_changed_page(sample):
    chapters, out, site = sample
    before = {p: p.stat().st_mtime_ns for p in (site / 'basics').glob('*.html')}
    nb = nbformat.read(chapters / 'basics' / 'plots.ipynb', as_version=4)
    nb.cells[0].source += '\n\nOne more sentence.'
    nbformat.write(nb, chapters / 'basics' / 'plots.ipynb')
    args = ['html', '--chapters', str(chapters), '--out', str(out)]
    assert build_book.main(args) == 0
    assert 'One more sentence.' in page(site, 'basics/plots.html')
    staged = json.loads((out / 'src' / '_book.json').read_text())
    assert staged['numbers']['basics/plots'] == '2.3'
    # the page that did not change was not rewritten
    after = site / 'basics' / 'tensors.html'
    assert after.stat().st_mtime_ns == before[after]


def test_execute_quick_runs_the_notebooks(tmp_path):
    chapters = make_book(tmp_path)
    nb_path = chapters / 'basics' / 'tensors.ipynb'
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[-1].source = 'import os\nprint("quick mode:", os.environ.get("D2L_QUICK"))'
    nb.cells[-1].outputs = []
    nbformat.write(nb, nb_path)
    out = tmp_path / '_build'
    args = ['html', '--chapters', str(chapters), '--out', str(out),
            '--chapter', 'basics', '--execute', 'quick']
    assert build_book.main(args) == 0
    assert 'quick mode: 1' in page(out / 'html-basics', 'basics/tensors.html')
