"""Reader notebooks: what a reader opens in Jupyter, downloads, or runs in Colab.

A reader notebook is built from a section's ``.md`` source and the outputs of
its best fresh run record (``runs.best``: the full-mode run, else the quick
one), and reads without the book build:

* ``{numref}``, ``{ref}`` and ``{eq}`` become the text the site shows
  ("Section 3.1", "Fig. 3.1.2", "(3.1.4)", "Chapter 4"), linked to the site
  when one is configured (:mod:`book.config`);
* headings carry their numbers ("3.4.2. Defining the Loss"), labelled
  display equations a ``\\tag{3.4.1}``, unlabelled ones none (display math
  is written as ``equation*``, see `Page.math`); a dollar amount ``\\$5``
  becomes ``$\\$$5``, which no Jupyter math renderer mistakes for math;
* ``{cite:p}``/``{cite:t}`` become "(Author, year)" / "Author (year)", and
  a "References" cell at the end lists the works cited;
* figures are embedded images (``<img>`` with a data: URI, see
  `Page.embed`), followed by their numbered caption ("**Fig. 3.1.2** ...");
  tables get their caption;
* ``{result}`0.82``` is the plain number; ``{{ repository }}`` the
  repository URL (or a neutral phrase); ``(label)=`` lines disappear;
* code cells keep their source (less nbval's ``# NBVAL_...`` first line) and
  get the record's outputs; quick-mode outputs come with a badge cell;
* no jupytext metadata, so Jupyter never writes it back over the ``.md``.

Numbers follow the book build exactly (Sphinx's rules): headings to three
levels, figures, tables and equations numbered per two-level section, in
book order; :class:`Index` computes them for every label of the book.
"""
import base64
import dataclasses
import html
import json
import mimetypes
import pathlib
import re
import sys

from . import CHAPTERS, ROOT
from . import bib as bibmod
from . import config as configmod

sys.path.insert(0, str(ROOT / 'tools'))
import toc  # noqa: E402

FIGURE_LINE = re.compile(
    r'^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\s+"(?P<label>fig-[\w.-]+)"\)[ \t]*$', re.M)
IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+"(?P<title>[^"]*)")?\)')
HEADING = re.compile(r'^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$', re.M)
DISPLAY_MATH = re.compile(
    r'\$\$(?P<body>.+?)\$\$(?:[ \t]*\((?P<label>eq-[\w.-]+)\))?', re.S)
DIRECTIVE = re.compile(
    r'^(?P<fence>:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>[^\n]*)\n'
    r'(?P<opts>(?:[ \t]*:[\w-]+:[^\n]*\n)*)(?P<body>.*?)^(?P=fence)[ \t]*$', re.M | re.S)
TARGET_LINE = re.compile(r'^\([\w.-]+\)=[ \t]*\n?', re.M)
ROLE = re.compile(r'\{(?P<role>[\w:-]+)\}`(?P<arg>[^`]*)`')
# a role first (its backticks are not code), else fenced or inline code
CODE = re.compile(
    r'(?P<role>\{[\w:-]+\}`[^`]*`)'
    r'|^[ \t]*(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*(?P=fence)[ \t]*$|\Z)'
    r'|(?P<ticks>`+)(?:(?!\n[ \t]*\n)[^\x00])+?(?<!`)(?P=ticks)(?!`)', re.M | re.S)
HOLE = re.compile('\x00(\\d+)\x00')
REPOSITORY = re.compile(r'\{\{\s*repository\s*\}\}')
NBVAL = re.compile(r'\A# NBVAL_[A-Z_]+[^\n]*\n?')
NUMFIG = {'figure': 'Fig. {}', 'table': 'Table {}'}
SECTION_DEPTH = 3          # the site numbers headings to three levels
NUMFIG_DEPTH = 2           # figures and equations: per two-level section


