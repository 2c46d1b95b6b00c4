"""Sphinx extension of the book build.

* Numbers from toc.yml: Sphinx numbers chapters and sections by position in
  the toctree, which is wrong while sections are missing and cannot give
  appendix letters. After Sphinx assigns section numbers, each page's number
  prefix is replaced by the one in ``_book.json`` (from toc.yml); figure,
  table and equation numbers are derived from those, so they follow.
* References to sections or chapters that toc.yml lists but nobody wrote yet
  resolve to plain text ("Section 5.3") instead of a warning.
* Each notebook page gets a "Download .ipynb" link to its reader notebook
  (``notebooks/<chapter>/<section>.ipynb``, written with the per-chapter and
  whole-book zips by ``tools/build_book.py`` after Sphinx), chapter pages and
  the front page a zip link, and, when a repository is configured, an "Open
  in Colab" link (template ``d2l-links.html``).
* ``{result}`0.821``` (a number quoted from a run, checked by the tests)
  reads as its plain text.
* Search results carry section numbers ("3.4. Linear Regression ..."), and
  the search page fetches no page summaries, so it works from disk.
"""
import json
import pathlib

from docutils import nodes
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinx.search import IndexBuilder
from sphinx.util import logging

log = logging.getLogger(__name__)
_ORIG_ASSIGN = TocTreeCollector.assign_section_numbers
_ORIG_FEED = IndexBuilder.feed


def _meta(env):
    cache = getattr(env, '_d2l_meta', None)
    path = pathlib.Path(env.srcdir) / '_book.json'
    stamp = path.stat().st_mtime_ns if path.exists() else None
    if cache is None or cache[0] != stamp:
        data = json.loads(path.read_text()) if path.exists() else {}
        cache = (stamp, data)
        env._d2l_meta = cache
    return cache[1]


def _as_tuple(number):
    return tuple(int(p) if p.isdigit() else p for p in number.split('.'))


def assign_section_numbers(self, env):
    """Sphinx's numbering, with each page's prefix replaced by toc.yml's."""
    old = env.toc_secnumbers
    _ORIG_ASSIGN(self, env)
    numbers = _meta(env).get('numbers', {})
    for doc, secnums in env.toc_secnumbers.items():
        if doc not in numbers or '' not in secnums or not secnums['']:
            continue
        have, want = secnums[''], _as_tuple(numbers[doc])
        if have == want:
            continue
        n = len(have)
        for anchor, num in list(secnums.items()):
            if num[:n] == have:
                secnums[anchor] = want + num[n:]
    # the toc nodes and page titles carry the numbers the navigation shows
    for doc, secnums in env.toc_secnumbers.items():
        toc = env.tocs.get(doc)
        if toc is not None:
            for ref in toc.findall(nodes.reference):
                if ref.get('secnumber') and ref.get('anchorname') in secnums:
                    ref['secnumber'] = list(secnums[ref['anchorname']])
        title = env.titles.get(doc)
        if title is not None and title.get('secnumber') and '' in secnums:
            title['secnumber'] = list(secnums[''])
    return [d for d in env.toc_secnumbers if env.toc_secnumbers[d] != old.get(d)]


def missing_reference(app, env, node, contnode):
    """Resolve a reference to a toc.yml section that has no page yet."""
    if node.get('refdomain') != 'std' or node.get('reftype') not in ('ref', 'numref'):
        return None
    target = node.get('reftarget', '')
    labels = _meta(env).get('labels', {})
    if target not in labels:
        return None
    text, doc = labels[target]
    if doc is not None:
        return None          # the page exists: a real missing label, let Sphinx warn
    if node.get('reftype') == 'ref' and contnode.astext() != target:
        text = contnode.astext()
    return nodes.inline(text, text, classes=['d2l-not-written'])


def page_context(app, pagename, templatename, context, doctree):
    meta = _meta(app.env)
    nb = meta.get('notebooks', {}).get(pagename)
    depth = pagename.count('/')
    up = '../' * depth
    if nb:
        context['d2l_ipynb'] = up + 'notebooks/' + nb.split('/', 1)[1]
        context['d2l_colab'] = meta.get('colab', {}).get(pagename)
    chapter = pagename.split('/')[0]
    if pagename.endswith('/index') and chapter in meta.get('zips', {}):
        context['d2l_zip'] = up + 'notebooks/' + meta['zips'][chapter]
        context['d2l_zip_title'] = 'Download this chapter\'s notebooks (.zip)'
    elif pagename == 'index' and meta.get('zips'):
        context['d2l_zip'] = 'notebooks/book.zip'
        context['d2l_zip_title'] = 'Download every notebook of the book (.zip)'


def result_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{result}`0.821`: a number quoted from a run, shown as plain text."""
    return [nodes.Text(text)], []


def feed(self, docname, filename, title, doctree):
    """Index a page under its numbered title ("3.4. Linear Regression")."""
    number = getattr(self, '_d2l_numbers', {}).get(docname)
    if number and title and not title.startswith(number):
        title = f'{number}. {title}'
    return _ORIG_FEED(self, docname, filename, title, doctree)


def number_search_titles(app, env):
    IndexBuilder._d2l_numbers = _meta(env).get('numbers', {})


def bib_in_srcdir(app, config):
    """The staged references.bib (sphinxcontrib-bibtex reads paths from confdir)."""
    config.bibtex_bibfiles = [str(pathlib.Path(app.srcdir) / 'references.bib')]


def setup(app):
    app.connect('config-inited', bib_in_srcdir)
    TocTreeCollector.assign_section_numbers = assign_section_numbers
    app.connect('missing-reference', missing_reference)
    app.connect('html-page-context', page_context)
    app.add_role('result', result_role)
    IndexBuilder.feed = feed
    app.connect('env-updated', number_search_titles)
    return {'parallel_read_safe': True, 'parallel_write_safe': True,
            'env_version': 1}
