"""Tests of tools/build_book.py that need no Sphinx: staging, API page, links.

The sample chapters/ comes from tests/book/samplebook.py; the Sphinx build of
it, the browser and the PDF are tested in tests/book (``make book-test``).
"""
import json
import pathlib
import sys
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
sys.path.insert(0, str(ROOT / 'tests' / 'book'))

import build_book  # noqa: E402
from book import api, links, stage  # noqa: E402
from samplebook import make_book  # noqa: E402


@pytest.fixture
def book(tmp_path):
    chapters = make_book(tmp_path)
    return chapters, tmp_path / 'out' / 'src'


def run_stage(chapters, src, only_chapter=None):
    stager = stage.Stager(src, stage.Book(chapters, only_chapter=only_chapter))
    meta = stager.run(api_page='# API\n')
    stager.prune()
    return stager, meta


def source(nb_path):
    nb = json.loads(nb_path.read_text())
    return [(c['cell_type'], c['source']) for c in nb['cells']]


def test_sections_and_chapters_get_their_labels(book):
    chapters, src = book
    run_stage(chapters, src)
    first = source(src / 'basics' / 'tensors.ipynb')[0][1]
    assert '(sec-tensors)=\n# Tensors' in first
    intro = source(src / 'intro' / 'index.ipynb')[0][1]
    assert '(chap-intro)=\n(sec-index)=\n# Introduction' in intro
    cells = source(src / 'basics' / 'index.ipynb')     # the introduction page
    assert '(chap-basics)=\n# Basics' in cells[0][1]
    assert 'This chapter starts with tensors' in cells[0][1]
    assert cells[-1][1].startswith('```{toctree}')      # then the sections
    appendix = (src / 'appendix-math' / 'index.md').read_text()   # no intro
    assert '(chap-appendix-math)=\n# Mathematics' in appendix


def test_numbers_follow_toc_yml_with_gaps_and_letters(book):
    chapters, src = book
    _, meta = run_stage(chapters, src)
    assert meta['numbers']['basics/tensors'] == '2.1'
    assert meta['numbers']['basics/plots'] == '2.3'        # 2.2 is not written
    assert meta['numbers']['appendix-math/index'] == 'A'
    assert meta['numbers']['appendix-math/algebra'] == 'A.1'
    assert 'empty/index' not in meta['numbers']            # nothing written
    assert tuple(meta['labels']['sec-later']) == ('Section 2.2', None)


def test_latex_counters_match_toc_yml(book):
    chapters, src = book
    run_stage(chapters, src)
    plots = source(src / 'basics' / 'plots.ipynb')[0][1]
    assert '\\setcounter{section}{2}' in plots
    basics = source(src / 'basics' / 'index.ipynb')[0][1]
    assert '\\setcounter{chapter}{1}' in basics
    appendix = (src / 'appendix-math' / 'index.md').read_text()
    assert '\\appendix\\setcounter{chapter}{0}' in appendix
    preface = source(src / 'front' / 'preface.ipynb')[0][1]
    assert '\\frontmatter' in preface


def test_titled_image_becomes_a_numbered_figure(book):
    chapters, src = book
    run_stage(chapters, src)
    md = source(src / 'basics' / 'plots.ipynb')[0][1]
    assert (':::{figure} img/box.svg\n:name: fig-plots-box\n'
            ':alt: A blue box that stands for a layer.\n\n'
            'A blue box that stands for a layer.\n:::') in md
    assert (src / 'basics' / 'img' / 'box.svg').exists()
    assert not (src / 'basics' / 'img' / 'make_box.py').exists()


def test_chapter_and_front_matter_references_are_rewritten(book):
    chapters, src = book
    run_stage(chapters, src)
    intro = source(src / 'intro' / 'index.ipynb')[0][1]
    assert '{numref}`Chapter %s <chap-basics>`' in intro
    assert '{numref}`Appendix %s <chap-appendix-math>`' in intro
    preface = source(src / 'front' / 'preface.ipynb')[0][1]
    assert '{ref}`sec-notation`' in preface             # front matter: no number


def test_front_page_lists_every_entry_and_greys_the_missing(book):
    chapters, src = book
    run_stage(chapters, src)
    front = (src / 'index.md').read_text()
    assert '{doc}`2.1 Tensors </basics/tensors>`' in front
    assert '2.2 Written Later (in preparation)' in front
    assert '3 Empty Chapter (in preparation)' in front
    assert '{doc}`Appendix A Mathematics </appendix-math/index>`' in front
    assert ':numbered: 3' in front


