"""The book build: a Sphinx source tree staged from chapters/, then HTML or PDF.

``tools/build_book.py`` is the one entry point; this package holds its parts:

* :mod:`book.stage`     writes ``_build/src`` (the Sphinx source tree) from
                        ``chapters/toc.yml`` and the committed notebooks;
* :mod:`book.api`       writes the API reference page of ``d2l.torch``;
* :mod:`book.conf`      the Sphinx configuration (used with ``-c tools/book``);
* :mod:`book.sphinxext` the Sphinx extension: toc.yml numbers, notebook links,
                        references to sections not written yet;
* :mod:`book.deps`      installs the Python and Debian packages of the build;
* :mod:`book.links`     the internal link checker the tests run on the site;
* :mod:`book.reader`    reader notebooks (tools/sync_notebooks.py, downloads);
* :mod:`book.bib`       the BibTeX reader and citation style of reader notebooks;
* :mod:`book.config`    the repository and site URLs, configured once in
                        pyproject.toml ``[project.urls]``.
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / 'chapters'
BUILD = ROOT / '_build'
SRC = BUILD / 'src'            # staged Sphinx source tree (HTML)
HTML = BUILD / 'html'
DOCTREES = BUILD / 'doctrees'
VENDOR = ROOT / '.venv' / 'share' / 'd2l-book'   # MathJax copy (make book-deps)
MATHJAX = VENDOR / 'mathjax'

# Our own book, written to the Dive into Deep Learning curriculum; the title
# must not pass it off as the published one.
TITLE = 'Deep Learning, Executed'
SHORT_TITLE = 'Deep Learning, Executed'
AUTHOR = 'The authors of this book'
