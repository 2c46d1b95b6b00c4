"""The site's layout, measured in headless Chromium at 1280 px and 400 px.

On a section with a long title and breadcrumbs, a chapter page, the front
page and the search page: the article header (sidebar toggle, breadcrumbs,
notebook buttons) is one row inside the theme's 48 px sticky bar, before and
after scrolling; nothing in it reaches into the article; the page never
scrolls sideways (checked on every page at 400 px); a code line of the
lint's 79 characters fits its block at 1280 px (every page); and every SVG figure
fits the text column with its smallest text still at least 7 px on screen. Screenshots of each width go to
_build/test-artifacts.
"""
import re
import time

import pytest

WIDTHS = [1280, 400]
HEADER_MAX = 48.5        # px: the sticky article bar of sphinx-book-theme

MEASURE = r"""
const header = document.querySelector('.bd-header-article');
const h = header.getBoundingClientRect();
const visible = e => {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
};
// what the reader sees: controls, icons and text, clipped by overflow:hidden
const items = [...header.querySelectorAll('a, button, li, i, svg, span')]
  .filter(visible).filter(e => !e.closest('.dropdown-menu'));
const clipped = e => {
  let r = e.getBoundingClientRect();
  for (let p = e.parentElement; p && p !== header; p = p.parentElement) {
    if (getComputedStyle(p).overflow !== 'visible') {
      const q = p.getBoundingClientRect();
      r = {left: Math.max(r.left, q.left), right: Math.min(r.right, q.right),
           top: Math.max(r.top, q.top), bottom: Math.min(r.bottom, q.bottom)};
    }
  }
  return r;
};
const outside = items.map(e => [e, clipped(e)])
  .filter(([e, r]) => r.right > r.left && r.bottom > r.top)
  .filter(([e, r]) => r.top < h.top - 0.5 || r.bottom > h.bottom + 0.5 ||
                      r.left < -0.5 || r.right > innerWidth + 0.5)
  .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.top)}-${Math.round(r.bottom)}`
                   + ` x ${Math.round(r.left)}-${Math.round(r.right)}`);
const title = document.querySelector('article h1, .bd-article h1');
const toggle = header.querySelector('.primary-toggle');
return {
  height: h.height, top: h.top, bottom: h.bottom, outside: outside,
  scroll: document.documentElement.scrollWidth, width: innerWidth,
  title_top: title ? title.getBoundingClientRect().top : null,
  toggle: toggle && visible(toggle) ? (() => { const r = toggle.getBoundingClientRect();
      return [r.top, r.bottom, r.left, r.right]; })() : null,
  crumbs: [...header.querySelectorAll('.bd-breadcrumbs li')].filter(visible).length,
};
"""

FIGURES = r"""
const column = document.querySelector('.bd-article').getBoundingClientRect();
return [...document.querySelectorAll('.bd-article img')]
  .filter(img => /\.svg($|\?)/.test(img.getAttribute('src') || ''))
  .map(img => { const r = img.getBoundingClientRect();
    return {src: img.getAttribute('src'), width: r.width, natural: img.naturalWidth,
            left: r.left, right: r.right, col_left: column.left, col_right: column.right}; });
"""


def _pages(site):
    section = max((p for p in site.glob('*/*.html')
                   if p.parent.name not in ('_static', 'notebooks')),
                  key=lambda p: len(re.search(r'<h1>(.*?)<', p.read_text() + '<h1><').group(1)))
    chapter = section.parent / 'index.html'
    figures = max((p for p in site.glob('*/*.html') if p.parent.name != '_static'),
                  key=lambda p: p.read_text().count('.svg"'))
    return {'section': section, 'chapter': chapter, 'figures': figures,
            'front': site / 'index.html', 'search': site / 'search.html'}


@pytest.fixture(scope='module')
def measured(site, browser, artifacts):
    """{(width, page, scrolled): measurement} over the pages and widths."""
    out = {}
    for width in WIDTHS:
        browser.set_window_size(width, 900)
        for name, page in _pages(site).items():
            browser.get(page.as_uri())
            time.sleep(0.5)
            out[width, name, False] = browser.execute_script(MEASURE)
            if name == 'section':
                browser.save_screenshot(str(artifacts / f'layout-{width}.png'))
            browser.execute_script('window.scrollTo(0, 700)')
            time.sleep(0.3)
            out[width, name, True] = browser.execute_script(MEASURE)
            if name == 'figures':
                out[width, name, 'figures'] = browser.execute_script(FIGURES)
    browser.set_window_size(1280, 900)
    return out


