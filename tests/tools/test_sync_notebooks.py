"""Reader notebooks (tools/sync_notebooks.py, tools/book/reader.py).

The sample book (tests/book/samplebook.py) checks each transformation; the
last tests check every committed reader notebook of the real book: no raw
role, label or unresolved reference, every image embedded, no jupytext
pairing, quick-mode outputs flagged.
"""
import base64
import pathlib
import re
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'book'))

import sync_notebooks  # noqa: E402
import toc  # noqa: E402
from book import bib, config, reader  # noqa: E402
from samplebook import REPOSITORY, SVG, make_book  # noqa: E402

# what must never reach a reader: a MyST role, a target, a label, a token
RAW = re.compile(r'\{(numref|ref|eq|cite(:\w+)?|result|doc|term)\}|^\([\w-]+\)=\s*$|'
                 r'\$\$\s*\((eq|fig|tab)-|"fig-[\w-]+"\)|\{\{\s*repository\s*\}\}|'
                 r'^:::\{|^:name:', re.M)


@pytest.fixture(scope='module')
def book(tmp_path_factory):
    chapters = make_book(tmp_path_factory.mktemp('sample'))
    assert sync_notebooks.main(['--chapters', str(chapters)]) == 0
    return chapters


def read(chapters, rel):
    return nbformat.read(chapters / f'{rel}.ipynb', as_version=4)


def prose(nb):
    return '\n\n'.join(c.source for c in nb.cells if c.cell_type == 'markdown')


def test_references_become_the_numbers_the_site_shows(book):
    text = prose(read(book, 'basics/tensors'))
    assert 'and (2.1.1) is used in Section 2.3.' in text
    assert 'Plots wait for Section 2.2' in text            # not written yet
    assert 'Table 2.1.1 has two numbers.' in text
    assert '**Table 2.1.1** Two numbers.\n\n| a | b |' in text
    assert 'The basics are in Chapter 2; the appendix is Appendix A.' in \
        prose(read(book, 'intro/index'))
    assert 'see Notation.' in prose(read(book, 'front/preface'))
    assert 'See (A.1.1) and Section 2.1.' in prose(read(book, 'appendix-math/algebra'))


def test_dollars_in_prose_and_in_math():
    text = reader._mark_dollars('a \\$5 and $x = \\$3$ and $$\\$ y$$ then \\$7')
    assert text == 'a \x015 and $x = \x023$ and $$\x02 y$$ then \x017'


def test_headings_and_labelled_equations_carry_numbers(book):
    text = prose(read(book, 'basics/plots'))
    assert text.startswith('# 2.3. Plots\n')
    assert '## 2.3.1. A Subsection' in text
    assert '\\begin{equation*}\nz = 2y \\tag{2.3.1}\n\\end{equation*}' in text
    assert '\\begin{equation*}\nw = 3z\n\\end{equation*}' in text   # no number
    assert prose(read(book, 'basics/index')).startswith('# 2. Basics\n')
    assert prose(read(book, 'front/preface')).startswith('# Preface\n')


def test_citations_are_author_year_with_a_reference_list(book):
    nb = read(book, 'basics/tensors')
    text = prose(nb)
    assert 'as argued by Doe and Roe (2020)' in text
    assert '(Doe and Roe, 2020; Smith *et al.*, 2019)' in text
    last = nb.cells[-1].source
    assert last.startswith('## References\n')
    assert ('* *A Small Book on $1/n$ Things*. Jane Doe and Richard Roe '
            '(2020). Nobody.') in last
    assert last.index('Doe') < last.index('Smith')


def test_figures_are_embedded_and_captioned(book):
    cell = read(book, 'basics/plots').cells[0]
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" '
                        r'alt="([^"]*)" style="max-width: 100%"/>', cell.source)
    assert [alt for _, alt in images] == ['A blue box that stands for a layer.',
                                          'Another box, for (2.3.1).']
    assert base64.b64decode(images[0][0]).decode() == SVG
    assert '"/>\n\n**Fig. 2.3.1** A blue box that stands for a layer.' in cell.source
    assert '**Fig. 2.3.2** Another box, for (2.3.1).' in cell.source
    assert 'img/' not in cell.source


