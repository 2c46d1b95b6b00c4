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
# One style in text and list: author-year in round brackets, "(Doe and Roe,
# 2020; Smith et al., 2019)" and "Doe and Roe (2020)" (the style of the
# reader notebooks too, book.bib), and a bibliography sorted by author whose
# entries are labelled the same way, "[Doe and Roe, 2020]".
def _author_year_styles():
    import collections
    import dataclasses
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin
    from pybtex.richtext import Text
    from pybtex.style.formatting.plain import Style as Plain
    from pybtex.style.labels import BaseLabelStyle
    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import \
        AuthorYearReferenceStyle

    def round_():
        return BracketStyle(left='(', right=')', sep='; ')

    @dataclasses.dataclass
    class RoundAuthorYear(AuthorYearReferenceStyle):
        bracket_parenthetical: BracketStyle = dataclasses.field(default_factory=round_)
        bracket_textual: BracketStyle = dataclasses.field(default_factory=round_)
        bracket_author: BracketStyle = dataclasses.field(default_factory=round_)
        bracket_label: BracketStyle = dataclasses.field(default_factory=round_)
        bracket_year: BracketStyle = dataclasses.field(default_factory=round_)

    def last(person):
        name = ' '.join(person.prelast_names + person.last_names)
        return Text.from_latex(name).render_as('text')

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            labels = [self.label(e) for e in sorted_entries]
            count, seen = collections.Counter(labels), collections.Counter()
            for label in labels:
                if count[label] > 1:          # two works, same authors and year
                    seen[label] += 1
                    label += 'abcdefghijklmnopqrstuvwxyz'[seen[label] - 1]
                yield label

        def label(self, entry):
            people = entry.persons.get('author') or entry.persons.get('editor') or []
            names = [last(p) for p in people]
            if not names:
                who = entry.key
            elif len(names) == 1:
                who = names[0]
            elif len(names) == 2 and names[1] != 'others':
                who = f'{names[0]} and {names[1]}'
            else:
                who = f'{names[0]} et al.'
            return f"{who}, {entry.fields.get('year', 'n.d.')}"

    class AuthorYearPlain(Plain):
        default_label_style = 'd2l_author_year'

    pybtex.plugin.register_plugin('pybtex.style.labels', 'd2l_author_year',
                                  AuthorYearLabels)
    pybtex.plugin.register_plugin('pybtex.style.formatting', 'd2l_plain',
                                  AuthorYearPlain)
    sphinxcontrib.bibtex.plugin.register_plugin(
        'sphinxcontrib.bibtex.style.referencing', 'd2l_author_year', RoundAuthorYear)


_author_year_styles()
bibtex_bibfiles = ['references.bib']
bibtex_reference_style = 'd2l_author_year'
bibtex_default_style = 'd2l_plain'

# -- HTML --------------------------------------------------------------------
html_theme = 'sphinx_book_theme'
html_title = SHORT_TITLE
html_static_path = [str(MATHJAX.parent), str(HERE / 'static')]
html_css_files = ['d2l-book.css']
mathjax_path = 'mathjax/tex-chtml.js'   # the local copy: the site works offline
html_copy_source = False
html_show_sourcelink = False
# the search page would fetch every hit's page for a summary, which a browser
# refuses for a site opened from disk (file://): titles only
html_show_search_summary = False
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
    # equations, figures and tables are numbered within their section as on
    # the site, "(3.4.1)", and "(A.1.1)" in an appendix (Sphinx's own LaTeX
    # numbering writes the chapter in arabic: "(1.1.1)" there)
    'preamble': r'''\setcounter{tocdepth}{1}\hypersetup{bookmarksnumbered=true}
\makeatletter
\AtBeginDocument{%
  \renewcommand{\theequation}{\ifnum\value{chapter}>\z@\thesection.\fi\arabic{equation}}%
  \renewcommand{\thefigure}{\ifnum\value{chapter}>\z@\thesection.\fi\arabic{figure}}%
  \renewcommand{\thetable}{\ifnum\value{chapter}>\z@\thesection.\fi\arabic{table}}}
\makeatother''',
    # the toctree caption would otherwise name the table of contents
    'tableofcontents': r'\renewcommand{\contentsname}{Contents}'
                       r'\sphinxtableofcontents',
}
