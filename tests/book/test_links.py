"""Every internal link of the built site resolves (file and anchor)."""
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