def test_results_repository_and_code_are_plain(book):
    text = prose(read(book, 'basics/tensors'))
    assert 'The run prints hello, book.' in text
    assert 'Inline code keeps its roles: `` {numref}`sec-tensors` ``.' in text
    preface = prose(read(book, 'front/preface'))
    assert f'`git clone {REPOSITORY}` from {REPOSITORY}.' in preface
    assert f'git clone {REPOSITORY} book' in preface
    # a dollar sign that no Jupyter math renderer pairs with the next one
    assert 'charges $\\$$350 for three hours and $\\$$250' in prose(read(book, 'intro/index'))
    code = [c.source for c in read(book, 'basics/tensors').cells if c.cell_type == 'code']
    assert code[-1] == 'print("hello, book")'                # nbval marker gone


def test_outputs_come_from_the_best_record_and_quick_ones_are_flagged(book):
    tensors, plots = read(book, 'basics/tensors'), read(book, 'basics/plots')
    out = [c.outputs for c in tensors.cells if c.cell_type == 'code']
    assert out[1][0]['text'] == 'hello, book\n'
    assert tensors.metadata['d2l']['outputs']['mode'] == 'full'
    assert 'Quick-mode' not in prose(tensors)
    assert plots.metadata['d2l']['outputs']['mode'] == 'quick'
    badge = plots.cells[1].source
    assert badge.startswith('> **Quick-mode outputs.**') and 'D2L_QUICK=1' in badge
    kinds = [[o['output_type'] for o in c.outputs] for c in plots.cells
             if c.cell_type == 'code']
    assert kinds == [[], ['display_data'], ['error']]


def test_a_stale_record_is_never_shown(tmp_path):
    chapters = make_book(tmp_path)
    md = chapters / 'basics' / 'plots.md'
    md.write_text(md.read_text().replace('print("a plot")', 'print("changed")'))
    builder = reader.Builder(chapters)
    section = builder.index.section(md)
    nb, problems = builder.build(section)
    assert not problems
    assert all(not c.get('outputs') for c in nb.cells if c.cell_type == 'code')
    assert nb.cells[1].source.startswith('> **Not yet run.**')
    assert nb.metadata['d2l']['outputs'] is None


def test_no_jupytext_pairing_and_chapter_pages_list_sections(book):
    nb = read(book, 'basics/tensors')
    assert 'jupytext' not in nb.metadata
    assert nb.metadata['kernelspec']['name'] == 'python3'
    listing = read(book, 'basics/index').cells[-1].source
    assert listing.splitlines()[2:] == [
        '* [2.1 Tensors](tensors.ipynb)', '* 2.2 Written Later (in preparation)',
        '* [2.3 Plots](plots.ipynb)']
    nbformat.validate(nb)


def test_check_mode_reports_drift_and_is_stable(book, capsys):
    args = ['--chapters', str(book)]
    assert sync_notebooks.main(args + ['--check']) == 0
    md = book / 'basics' / 'tensors.md'
    before = md.read_text()
    md.write_text(before.replace('Squares obey', 'Squares always obey'))
    try:
        assert sync_notebooks.main(args + ['--check']) == 1
        assert 'basics/tensors.ipynb' in capsys.readouterr().err
    finally:
        md.write_text(before)
    assert sync_notebooks.main(args + ['--check']) == 0


def test_problems_are_reported(tmp_path, capsys):
    chapters = make_book(tmp_path)
    md = chapters / 'basics' / 'plots.md'
    md.write_text(md.read_text().replace('{numref}`sec-tensors`', '{numref}`sec-nowhere`')
                  + '\nSee {cite:p}`No.Such.2000` and ![x](img/gone.svg).\n')
    assert sync_notebooks.main(['--chapters', str(chapters)]) == 1
    err = capsys.readouterr().err
    assert "reference to unknown label 'sec-nowhere'" in err
    assert 'No.Such.2000 not in references.bib' in err
    assert 'image img/gone.svg does not exist' in err


def test_site_links_when_a_site_is_configured(tmp_path):
    chapters = make_book(tmp_path, site='https://someone.github.io/book/')
    builder = reader.Builder(chapters)
    nb, _ = builder.build(builder.index.section(chapters / 'basics' / 'tensors.md'))
    text = prose(nb)
    assert '[Section 2.3](https://someone.github.io/book/basics/plots.html)' in text
    assert '[(2.1.1)](https://someone.github.io/book/basics/tensors.html' \
           '#equation-eq-tensors-square)' in text
    assert 'Plots wait for Section 2.2,' in text            # unwritten: no link


def test_header_is_added_once(tmp_path):
    md = tmp_path / 'sec.md'
    md.write_text('# A section\n\nProse.\n\n```python\nx = 40 + 2\n```\n')
    assert sync_notebooks.header_fixed(md)
    assert md.read_text().startswith('---\njupyter:')
    assert 'formats' not in md.read_text()                # never paired
    assert not sync_notebooks.header_fixed(md)