@dataclasses.dataclass
class Target:
    """What a label resolves to."""
    kind: str            # section, chapter, front, figure, table, equation
    number: str          # '3.4', 'A', '3.4.2' ('' for front matter pages)
    title: str           # section title or caption
    doc: str | None      # 'chapter/section' of its page, None if unwritten
    anchor: str = ''     # HTML id on that page

    def text(self):
        """What {numref} shows by default."""
        if self.kind == 'section':
            return f'Section {self.number}'
        if self.kind == 'chapter':
            word = 'Chapter' if self.number.isdigit() else 'Appendix'
            return f'{word} {self.number}'
        if self.kind == 'front':
            return self.title
        if self.kind == 'equation':
            return f'({self.number})'
        return NUMFIG[self.kind].format(self.number)


DOLLAR, MATH_DOLLAR = '\x01', '\x02'     # "\\$" in prose / in math


def _mark_dollars(text):
    """Replace each escaped dollar by DOLLAR (prose) or MATH_DOLLAR (math)."""
    if '\\$' not in text:
        return text
    out, i, inline, display = [], 0, False, False
    while i < len(text):
        if text.startswith('\\$', i):
            out.append(MATH_DOLLAR if inline or display else DOLLAR)
            i += 2
        elif text.startswith('$$', i):
            display = not display
            out.append('$$')
            i += 2
        else:
            if text[i] == '$' and not display:
                inline = not inline
            out.append(text[i])
            i += 1
    return ''.join(out)


def _plain(markdown):
    """Markdown of a caption as plain text (for an alt attribute)."""
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', markdown)
    text = re.sub(r'[*_`]', '', text)
    return re.sub(r'\$([^$]*)\$', r'\1', text)


def protect(text):
    """(text, codes): fenced blocks and inline code spans replaced by holes.

    A hole is ``\\0<n>\\0``; `restore` puts the code back. What the
    transformations match (roles, math, figures, headings) is never inside
    code, so a section that shows the syntax in code keeps it verbatim.
    """
    codes = []

    def hole(m):
        if m['role']:
            return m.group()
        codes.append(m.group())
        return f'\x00{len(codes) - 1}\x00'
    return CODE.sub(hole, text), codes


def restore(text, codes):
    return HOLE.sub(lambda m: codes[int(m.group(1))], text)


def resolve_repository(text, config):
    """``{{ repository }}`` -> the URL, or a neutral phrase (prose or code)."""
    if not REPOSITORY.search(text):
        return text
    text, codes = protect(text)
    text = REPOSITORY.sub(config.repository_text(), text)
    codes = [REPOSITORY.sub(config.repository_text(code=True), c) for c in codes]
    return restore(text, codes)


class Numberer:
    """Sphinx's numbering of one page: headings, then figures per section.

    `counters` is shared across the book (Sphinx keeps one counter per
    section-number prefix, so unnumbered front-matter pages count on).
    """

    def __init__(self, number, counters):
        self.base = tuple(number.split('.')) if number else ()
        self.current = self.base
        self.sub = []                 # counts of subheadings by depth
        self.counters = counters

    def heading(self, level):
        """Number of a heading of `level` (1 = the title), '' if none."""
        if level == 1 or not self.base:
            self.current = self.base
            return '.'.join(self.base)
        depth = level - 1
        self.sub = self.sub[:depth] + [0] * (depth - len(self.sub))
        self.sub[depth - 1] += 1
        number = self.base + tuple(str(n) for n in self.sub[:depth])
        if len(number) > SECTION_DEPTH:
            return ''
        self.current = number
        return '.'.join(number)

    def next(self, kind):
        prefix = self.current[:NUMFIG_DEPTH]
        counter = self.counters.setdefault(kind, {})
        counter[prefix] = counter.get(prefix, 0) + 1
        return '.'.join(prefix + (str(counter[prefix]),))