@pytest.mark.parametrize('width', WIDTHS)
def test_header_is_one_row_inside_the_sticky_bar(measured, width):
    for (w, name, scrolled), m in measured.items():
        if w != width or scrolled == 'figures':
            continue
        where = f'{name} at {width} px{" scrolled" if scrolled else ""}'
        assert m['height'] <= HEADER_MAX, f'{where}: header is {m["height"]:.0f} px tall'
        assert not m['outside'], f'{where}: outside the header: {m["outside"][:4]}'
        assert m['toggle'], f'{where}: no sidebar toggle'
        top, bottom, left, right = m['toggle']
        assert m['top'] - 0.5 <= top and bottom <= m['bottom'] + 0.5 and left >= -0.5
        if name in ('section', 'chapter'):
            assert m['crumbs'] >= 2, f'{where}: breadcrumbs missing'
        if scrolled:
            assert abs(m['top']) <= 0.5 or m['top'] >= 0, f'{where}: header not sticky'


@pytest.mark.parametrize('width', WIDTHS)
def test_nothing_overlaps_the_article_and_no_sideways_scroll(measured, width):
    for (w, name, scrolled), m in measured.items():
        if w != width or scrolled is not False:
            continue
        assert m['scroll'] <= m['width'], \
            f'{name} at {width} px scrolls sideways ({m["scroll"]} > {m["width"]})'
        if m['title_top'] is not None:
            assert m['title_top'] >= m['bottom'] - 0.5, \
                f'{name} at {width} px: the title starts under the header'


@pytest.mark.parametrize('width', WIDTHS)
def test_svg_figures_fit_the_column_with_legible_text(measured, site, width):
    figures = measured[width, 'figures', 'figures']
    assert figures, 'no SVG figure on the page with the most figures'
    page = _pages(site)['figures']
    for f in figures:
        assert f['right'] <= f['col_right'] + 1 and f['left'] >= f['col_left'] - 1, \
            f'{f["src"]} is wider than the column at {width} px'
        svg = (page.parent / f['src']).resolve()
        sizes = [float(x) for x in re.findall(r'font-size[:=]\s*"?([\d.]+)(?:px)?', svg.read_text())]
        if sizes and f['natural']:
            smallest = min(sizes) * f['width'] / f['natural']
            assert smallest >= 7, f'{svg.name}: text {smallest:.1f} px at {width} px'


def test_no_page_of_the_book_scrolls_sideways_at_400_px(site, browser):
    """Every page, not only the sampled ones: long inline code, headings and
    captions must wrap or scroll inside the column."""
    browser.set_window_size(400, 900)
    wide = []
    try:
        for page in sorted(site.glob('*/*.html')):
            if page.parent.name in ('_static', 'notebooks'):
                continue
            browser.get(page.as_uri())
            scroll, width = browser.execute_script(
                'return [document.documentElement.scrollWidth,'
                ' document.documentElement.clientWidth]')
            if scroll > width:
                wide.append(f'{page.relative_to(site)} ({scroll} > {width})')
    finally:
        browser.set_window_size(1280, 900)
    assert not wide, 'pages that scroll sideways at 400 px: ' + ', '.join(wide)


CODE_SCROLLS = r"""
return [...document.querySelectorAll('div.cell_input pre, div.highlight pre')]
  .filter(p => p.scrollWidth > p.clientWidth + 1)
  .map(p => p.innerText.split('\n').reduce((a, l) => l.length > a.length ? l : a, ''));
"""


def test_code_lines_the_lint_allows_fit_the_column_at_1280_px(site, browser):
    """A 79-character code line (the lint's limit) fits its block without
    scrolling on a 1280 px screen, on every page: trailing shape comments
    stay visible."""
    browser.set_window_size(1280, 900)
    wide = []
    for page in sorted(site.glob('*/*.html')):
        if page.parent.name in ('_static', 'notebooks'):
            continue
        browser.get(page.as_uri())
        wide += [f'{page.relative_to(site)}: {line!r} ({len(line)} chars)'
                 for line in browser.execute_script(CODE_SCROLLS)
                 if len(line) <= 79]
    assert not wide, 'code blocks that scroll at 1280 px: ' + '; '.join(wide)