@pytest.mark.parametrize('url', ['https://github.com/OWNER/REPO',
                                 'https://example.com/x', 'github.com/a/b',
                                 'https://gitlab.com/a/b'])
def test_placeholder_or_bad_repository_is_refused(tmp_path, url):
    (tmp_path / 'chapters').mkdir()
    (tmp_path / 'pyproject.toml').write_text(f'[project.urls]\nRepository = "{url}"\n')
    with pytest.raises(config.ConfigError):
        config.load(tmp_path / 'chapters')


def test_no_repository_means_no_colab_and_a_neutral_phrase(tmp_path):
    (tmp_path / 'chapters').mkdir()
    cfg = config.load(tmp_path / 'chapters')
    assert cfg.colab_url('chapters/a/b.ipynb') is None
    assert cfg.repository_text() == "the book's repository"
    ok = config.Config('https://github.com/a/b', None, 'dev')
    assert ok.colab_url('chapters/x.ipynb') == \
        'https://colab.research.google.com/github/a/b/blob/dev/chapters/x.ipynb'


def test_bibtex_names_and_accents():
    entries = bib.parse('@article{K, author = {Sch{\\"o}lkopf, Bernhard and '
                        'de Freitas, Nando and Hoane, Jr., A. Joseph and others},'
                        ' title = {On {$1/n$} \\& {\\L}ukasz}, year = 2001}')
    e = entries['K']
    assert [a[1] for a in e.authors()] == ['Schölkopf', 'de Freitas', 'Hoane', 'others']
    assert e.short_authors() == 'Schölkopf *et al.*'
    assert bib.detex(e.fields['title']) == 'On $1/n$ & Łukasz'
    assert bib.detex(e.fields['title'], math=False) == 'On 1/n & Łukasz'
    assert 'A. Joseph Hoane, Jr.' in e.reference()


# -- the real book's committed reader notebooks ---------------------------------

def committed():
    return [s for s in toc.sections(only_existing=True) if s.ipynb.exists()]


def test_every_section_has_a_reader_notebook():
    missing = [s.describe() for s in toc.sections(only_existing=True)
               if not s.ipynb.exists()]
    assert not missing, f'no reader notebook (run make sync): {missing}'


@pytest.mark.parametrize('section', committed(), ids=lambda s: f'{s.chapter}/{s.slug}')
def test_committed_reader_notebook_reads_without_the_book_build(section):
    nb = nbformat.reads(section.ipynb.read_text(), as_version=4)
    assert 'jupytext' not in nb.metadata, 'paired with its .md (run make sync)'
    text = prose(nb)
    shown, _ = reader.protect(text)        # code may show the syntax itself
    raw = [m.group() for m in RAW.finditer(shown)]
    assert not raw, f'raw MyST left for readers: {raw[:5]}'
    images = re.findall(r'!\[[^\]]*\]\(([^)\s]+)|<img [^>]*src="([^"]*)"', text)
    for src in (a or b for a, b in images):
        assert src.startswith('data:image/'), f'image not embedded: {src[:60]}'
    if section.number:
        assert re.match(rf'# {re.escape(section.number)}\. ', text), text[:80]
    outputs = (nb.metadata.get('d2l') or {}).get('outputs') or {}
    if outputs.get('mode') == 'quick':
        assert '**Quick-mode outputs.**' in text


def test_citations_by_the_same_authors_share_one_name():
    entries = bib.parse(
        '@article{A1, author = {Vapnik, V. and Chervonenkis, A.}, year = 1964}'
        '@article{A2, author = {Vapnik, V. and Chervonenkis, A.}, year = 1968}'
        '@article{B, author = {Smith, S.}, year = 1970}')
    assert bib.cite(entries, ['A1', 'A2', 'B'], textual=False) == \
        '(Vapnik and Chervonenkis, 1964, 1968; Smith, 1970)'
    assert bib.cite(entries, ['A1', 'A2'], textual=True) == \
        'Vapnik and Chervonenkis (1964, 1968)'


def test_a_long_title_is_cut_at_a_word_boundary():
    title = 'word ' * 30
    entries = bib.parse('@article{L, author = {Doe, J.}, title = {%s}, '
                        'year = 2000}' % title.strip())
    line = entries['L'].reference()
    shown = line.split('*')[1]
    assert shown.endswith(' …') and len(shown) <= 92
    assert shown.startswith('word word')