def page_events(md_cells, number, counters):
    """[(kind, label, number, title)] of a page's numbered items, in order."""
    numberer = Numberer(number, counters)
    out = []
    for text in md_cells:
        scan, codes = protect(text)
        text = scan
        items = [(m.start(), 'heading', m) for m in HEADING.finditer(scan)]
        items += [(m.start(), 'figure', m) for m in FIGURE_LINE.finditer(scan)]
        items += [(m.start(), 'table', m) for m in DIRECTIVE.finditer(scan)
                  if m['name'] == 'table']
        items += [(m.start(), 'equation', m) for m in DISPLAY_MATH.finditer(scan)
                  if m['label']]
        for _, kind, m in sorted(items, key=lambda x: x[0]):
            if kind == 'heading':
                numberer.heading(len(m['hashes']))
            elif kind == 'figure':
                out.append(('figure', m['label'], numberer.next('figure'),
                            restore(m['alt'], codes)))
            elif kind == 'table':
                name = re.search(r':name:\s*(\S+)', m['opts'])
                if name and m['arg'].strip():
                    out.append(('table', name.group(1), numberer.next('table'),
                                restore(m['arg'].strip(), codes)))
            else:
                out.append(('equation', m['label'], numberer.next('equation'), ''))
    return out


def markdown_cells(md_path):
    """The prose of a jupytext .md (its header dropped; code cells are
    fenced, so `protect` leaves them out of every scan)."""
    text = pathlib.Path(md_path).read_text()
    if text.startswith('---\n'):
        end = text.find('\n---\n', 4)
        text = text[end + 5:] if end >= 0 else text
    return [text]


class Index:
    """Every label of the book -> Target, numbered as the site numbers it."""

    def __init__(self, chapters_dir=CHAPTERS):
        self.dir = pathlib.Path(chapters_dir)
        self.sections = toc.sections(self.dir / 'toc.yml')
        self.written = [s for s in self.sections if s.exists]
        self.labels = {}
        data = toc.load(self.dir / 'toc.yml')
        front = data['front']['slug']
        written_chapters = {s.chapter for s in self.written if s.chapter_number}
        for ch in data['chapters']:
            slug = ch['slug']
            self.labels[f'chap-{slug}'] = Target(
                'chapter', str(ch['number']), ch['title'],
                f'{slug}/index' if slug in written_chapters else None)
        for s in self.sections:
            if s.is_intro:
                continue
            kind = 'front' if s.chapter == front else 'section'
            doc = f'{s.chapter}/{s.slug}' if s.exists else None
            self.labels[s.label] = Target(kind, s.number, s.title, doc)
        counters = {}
        for s in self.written:
            doc = f'{s.chapter}/{s.slug}'
            for kind, label, number, title in page_events(
                    markdown_cells(s.md), s.number, counters):
                anchor = f'equation-{label}' if kind == 'equation' else label
                self.labels[label] = Target(kind, number, title, doc,
                                            anchor.lower())

    def section(self, path):
        """The toc Section of a .md in this book."""
        p = pathlib.Path(path).resolve().with_suffix('.md')
        for s in self.sections:
            if s.md.resolve() == p:
                return s
        raise ValueError(f'{path} is not a section of {self.dir / "toc.yml"}')


# -- outputs -------------------------------------------------------------------

@dataclasses.dataclass
class Outputs:
    """The outputs a page shows, and where they come from."""
    cells: list | None          # per code cell: a list of nbformat outputs
    mode: str | None = None     # 'full', 'quick', or None (no run)
    device: str | None = None
    date: str | None = None


def _code_sources(nb):
    return [NBVAL.sub('', c.source, count=1).strip()
            for c in nb.cells if c.cell_type == 'code']


def recorded_outputs(section, md_nb=None):
    """The outputs of the best fresh run of `section` (runs.best).

    A section with no run record at all (neither mode) falls back to the
    outputs in its committed .ipynb, if its code cells are those of the .md:
    the quick-mode outputs committed before run records existed.
    """
    try:
        import runs
    except ImportError:
        runs = None
    if runs is not None:
        record = runs.best(section)
        if record is not None:
            return Outputs([list(o) for o in record.outputs], record.mode,
                           record.device, (record.date or '')[:10] or None)
        if any(runs.path(section, m).exists() for m in runs.MODES):
            return Outputs(None)            # only stale records: show none
    return _legacy_outputs(section, md_nb)


