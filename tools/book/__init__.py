"""The book build: a Sphinx source tree staged from chapters/, then HTML or PDF.

``tools/build_book.py`` is the one entry point; this package holds its parts:

* :mod:`book.stage`     writes ``_build/src`` (the Sphinx source tree) from
                        ``chapters/toc.yml`` and the committed notebooks;
* :mod:`book.api`       writes the API reference page of ``d2l.torch``;
* :mod:`book.conf`      the Sphinx configuration (used with ``-c tools/book``);
* :mod:`book.sphinxext` the Sphinx extension: toc.yml numbers, notebook links,
                        references to sections not written yet;
* :mod:`book.deps`      installs the Python and Debian packages of the build;
* :mod:`book.links`     the internal link checker the tests run on the site.

Settings a deployment may change are environment variables:

``D2L_BOOK_REPO``   the GitHub ``owner/name`` the "Open in Colab" links point
                    at (default ``OWNER/REPO``, a placeholder to replace);
``D2L_BOOK_BRANCH`` the branch of those links (default ``main``).
"""
import os
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
DEFAULT_REPO = 'OWNER/REPO'


def colab_url(relpath):
    """The "Open in Colab" address of a notebook at `relpath` in the repo."""
    repo = os.environ.get('D2L_BOOK_REPO') or DEFAULT_REPO
    branch = os.environ.get('D2L_BOOK_BRANCH') or 'main'
    return f'https://colab.research.google.com/github/{repo}/blob/{branch}/{relpath}'
