"""The built site in a real browser (headless Chromium), opened from disk.

A sample of pages (front page, API and bibliography pages, the sections with
the most math and the most images, an appendix page, and the search page
with a query) is loaded once; the tests then check that math was typeset by
the bundled MathJax, every image loaded, the console stayed free of errors,
navigation and the notebook links are there (Colab only with a configured,
real repository), and search finds a word and shows section numbers. One
screenshot is kept.
"""
import json
import pathlib
import re
import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]

INSPECT = """
const done = arguments[arguments.length - 1];
const images = () => Promise.all([...document.images].map(img => {
  img.loading = 'eager';
  return img.decode().then(() => null, () => img.getAttribute('src'));
}));
const report = broken => done({
  math: document.querySelectorAll('.math').length,
  typeset: document.querySelectorAll('mjx-container').length,
  raw: [...document.querySelectorAll('.math')]
         .filter(e => !e.querySelector('mjx-container'))
         .map(e => e.textContent.slice(0, 60)),
  tex_errors: [...document.querySelectorAll('mjx-merror')]
         .map(e => e.getAttribute('data-mjx-error') || e.textContent),
  images: document.images.length,
  broken: broken.filter(x => x !== null),
  mathjax_src: [...document.scripts].map(s => s.src).filter(s => /mathjax/i.test(s)),
});
const typeset = (window.MathJax && MathJax.startup && MathJax.startup.promise)
  ? MathJax.startup.promise : Promise.resolve();
typeset.then(images, images).then(report);
"""


def _sample(site):
    """Pages to visit: fixed ones plus the richest sections."""
    pages = [p for p in site.rglob('*.html')
             if p.relative_to(site).parts[0] not in ('_static', 'notebooks')]
    sections = [p for p in pages if len(p.relative_to(site).parts) == 2]
    text = {p: p.read_text(errors='replace') for p in sections}
    by_math = sorted(sections, key=lambda p: -text[p].count('class="math'))
    by_img = sorted(sections, key=lambda p: -len(re.findall(r'<img [^>]*src="(?!.*_static)', text[p])))
    chosen = [site / 'index.html', site / 'api.html', site / 'bibliography.html']
    chosen = [p for p in chosen if p.exists()]
    appendix = [p for p in sections if 'appendix' in p.parent.name][:1]
    for p in by_math[:3] + by_img[:3] + appendix:
        if p not in chosen:
            chosen.append(p)
    return chosen


def _search_word(site):
    """A word of a section title (the richest section's), for search."""
    page = _a_section(site)
    title = re.search(r'<h1>(.*?)<', page.read_text()).group(1)
    words = re.findall(r'[A-Za-z]{5,}', title)
    assert words, title
    return page, words[0].lower()


@pytest.fixture(scope='module')
def visits(site, browser):
    """{relative page path: what the page showed} for the sampled pages."""
    out = {}
    browser.set_window_size(1280, 900)
    browser.get_log('browser')                      # start with an empty log
    _, word = _search_word(site)
    search = (site / 'search.html').as_uri() + f'?q={word}'
    for page in _sample(site) + [search]:
        browser.get(page if isinstance(page, str) else page.as_uri())
        if page is search:                           # let the results come in
            WebDriverWait(browser, 30).until(lambda d: d.execute_script(
                "return document.querySelectorAll('#search-results li').length"))
            time.sleep(1)
            out['search.html'] = {'console': [], 'math': 0, 'typeset': 0, 'raw': [],
                                  'tex_errors': [], 'images': 0, 'broken': [],
                                  'mathjax_src': []}
            out['search.html']['console'] = [
                e['message'] for e in browser.get_log('browser') if e['level'] == 'SEVERE']
            continue
        info = browser.execute_async_script(INSPECT)
        info['console'] = [e['message'] for e in browser.get_log('browser')
                           if e['level'] == 'SEVERE']
        out[str(page.relative_to(site))] = info
    return out


def test_sample_covers_sections_with_math_and_images(visits):
    assert 'index.html' in visits and 'search.html' in visits
    assert sum(v['math'] for v in visits.values()) > 0
    assert sum(v['images'] for v in visits.values()) > 0
    assert len(visits) >= 6