def test_nbval_markers_are_hidden_from_readers(book):
    chapters, src = book
    run_stage(chapters, src)
    code = [s for kind, s in source(src / 'basics' / 'tensors.ipynb') if kind == 'code']
    assert code[-1] == 'print("hello, book")'


def test_restaging_writes_nothing_and_prunes_removed_sections(book):
    chapters, src = book
    run_stage(chapters, src)
    again, _ = run_stage(chapters, src)
    assert again.changed == []
    (chapters / 'basics' / 'plots.md').unlink()
    third, _ = run_stage(chapters, src)
    assert not (src / 'basics' / 'plots.ipynb').exists()
    assert 'basics/plots.ipynb' in third.changed


def test_pages_show_recorded_outputs_and_flag_quick_ones(book):
    chapters, src = book
    stager, _ = run_stage(chapters, src)
    tensors = json.loads((src / 'basics' / 'tensors.ipynb').read_text())
    code = [c for c in tensors['cells'] if c['cell_type'] == 'code']
    assert ''.join(code[1]['outputs'][0]['text']) == 'hello, book\n'   # full record
    assert not any('d2l-quick' in ''.join(c['source']) for c in tensors['cells'])
    plots = source(src / 'basics' / 'plots.ipynb')
    assert plots[1][0] == 'markdown' and ':class: note d2l-quick' in plots[1][1]
    assert 'CPU, 2 cores, x86_64' in plots[1][1]
    assert not any('tensors.md' in w or 'plots.md' in w for w in stager.warnings)


def test_a_stale_record_shows_no_outputs_with_a_warning(book):
    chapters, src = book
    md = chapters / 'basics' / 'tensors.md'
    md.write_text(md.read_text().replace('print("hello, book")', 'print("changed")'))
    stager, _ = run_stage(chapters, src)
    assert any('tensors.md: no fresh run record' in w for w in stager.warnings)
    nb = json.loads((src / 'basics' / 'tensors.ipynb').read_text())
    code = [c for c in nb['cells'] if c['cell_type'] == 'code']
    assert code[1]['source'] == 'print("changed")' and not code[1]['outputs']
    assert 'No run of this section' in nb['cells'][1]['source']
    again, _ = run_stage(chapters, src)
    assert again.changed == []


def test_unreadable_run_records_warn_but_build(book, monkeypatch):
    chapters, src = book

    def broken(section, md_nb=None):
        raise ValueError('bad record')
    monkeypatch.setattr(stage.reader, 'recorded_outputs', broken)
    stager, _ = run_stage(chapters, src)
    assert any('tensors.md: cannot read its run records' in w for w in stager.warnings)
    assert (src / 'basics' / 'tensors.ipynb').exists()


def test_repository_token_is_resolved(book):
    chapters, src = book
    run_stage(chapters, src)
    text = source(src / 'front' / 'preface.ipynb')[0][1]
    assert 'git clone https://github.com/someone/sample-book book' in text
    assert '{{' not in text


def test_missing_image_gets_a_placeholder_and_a_warning(book):
    chapters, src = book
    (chapters / 'basics' / 'img' / 'box.svg').unlink()
    stager, _ = run_stage(chapters, src)
    assert any('img/box.svg does not exist' in w for w in stager.warnings)
    assert 'figure missing: box.svg' in (src / 'basics' / 'img' / 'box.svg').read_text()
    again, _ = run_stage(chapters, src)
    assert again.changed == [] and (src / 'basics' / 'img' / 'box.svg').exists()


def test_one_chapter_stages_alone_and_keeps_its_number(book):
    chapters, src = book
    _, meta = run_stage(chapters, src.with_name('src-basics'), only_chapter='basics')
    assert set(meta['numbers']) == {'basics/index', 'basics/tensors', 'basics/plots'}
    assert meta['labels']['sec-algebra'][1] is None       # outside: plain text
    with pytest.raises(SystemExit, match='no chapter'):
        stage.Book(chapters, only_chapter='nope')


def test_colab_links_name_the_configured_repository(book):
    chapters, src = book
    _, meta = run_stage(chapters, src)
    assert meta['colab']['basics/plots'] == (
        'https://colab.research.google.com/github/someone/sample-book/blob/main/'
        'chapters/basics/plots.ipynb')
    assert meta['notebooks']['intro/index'] == 'chapters/intro/index.ipynb'
    assert meta['zips']['basics'] == 'basics.zip'


