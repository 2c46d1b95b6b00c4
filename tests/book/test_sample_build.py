"""A full Sphinx build of the sample book (tests/book/samplebook.py).

Checks what the reader sees: numbers from toc.yml (gaps kept, appendix
letters), numbered figures, equations and tables, references to sections
not written yet, author-year citations and bibliography, the chapter
introduction, recorded outputs with quick ones flagged, the reader notebooks
and zips served, and that ``--execute quick`` runs notebooks instead.
"""
import json
import re
import zipfile

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


def test_citations_are_author_year_in_text_and_list(sample):
    _, _, site = sample
    html = page(site, 'basics/tensors.html')
    assert re.search(r'Doe and Roe \(<a [^>]*href="../bibliography.html#[^"]*"[^>]*>2020</a>\)', html)
    body = text(html)
    assert '(Doe and Roe, 2020; Smith et al., 2019)' in body
    bibliography = text(page(site, 'bibliography.html'))
    assert '[Doe and Roe, 2020]' in bibliography and '[Smith et al., 2019]' in bibliography
    assert 'A Small Book on 1/n Things' in bibliography       # no raw $1/n$
    assert '$' not in bibliography.split('Bibliography', 2)[-1]
    assert not re.search(r'\[\d+\]', bibliography)           # no numbered labels


def test_chapter_page_is_the_introduction_then_the_sections(sample):
    _, _, site = sample
    basics = text(page(site, 'basics/index.html'))
    intro = basics.index('This chapter starts with tensors (Section 2.1)')
    listing = basics.index('2.1 Tensors', intro)
    assert intro < listing < basics.index('2.3 Plots', listing)
    assert 'href="../notebooks/basics.zip"' in page(site, 'basics/index.html')


def test_quoted_results_dollars_and_repository_read_as_text(sample):
    _, _, site = sample
    tensors = text(page(site, 'basics/tensors.html'))
    assert 'The run prints hello, book.' in tensors
    intro = text(page(site, 'intro/index.html'))
    assert 'charges $350 for three hours and $250 for two' in intro
    assert 'class="math' not in page(site, 'intro/index.html')
    preface = page(site, 'front/preface.html')
    assert 'https://github.com/someone/sample-book' in preface and '{{' not in preface


def test_quick_outputs_are_flagged_and_full_ones_not(sample):
    _, _, site = sample
    assert 'Quick-mode outputs' in text(page(site, 'basics/plots.html'))
    assert 'Quick-mode outputs' not in text(page(site, 'basics/tensors.html'))


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
    served = nbformat.read(site / 'notebooks' / 'basics' / 'plots.ipynb', as_version=4)
    assert 'jupytext' not in served.metadata                          # a reader notebook
    assert served.cells[0].source.startswith('# 2.3. Plots')
    assert 'data:image/svg+xml;base64,' in served.cells[0].source        # figure embedded
    assert ('https://colab.research.google.com/github/someone/sample-book/blob/'
            'main/chapters/basics/plots.ipynb') in plots
    assert re.search(r'src="../_static/mathjax/tex-chtml.js', plots)
    assert (site / '_static' / 'mathjax' / 'tex-chtml.js').exists()


def test_zips_hold_the_reader_notebooks(sample):
    _, _, site = sample
    with zipfile.ZipFile(site / 'notebooks' / 'basics.zip') as zf:
        assert sorted(zf.namelist()) == ['basics/index.ipynb', 'basics/plots.ipynb',
                                         'basics/tensors.ipynb']
        assert zf.read('basics/plots.ipynb') == \
            (site / 'notebooks' / 'basics' / 'plots.ipynb').read_bytes()
    with zipfile.ZipFile(site / 'notebooks' / 'book.zip') as zf:
        assert 'front/preface.ipynb' in zf.namelist() and len(zf.namelist()) == 7
    assert 'href="notebooks/book.zip"' in page(site, 'index.html')


def test_search_index_titles_carry_section_numbers(sample):
    _, _, site = sample
    index = (site / 'searchindex.js').read_text()
    assert '"2.1. Tensors"' in index and '"A.1. Algebra"' in index


