"""Check every internal link of the built site: files exist, anchors exist.

Usage: ``python tools/book/links.py [_build/html]`` prints each broken link
(page, link, reason) and exits 1 if there is any. External links
(http, mailto, ...) are not followed: the site must work offline, so only
what it links inside itself is checked.
"""
import html.parser
import pathlib
import sys
import urllib.parse

SKIP_SCHEMES = ('http:', 'https:', 'mailto:', 'data:', 'javascript:', 'tel:')
LINK_ATTRS = {'a': 'href', 'link': 'href', 'img': 'src', 'script': 'src',
              'source': 'src', 'iframe': 'src'}


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ('id', 'name') if tag == 'a' else ('id',):
            if attrs.get(key):
                self.ids.add(attrs[key])
        attr = LINK_ATTRS.get(tag)
        if attr and attrs.get(attr):
            self.links.append(attrs[attr])


def _parse(path, cache):
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(errors='replace'))
        cache[path] = page
    return cache[path]


def pages(site):
    """The site's pages (not the template fragments themes leave in _static)."""
    site = pathlib.Path(site).resolve()
    return sorted(p for p in site.rglob('*.html')
                  if p.relative_to(site).parts[0] != '_static')


def broken_links(site):
    """[(page, link, reason)] for every internal link that does not resolve."""
    site = pathlib.Path(site).resolve()
    cache, out = {}, []
    for page_path in pages(site):
        page = _parse(page_path, cache)
        for link in page.links:
            if link.startswith(SKIP_SCHEMES) or link.startswith('//'):
                continue
            parts = urllib.parse.urlsplit(link)
            if parts.scheme:
                continue
            rel = page_path.relative_to(site)
            target = (page_path.parent / urllib.parse.unquote(parts.path)).resolve() \
                if parts.path else page_path
            if target.is_dir():
                target = target / 'index.html'
            if not target.exists():
                out.append((str(rel), link, 'no such file'))
                continue
            if not target.is_relative_to(site):
                out.append((str(rel), link, 'points outside the site'))
                continue
            frag = urllib.parse.unquote(parts.fragment)
            if frag and target.suffix == '.html':
                if frag not in _parse(target, cache).ids:
                    out.append((str(rel), link, f'no anchor #{frag}'))
    return out


def main(argv):
    site = argv[0] if argv else str(pathlib.Path(__file__).resolve().parents[2]
                                      / '_build' / 'html')
    bad = broken_links(site)
    for page, link, why in bad:
        print(f'{page}: {link}: {why}')
    print(f'{len(pages(site))} pages, {len(bad)} broken internal link(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