def _legacy_outputs(section, md_nb):
    import nbformat
    if not section.ipynb.exists():
        return Outputs(None)
    try:
        old = nbformat.read(section.ipynb, as_version=4)
    except Exception:
        return Outputs(None)
    if md_nb is None:
        import jupytext
        md_nb = jupytext.read(section.md)
    if _code_sources(old) != _code_sources(md_nb):
        return Outputs(None)
    cells = [[dict(o) for o in c.get('outputs', [])]
             for c in old.cells if c.cell_type == 'code']
    if not any(cells):
        return Outputs(None)
    meta = old.metadata.get('d2l', {}).get('outputs') or {}
    return Outputs(cells, meta.get('mode', 'quick'), meta.get('device'),
                   meta.get('date'))


# -- building a reader notebook ---------------------------------------------------

class Builder:
    """Builds the reader notebooks of one book (one Index, one bibliography)."""

    def __init__(self, chapters_dir=CHAPTERS, config=None, index=None):
        self.dir = pathlib.Path(chapters_dir)
        self.config = config or configmod.load(self.dir)
        self.index = index or Index(self.dir)
        bibfile = self.dir / 'references.bib'
        self.bib = bibmod.parse(bibfile.read_text()) if bibfile.exists() else {}

    def build(self, section, outputs=None):
        """(notebook, problems) of `section`; outputs default to its record."""
        import jupytext
        import nbformat
        md_nb = jupytext.read(section.md)
        if outputs is None:
            outputs = recorded_outputs(section, md_nb)
        page = Page(self, section)
        cells = []
        code_cells = [c for c in md_nb.cells if c.cell_type == 'code']
        if outputs.cells is not None and len(outputs.cells) != len(code_cells):
            page.problems.append(
                f'the run record has {len(outputs.cells)} code cells, the '
                f'source {len(code_cells)}; outputs left out')
            outputs = Outputs(None)
        n_code = 0
        for cell in md_nb.cells:
            if cell.cell_type == 'markdown':
                new = nbformat.v4.new_markdown_cell(page.markdown(cell.source))
            elif cell.cell_type == 'code':
                new = nbformat.v4.new_code_cell(
                    REPOSITORY.sub(self.config.repository_text(code=True),
                                   NBVAL.sub('', cell.source, count=1)))
                if outputs.cells is not None:
                    new.outputs = [nbformat.from_dict(_output(o, n_code + 1))
                                   for o in outputs.cells[n_code]]
                    new.execution_count = n_code + 1
                n_code += 1
            else:
                new = nbformat.v4.new_raw_cell(cell.source)
            cells.append(new)
        badge = page.badge(outputs) if code_cells else None
        if badge:
            cells.insert(1 if cells else 0, nbformat.v4.new_markdown_cell(badge))
        if section.is_intro or (section.slug == 'index' and section.number
                                and '.' not in section.number):
            listing = page.section_list()
            if listing:
                cells.append(nbformat.v4.new_markdown_cell(listing))
        if page.cited:
            cells.append(nbformat.v4.new_markdown_cell(page.references()))
        for n, cell in enumerate(cells):
            cell.id = f'{section.slug}-{n}'[:64]
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata = {
            'kernelspec': {'display_name': 'Python 3', 'language': 'python',
                           'name': 'python3'},
            'language_info': {'name': 'python'},
            'd2l': {'source': f'{section.chapter}/{section.slug}.md',
                    'number': section.number, 'title': section.title,
                    'outputs': {k: v for k, v in (('mode', outputs.mode),
                                                  ('device', outputs.device),
                                                  ('date', outputs.date)) if v}
                    or None}}
        nbformat.validate(nb)
        return nb, page.problems

    def text(self, section, outputs=None):
        """The reader notebook of `section` as the text of an .ipynb file."""
        import nbformat
        nb, problems = self.build(section, outputs)
        return nbformat.writes(nb) + '\n', problems


