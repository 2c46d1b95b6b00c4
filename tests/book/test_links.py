"""Every internal link of the built site resolves (file and anchor)."""
import re
import sys
import pathlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / 'tools'))
from book import links  # noqa: E402


def test_no_broken_internal_link(site):
    bad = links.broken_links(site)
    assert not bad, '\n'.join(f'{p}: {link} ({why})' for p, link, why in bad[:40])


def test_every_written_section_has_a_page_and_its_notebook(site):
    import toc
    written = [s for s in toc.sections() if s.ipynb.exists()]
    assert written
    for s in written:
        assert (site / s.chapter / f'{s.slug}.html').exists(), s.describe()
        assert (site / 'notebooks' / s.chapter / f'{s.slug}.ipynb').exists(), s.describe()
    for page in ('index.html', 'search.html', 'genindex.html', 'api.html'):
        assert (site / page).exists(), page


NUMBERED = re.compile(r'(?:Fig\.|Table|Section|Chapter|Appendix) [0-9A-Z]+(?:\.\d+)*'
                      r'|\([0-9A-Z]+\.\d+\.\d+\)')


def test_reader_notebooks_number_things_as_their_pages_do(site):
    """Every number a served reader notebook shows is on its site page too."""
    import nbformat
    checked = 0
    for nb_path in sorted((site / 'notebooks').rglob('*.ipynb')):
        rel = nb_path.relative_to(site / 'notebooks').with_suffix('.html')
        nb = nbformat.read(nb_path, as_version=4)
        prose = ' '.join(c.source for c in nb.cells if c.cell_type == 'markdown')
        prose = re.sub(r'\\tag\{([^}]*)\}', r'(\1)', prose.replace('**', ''))
        html = re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', '', (site / rel).read_text()))
        missing = set(NUMBERED.findall(prose)) - set(NUMBERED.findall(html))
        assert not missing, f'{rel}: the notebook shows {sorted(missing)[:5]}, the page does not'
        checked += bool(NUMBERED.search(prose))
    assert checked >= 10
