"""Sphinx configuration of the book (used as ``sphinx-build -c tools/book``).

The source tree it configures is staged by :mod:`book.stage`. Execution is
off: pages show the notebooks' committed outputs, unless
``D2L_BOOK_EXECUTE`` is ``full`` or ``quick`` (set by
``tools/build_book.py html --execute``).
"""
import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))        # tools/, so `book` imports
from book import AUTHOR, MATHJAX, SHORT_TITLE, TITLE, BUILD  # noqa: E402

project = TITLE
author = AUTHOR
copyright = '2026, ' + AUTHOR

extensions = [
    'myst_nb',
    'sphinx.ext.mathjax',
    'sphinxcontrib.bibtex',
    'sphinx_copybutton',
    'sphinxcontrib.rsvgconverter',    # SVG figures -> PDF for LaTeX
    'book.sphinxext',
]
templates_path = [str(HERE / 'templates')]
exclude_patterns = ['**/img/**', '**/.ipynb_checkpoints', '_*', '.jupyter_cache']
root_doc = 'index'

# -- MyST and notebooks ----------------------------------------------------
myst_enable_extensions = ['dollarmath', 'amsmath', 'colon_fence']
myst_heading_anchors = 3
_execute = os.environ.get('D2L_BOOK_EXECUTE', 'off')
nb_execution_mode = 'off' if _execute == 'off' else 'cache'
nb_execution_cache_path = str(BUILD / f'jupyter_cache-{_execute}')
nb_execution_timeout = 3600
nb_execution_allow_errors = True      # a failing cell shows its error, and warns
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_merge_streams = True
# plots are SVG; the PDF converts them (rsvg-convert) instead of printing
# the text fallback '<Figure size ...>'
nb_mime_priority_overrides = [('latex', 'image/svg+xml', 15)]
nb_output_stderr = 'show'
suppress_warnings = ['mystnb.unknown_mime_type', 'myst.header']

# -- numbering ---------------------------------------------------------------
numfig = True
numfig_secnum_depth = 2               # Fig. 3.2.1: chapter, section, figure
math_numfig = True
math_eqref_format = '({number})'
numfig_format = {'figure': 'Fig. %s', 'table': 'Table %s',
                 'code-block': 'Listing %s', 'section': 'Section %s'}

# -- citations ---------------------------------------------------------------
bibtex_bibfiles = ['references.bib']
bibtex_reference_style = 'author_year'
bibtex_default_style = 'plain'

# -- HTML --------------------------------------------------------------------
html_theme = 'sphinx_book_theme'
html_title = SHORT_TITLE
html_static_path = [str(MATHJAX.parent), str(HERE / 'static')]
html_css_files = ['d2l-book.css']
mathjax_path = 'mathjax/tex-chtml.js'   # the local copy: the site works offline
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    'article_header_start': ['toggle-primary-sidebar.html', 'breadcrumbs.html'],
    'article_header_end': ['d2l-links.html', 'article-header-buttons.html'],
    'use_download_button': False,
    'use_fullscreen_button': False,
    'show_navbar_depth': 1,
    'show_toc_level': 2,
    'home_page_in_toc': True,
    'navigation_with_keys': False,
}
html_permalinks_icon = '#'
html_context = {'default_mode': 'auto'}   # light or dark, as the reader's system
copybutton_exclude = '.linenos, .gp, .go'

# -- LaTeX / PDF ---------------------------------------------------------------
latex_engine = 'xelatex'
latex_docclass = {'manual': 'book'}
latex_documents = [('index', 'book.tex', TITLE, AUTHOR, 'manual', True)]
latex_use_xindy = False
latex_show_urls = 'no'
latex_elements = {
    'papersize': 'a4paper',
    'pointsize': '10pt',
    'printindex': '',
    'sphinxsetup': 'verbatimwrapslines=true, verbatimforcewraps=true',
    'preamble': r'\setcounter{tocdepth}{1}\hypersetup{bookmarksnumbered=true}',
    # the toctree caption would otherwise name the table of contents
    'tableofcontents': r'\renewcommand{\contentsname}{Contents}'
                       r'\sphinxtableofcontents',
}