def test_incremental_build_rereads_only_the_changed_page(sample):
    chapters, out, site = sample
    before = {p: p.stat().st_mtime_ns for p in (site / 'basics').glob('*.html')}
    md = chapters / 'basics' / 'plots.md'
    md.write_text(md.read_text().replace('## A Subsection',
                                         'One more sentence.\n\n## A Subsection'))
    args = ['html', '--chapters', str(chapters), '--out', str(out)]
    assert build_book.main(args) == 0
    assert 'One more sentence.' in page(site, 'basics/plots.html')
    staged = json.loads((out / 'src' / '_book.json').read_text())
    assert staged['numbers']['basics/plots'] == '2.3'
    # the page that did not change was not rewritten
    after = site / 'basics' / 'tensors.html'
    assert after.stat().st_mtime_ns == before[after]


def test_execute_quick_runs_the_notebooks(tmp_path):
    chapters = make_book(tmp_path, records=False)
    md = chapters / 'basics' / 'tensors.md'
    md.write_text(md.read_text().replace(
        '# NBVAL_CHECK_OUTPUT\nprint("hello, book")',
        'import os\nprint("quick mode:", os.environ.get("D2L_QUICK"))'))
    out = tmp_path / '_build'
    args = ['html', '--chapters', str(chapters), '--out', str(out),
            '--chapter', 'basics', '--execute', 'quick']
    assert build_book.main(args) == 0
    html = page(out / 'html-basics', 'basics/tensors.html')
    assert 'quick mode: 1' in html and 'Quick-mode outputs' in text(html)


NUMBERED = re.compile(r'(?:Fig\.|Table|Section|Chapter|Appendix) [0-9A-Z]+(?:\.\d+)*|\([0-9A-Z]+\.\d+\.\d+\)')


def test_reader_notebooks_number_things_as_the_site_does(sample):
    _, _, site = sample
    for rel in ('basics/tensors', 'basics/plots', 'appendix-math/algebra', 'intro/index'):
        nb = nbformat.read(site / 'notebooks' / f'{rel}.ipynb', as_version=4)
        prose = ' '.join(c.source for c in nb.cells if c.cell_type == 'markdown')
        prose = prose.replace('**', '').replace('\\tag{', '(')
        html = text(page(site, f'{rel}.html'))
        found = set(NUMBERED.findall(prose))
        assert found, rel
        assert found <= set(NUMBERED.findall(html)), (rel, found - set(NUMBERED.findall(html)))


@pytest.fixture(scope='module')
def sample_pdf(sample):
    """The sample book's PDF, as the text of each page without spaces (the
    extracted text of XeLaTeX output loses many of them)."""
    chapters, out, _ = sample
    assert build_book.main(['pdf', '--chapters', str(chapters), '--out', str(out)]) == 0
    from pypdf import PdfReader
    reader = PdfReader(out / 'pdf' / 'book.pdf')
    return [re.sub(r'\s+', '', p.extract_text()) for p in reader.pages]


def squeeze(text):
    return re.sub(r'\s+', '', text)


def test_pdf_chapter_starts_with_its_introduction(sample_pdf):
    pages = sample_pdf
    start = next(i for i, t in enumerate(pages) if squeeze('CHAPTER TWO BASICS') in t)
    page = pages[start]
    intro = page.index(squeeze('This chapter starts with tensors (Section 2.1)'))
    assert intro < page.index(squeeze('2.1 Tensors Squares obey'))


def test_pdf_numbers_dollars_results_and_author_year_citations(sample_pdf):
    text = ''.join(sample_pdf)
    for expected in ('A plumber charges $350 for three hours and $250 for two.',
                     'The run prints hello, book.', 'argued by Doe and Roe (2020)',
                     '(Doe and Roe, 2020; Smith et al., 2019)',
                     'a + b = b + a (A.1.1) See (A.1.1) and Section 2.1.',
                     'and (2.1.1) is used in Section 2.3', 'Fig. 2.3.2: Another box',
                     '[Doe and Roe, 2020] Jane Doe and Richard Roe. A Small Book on 1/n Things.'):
        assert squeeze(expected) in text, expected