def test_no_repository_no_colab_links(tmp_path):
    chapters = make_book(tmp_path, repository=None, records=False)
    _, meta = run_stage(chapters, tmp_path / 'out' / 'src')
    assert set(meta['colab'].values()) == {None}
    text = source(tmp_path / 'out' / 'src' / 'front' / 'preface.ipynb')[0][1]
    assert "from the book's repository." in text
    assert 'git clone <URL of the repository> book' in text


def test_stage_check_mode_reports_drift_and_writes_nothing(book, capsys):
    chapters, src = book
    args = ['stage', '--chapters', str(chapters), '--out', str(src.parent)]
    assert build_book.main(args + ['--check']) == 1
    assert not src.exists()
    assert build_book.main(args) == 0
    assert build_book.main(args + ['--check']) == 0
    assert 'out of date' not in capsys.readouterr().out.split('staged')[-1]


def _fake_d2l():
    mod = types.ModuleType('fake_d2l')

    def add(a, b=1):
        """Add two numbers.

        Defined in Section 2.1 (basics/tensors).
        """
        return a + b

    class Box:
        """A box {with braces}.

        Defined in Section 2.2 (basics/later).
        """

        def __init__(self, size):
            self.size = size

        def grow(self, by):
            """Make the box bigger."""
            return self.size + by

    for obj in (add, Box):
        obj.__module__ = 'fake_d2l'
        setattr(mod, obj.__name__, obj)
    mod.np = object()          # an import, not a public name of the module
    return mod


def test_api_page_lists_signatures_docs_and_defining_sections():
    labels = {'sec-tensors': ('Section 2.1', 'basics/tensors'),
              'sec-later': ('Section 2.2', None)}
    text = api.render(_fake_d2l(), labels)
    assert '````{py:function} add(a, b=1)' in text
    assert 'Defined in {ref}`Section 2.1 <sec-tensors>`.' in text
    assert '`````{py:class} Box(size)' in text
    assert '````{py:method} grow(by)' in text
    assert 'Defined in Section 2.2 (in preparation).' in text
    assert 'A box \\{with braces\\}.' in text
    assert 'np' not in [line.split()[-1] for line in text.splitlines() if 'py:' in line]


def test_link_checker_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / 'a.html').write_text(
        '<a href="b.html#there">ok</a> <a href="b.html#gone">anchor</a> '
        '<img src="img/none.png"> <a href="https://example.org/x">ext</a> '
        '<a href="#self">self</a><p id="self"></p>')
    (tmp_path / 'b.html').write_text('<h1 id="there">B</h1>')
    bad = links.broken_links(tmp_path)
    assert sorted(bad) == [('a.html', 'b.html#gone', 'no anchor #gone'),
                           ('a.html', 'img/none.png', 'no such file')]


def test_api_page_includes_names_reexported_from_plumbing(monkeypatch):
    mod = types.ModuleType('fakepkg.torch')
    hub = types.ModuleType('fakepkg.hub')
    hub.__all__ = ['URL', 'fetch', 'absent']

    def fetch(name):
        """Fetch a file."""

    fetch.__module__ = 'fakepkg.hub'
    mod.URL, mod.fetch = 'https://example.org/', fetch
    monkeypatch.setitem(sys.modules, 'fakepkg.hub', hub)
    text = api.render(mod, {})
    assert '````{py:data} URL' in text and 'A `str`' in text
    assert '````{py:function} fetch(name)' in text
    assert 'Defined in `fakepkg/hub.py` (plumbing that no section teaches).' in text
    assert 'absent' not in text


def test_execute_option_accepts_make_spellings(monkeypatch):
    seen = {}
    monkeypatch.setattr(build_book, 'cmd_html', lambda opts: seen.setdefault('x', opts.execute) and 0)
    for given, mode in [('', 'off'), ('1', 'full'), ('full', 'full'), ('QUICK', 'quick')]:
        seen.clear()
        assert build_book.main(['html', '--execute', given]) == 0
        assert seen['x'] == mode
    with pytest.raises(SystemExit):
        build_book.main(['html', '--execute', 'sometimes'])


def test_deps_check_names_what_is_missing(monkeypatch, tmp_path, capsys):
    from book import deps
    monkeypatch.setattr(deps.shutil, 'which', lambda prog: None)
    monkeypatch.setattr(deps, 'MATHJAX', tmp_path / 'mathjax')
    assert deps.main(check=True) == 1
    out = capsys.readouterr().out
    assert 'missing: program xelatex (Debian: texlive-xetex)' in out
    assert 'missing: program chromedriver (Debian: chromium-driver)' in out
    assert f'missing: MathJax in {tmp_path / "mathjax"}' in out
    assert out.rstrip().endswith('book dependencies: incomplete')