def test_math_is_typeset_by_the_bundled_mathjax(visits):
    for page, v in visits.items():
        if v['math']:
            assert v['typeset'] >= v['math'], f'{page}: untypeset math {v["raw"][:3]}'
            assert not v['raw'], f'{page}: untypeset math {v["raw"][:3]}'
            assert v['mathjax_src'] and all(s.startswith('file://') for s in v['mathjax_src']), \
                f'{page}: MathJax not served from the site: {v["mathjax_src"]}'
    errors = {p: v['tex_errors'] for p, v in visits.items() if v['tex_errors']}
    assert not errors, f'TeX errors: {json.dumps(errors)[:500]}'


def test_every_image_loads(visits):
    broken = {p: v['broken'] for p, v in visits.items() if v['broken']}
    assert not broken, f'images that did not load: {broken}'


def test_no_console_errors(visits):
    errors = {p: v['console'] for p, v in visits.items() if v['console']}
    assert not errors, f'console errors: {json.dumps(errors, indent=1)[:1500]}'


def _a_section(site):
    return max(_sample(site)[1:], key=lambda p: len(p.relative_to(site).parts))


def test_section_page_has_navigation_links_and_copy_buttons(site, browser, artifacts):
    page = _a_section(site)
    browser.get(page.as_uri())
    browser.execute_async_script(INSPECT)
    found = browser.execute_script("""return {
      crumbs: document.querySelectorAll('.bd-breadcrumbs li').length,
      sidebar: document.querySelectorAll('.bd-sidenav a').length,
      prevnext: document.querySelectorAll('.prev-next-area a').length,
      copy: document.querySelectorAll('button.copybtn').length,
      code: document.querySelectorAll('div.cell_input pre').length,
      ipynb: (document.querySelector('a.d2l-download') || {}).href || '',
      colab: (document.querySelector('a.d2l-colab') || {}).href || '',
      title: document.querySelector('article h1').textContent,
    }""")
    assert found['crumbs'] >= 2 and found['sidebar'] > 3 and found['prevnext'] >= 1
    if found['code']:
        assert found['copy'] >= found['code']
    rel = page.relative_to(site).with_suffix('.ipynb').as_posix()
    assert found['ipynb'].endswith('notebooks/' + rel)
    from book import config
    github = config.load(ROOT / 'chapters').github
    if github is None:                   # no repository configured: no button
        assert found['colab'] == ''
    else:
        assert re.fullmatch(r'https://colab\.research\.google\.com/github/' + re.escape(github)
                            + r'/blob/[^/]+/chapters/' + re.escape(rel), found['colab'])
    assert re.match(r'[0-9A-Z]+(\.\d+)*\.? ', found['title']), found['title']
    shot = artifacts / 'section-page.png'
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_search_finds_a_section_word_and_shows_its_number(site, browser):
    page, word = _search_word(site)
    browser.get((site / 'search.html').as_uri() + f'?q={word}')
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#search-results li').length"))
    hits = browser.execute_script(
        "return [...document.querySelectorAll('#search-results li a')]"
        ".map(a => [a.href, a.textContent])")
    rel = page.relative_to(site).as_posix()
    mine = [text for href, text in hits if href.split('#')[0].endswith(rel)]
    assert mine, hits
    number = json.loads((ROOT / '_build' / 'src' / '_book.json').read_text())[
        'numbers'][rel[:-len('.html')]]
    assert mine[0].startswith(f'{number}. '), mine


PLACEHOLDER = re.compile(r'OWNER/REPO|github\.com/(owner|your[-_]?\w*|user(name)?|example)/', re.I)


def test_no_placeholder_repository_anywhere_in_the_site(site):
    pages = [p for p in site.rglob('*.html') if '_static' not in p.parts]
    bad = [str(p.relative_to(site)) for p in pages if PLACEHOLDER.search(p.read_text())]
    assert not bad, f'placeholder repository in {bad[:5]}'
    for link in re.findall(r'href="(https://colab[^"]+)"',
                           '\n'.join(p.read_text() for p in pages)):
        assert not PLACEHOLDER.search(link), link