def _output(o, count):
    o = json.loads(json.dumps(o))
    if 'execution_count' in o:
        o['execution_count'] = count
    o.pop('transient', None)
    return o


class Page:
    """The markdown transformation of one section (state: numbers, citations)."""

    def __init__(self, builder, section):
        self.builder = builder
        self.section = section
        self.index = builder.index
        self.config = builder.config
        self.numberer = Numberer(section.number, {})
        self.cited = []
        self.problems = []
        self.links = True                # link references to the site

    # markdown ----------------------------------------------------------------
    def markdown(self, text):
        """The new source of one markdown cell."""
        text = resolve_repository(text, self.config)
        text, codes = protect(text)
        text = self.prose(text)
        return restore(text, codes).strip('\n')

    def prose(self, text):
        text = _mark_dollars(text)
        text = TARGET_LINE.sub('', text)
        text = DIRECTIVE.sub(self.directive, text)
        text = FIGURE_LINE.sub(self.figure, text)
        text = IMAGE.sub(lambda m: self.embed(m['src'], m['alt']), text)
        text = DISPLAY_MATH.sub(self.math, text)
        text = ROLE.sub(self.role, text)
        text = HEADING.sub(self.heading, text)
        # a literal dollar: Jupyter's MathJax would pair two "\\$" of prose
        # into math, so it is written as math showing a dollar sign
        return text.replace(DOLLAR, '$\\$$').replace(MATH_DOLLAR, '\\$')

    def heading(self, m):
        level = len(m['hashes'])
        number = self.numberer.heading(level)
        title = m['text']
        return f"{m['hashes']} {number}. {title}" if number else m.group()

    def figure(self, m):
        target = self.index.labels.get(m['label'])
        image = self.embed(m['src'], m['alt'])
        if target is None:
            self.problems.append(f"figure {m['label']} is not in the index")
            return image
        return f"{image}\n\n**{target.text()}** {m['alt']}"

    def embed(self, src, alt):
        """The image as an HTML <img> whose source is a data: URI.

        Neither cell attachments (JupyterLab renders no SVG attachment, and
        the jupyterlab-myst extension none at all) nor a Markdown image with
        a data: URI (the extension drops it) show in both renderers; an
        <img> element with a data: URI shows everywhere, and the notebook
        stays one self-contained file.
        """
        if src.startswith(('data:', 'http://', 'https://')):
            return f'![{alt}]({src})'
        path = (self.section.md.parent / src).resolve()
        if not path.exists():
            self.problems.append(f'image {src} does not exist')
            return f'![{alt}]({src})'
        mime = mimetypes.guess_type(path.name)[0] or 'application/octet-stream'
        data = base64.b64encode(path.read_bytes()).decode()
        self.links = False               # the alt text is plain: no links
        alt = _plain(ROLE.sub(self.role, alt))
        self.links = True
        return (f'<img src="data:{mime};base64,{data}" '
                f'alt="{html.escape(alt)}" style="max-width: 100%"/>')
    def directive(self, m):
        name, arg, body = m['name'], m['arg'].strip(), m['body'].rstrip('\n')
        label = re.search(r':name:\s*(\S+)', m['opts'])
        if name == 'table':
            target = self.index.labels.get(label.group(1)) if label else None
            caption = (f'**{target.text()}** {arg}' if target and arg
                       else arg)
            return (caption + '\n\n' if caption else '') + body
        title = arg or name.capitalize()
        quoted = '\n'.join('> ' + line if line else '>' for line in body.split('\n'))
        return f'> **{title}.**\n>\n{quoted}'

    def math(self, m):
        """A display equation, as ``equation*`` with the book's \\tag.

        ``equation*`` rather than ``$$``: the jupyterlab-myst extension
        numbers every ``$$`` block itself, (1), (2), ..., next to our tags;
        MathJax (plain Jupyter) and KaTeX (the extension) both read it.
        """
        body = m['body'].strip()
        tag = ''
        if m['label']:
            target = self.index.labels.get(m['label'])
            if target is None:
                self.problems.append(f"equation {m['label']} is not in the index")
            else:
                tag = f' \\tag{{{target.number}}}'
        line_start = m.start() == 0 or m.string[m.start() - 1] == '\n'
        if not line_start:
            return f'$${body}{tag}$$'
        return f'\\begin{{equation*}}\n{body}{tag}\n\\end{{equation*}}'

    # roles -------------------------------------------------------------------
    def role(self, m):
        role, arg = m['role'], m['arg']
        if role in ('cite', 'cite:p', 'cite:t', 'cite:ps', 'cite:ts'):
            return self.cite(m, role, arg)
        if role == 'result':
            return arg
        if role in ('numref', 'ref', 'eq'):
            return self.reference(m, role, arg)
        if role in ('math',):
            return f'${arg}$'
        self.problems.append(f'unknown role {m.group()}')
        return m.group()

    def cite(self, m, role, arg):
        keys = [k.strip() for k in arg.split(',') if k.strip()]
        missing = [k for k in keys if k not in self.builder.bib]
        if missing:
            self.problems.append(f'citation key(s) {", ".join(missing)} not '
                                 'in references.bib')
            return m.group()
        for k in keys:
            if k not in self.cited:
                self.cited.append(k)
        return bibmod.cite(self.builder.bib, keys, textual=role.startswith('cite:t'))

    def reference(self, m, role, arg):
        explicit = re.fullmatch(r'(?P<text>.*?)\s*<(?P<label>[^<>]+)>', arg, re.S)
        label = (explicit['label'] if explicit else arg).strip()
        target = self.index.labels.get(label)
        if target is None:
            self.problems.append(f'reference to unknown label {label!r}')
            return m.group()
        if role == 'eq':
            text = f'({target.number})'
        elif explicit:
            text = explicit['text']
            if role == 'numref':
                text = text.replace('%s', target.number).replace(
                    '{number}', target.number).replace('{name}', target.title)
        elif role == 'numref':
            text = target.text()
        else:
            text = target.title if target.kind != 'equation' else target.text()
        url = (self.config.page_url(target.doc, target.anchor)
               if target.doc and self.links else None)
        return f'[{text}]({url})' if url else text

    # extra cells -------------------------------------------------------------------
    def badge(self, outputs):
        if outputs.mode == 'full':
            return None
        if outputs.mode is None:
            return ('> **Not yet run.** No run of this notebook\'s current code '
                    'has been recorded, so it shows no outputs; run it (top to '
                    'bottom) to see them.')
        where = ', '.join(x for x in (outputs.device, outputs.date) if x)
        return ('> **Quick-mode outputs.** The outputs below come from a '
                'quick-mode run (`D2L_QUICK=1`: less data, fewer epochs'
                + (f'; {where}' if where else '') + '), '
                'so numbers the text quotes from the default mode differ from '
                'them. Run the notebook as is, without `D2L_QUICK`, to '
                'reproduce the text\'s numbers.')

    def section_list(self):
        own = [s for s in self.index.sections
               if s.chapter == self.section.chapter and not s.is_intro
               and s.slug != 'index']
        if not own:
            return ''
        lines = ['**Sections of this chapter**', '']
        for s in own:
            target = self.index.labels[s.label]
            url = self.config.page_url(target.doc) if target.doc else None
            title = f'{s.number} {s.title}'
            if not s.exists:
                lines.append(f'* {title} (in preparation)')
                continue
            # the site page if there is a site, else the notebook beside this
            lines.append(f'* [{title}]({url or s.slug + ".ipynb"})')
        return '\n'.join(lines)

    def references(self):
        entries = sorted((self.builder.bib[k] for k in self.cited),
                         key=lambda e: e.sort_key())
        return '## References\n\n' + '\n'.join(
            f'* {e.reference()}' for e in entries)
