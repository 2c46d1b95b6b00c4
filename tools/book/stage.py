"""Stage the Sphinx source tree of the book from chapters/.

The tree mirrors chapters/: ``<chapter>/<section>.ipynb`` (the section's
``.md`` source with the outputs of its best fresh run record, see
:func:`book.reader.recorded_outputs`), ``<chapter>/index.ipynb`` or
``index.md`` (the chapter page: its introduction, if written, then the list
of its sections), ``<chapter>/img/`` (copied), plus ``index.md`` (the front
page with the full table of contents), ``bibliography.md``, ``api.md`` and
``_book.json`` (the numbers and notebook paths the Sphinx extension reads).

The transformations keep the notebooks' source conventions working:

* every section gets the target ``sec-<slug>``, every chapter
  ``chap-<slug>``;
* ``![caption](img/x.svg "fig-x")`` on a line of its own becomes a numbered
  MyST figure labelled ``fig-x`` with the alt text as caption;
* ``{numref}`chap-x``` reads "Chapter N" (or "Appendix A");
* a raw LaTeX line before each heading sets the chapter and section counters,
  so the PDF numbers match toc.yml even while sections are missing;
* ``{{ repository }}`` becomes the configured repository URL (or a neutral
  phrase), and quick-mode outputs get a visible note saying so.

Every file is written only when its bytes change, so Sphinx re-reads only
the pages whose notebooks changed. Files left over from an earlier staging
(a section removed from toc.yml) are deleted.
"""
import json
import logging
import pathlib
import re
import shutil
import string
import sys

from . import CHAPTERS, ROOT, TITLE
from . import bib as bibmod
from . import config as configmod
from . import reader

sys.path.insert(0, str(ROOT / 'tools'))
import toc  # noqa: E402  (tools/toc.py: the one reader of toc.yml)

log = logging.getLogger('build_book')

FIGURE = re.compile(
    r'^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\s+"(?P<label>fig-[\w.-]+)"\)\s*$')
CHAP_NUMREF = re.compile(r'\{numref\}`((?:chap|sec)-[\w-]+)`')
NBVAL = re.compile(r'\A# NBVAL_[A-Z_]+[^\n]*\n?')   # test plumbing, not for readers
IMAGE = re.compile(r'!\[[^\]]*\]\((?P<src>[^)\s]+)|^:::\{figure\} (?P<fig>\S+)', re.M)
BIBLIOGRAPHY = '\n```{bibliography}\n```\n'
BIB_MATH = re.compile(r'(?<!\\)\$[^$\n]+\$')
PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60" '
    'viewBox="0 0 400 60"><rect x="1" y="1" width="398" height="58" '
    'fill="#f4f4f4" stroke="#999" stroke-dasharray="6 4"/><text x="200" '
    'y="35" font-family="sans-serif" font-size="14" text-anchor="middle" '
    'fill="#666">figure missing: {name}</text></svg>\n')


class Book:
    """What the staging needs to know about toc.yml and the files present."""

    def __init__(self, chapters_dir=CHAPTERS, only_chapter=None):
        self.dir = pathlib.Path(chapters_dir)
        self.toc = toc.load(self.dir / 'toc.yml')
        self.front = self.toc['front']
        self.chapters = self.toc['chapters']
        if only_chapter:
            self.front = dict(self.front, sections=[])
            self.chapters = [c for c in self.chapters if c['slug'] == only_chapter]
            if not self.chapters:
                raise SystemExit(f'no chapter {only_chapter!r} in toc.yml')
        self.all_chapters = self.toc['chapters']
        self.front_labels = {f"sec-{s['slug']}" for s in self.toc['front']['sections']}
        self.config = configmod.load(self.dir)
        self.sections = {(s.chapter, s.slug): s
                         for s in toc.sections(self.dir / 'toc.yml')}

    def nb(self, chapter, section):
        return self.dir / chapter / f"{section['slug']}.ipynb"

    def md(self, chapter, section):
        return self.dir / chapter / f"{section['slug']}.md"

    def written(self, chapter, section):
        return self.md(chapter, section).exists()

    def section(self, chapter, section):
        """The toc.Section of a toc.yml entry (dict) or an intro ('index')."""
        slug = section if isinstance(section, str) else section['slug']
        return self.sections[(chapter, slug)]

    def intro(self, chap):
        """The chapter's introduction page (toc.Section) if written, else None."""
        sec = self.sections.get((chap['slug'], 'index'))
        return sec if sec is not None and sec.is_intro and sec.exists else None

    def section_number(self, chap, i):
        """toc.yml number of the i-th (0-based) section of `chap`."""
        secs = chap['sections']
        if len(secs) == 1 and secs[0]['slug'] == 'index':
            return str(chap['number'])
        return f"{chap['number']}.{i + 1}"

    def chapter_word(self, chap):
        return 'Chapter' if str(chap['number']).isdigit() else 'Appendix'

    def labels(self):
        """Every sec-/chap- label of toc.yml -> (text, docname or None)."""
        out = {}
        for chap in self.all_chapters:
            any_written = (any(self.written(chap['slug'], s) for s in chap['sections'])
                           or self.intro(chap) is not None)
            here = chap in self.chapters
            out[f"chap-{chap['slug']}"] = (
                f"{self.chapter_word(chap)} {chap['number']}",
                f"{chap['slug']}/index" if any_written and here else None)
            for i, s in enumerate(chap['sections']):
                ok = self.written(chap['slug'], s) and here
                out[f"sec-{s['slug']}"] = (
                    f"Section {self.section_number(chap, i)}",
                    f"{chap['slug']}/{s['slug']}" if ok else None)
        out[f"chap-{self.toc['front']['slug']}"] = (self.toc['front']['title'], None)
        for s in self.toc['front']['sections']:
            ok = s in self.front['sections'] and self.written(self.front['slug'], s)
            out[f"sec-{s['slug']}"] = (
                s['title'], f"{self.front['slug']}/{s['slug']}" if ok else None)
        return out


class Stager:
    """Writes the staged tree under `dest`, only where bytes change."""

    def __init__(self, dest, book, pdf=False, execute='off'):
        self.pdf = pdf      # LaTeX puts the bibliography at the end by itself
        self.execute = execute   # 'off': recorded outputs; 'quick'/'full': run
        self.dest = pathlib.Path(dest)
        self.book = book
        self.written = set()
        self.changed = []
        self.warnings = []

    # -- low level ---------------------------------------------------------
    def put(self, rel, data):
        if isinstance(data, str):
            data = data.encode()
        path = self.dest / rel
        self.written.add(path)
        if path.exists() and path.read_bytes() == data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.changed.append(rel)

    def copy(self, src, rel):
        path = self.dest / rel
        self.written.add(path)
        if path.exists():
            st, dt = src.stat(), path.stat()
            if st.st_size == dt.st_size and st.st_mtime_ns <= dt.st_mtime_ns:
                return
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, path)
        self.changed.append(rel)

    def copy_images(self, chapter):
        """Copy chapters/<chapter>/img/ (figures, not the scripts beside them)."""
        img = self.book.dir / chapter / 'img'
        if img.is_dir():
            for f in img.rglob('*'):
                if f.is_file() and f.suffix not in {'.py', '.md', '.ipynb'}:
                    self.copy(f, f'{chapter}/img/{f.relative_to(img)}')

    def warn(self, msg):
        self.warnings.append(msg)
        log.warning('WARNING: %s', msg)

    def prune(self):
        """Delete staged files that this staging did not write."""
        keep_dirs = {'.jupyter_cache'}
        for path in sorted(self.dest.rglob('*'), reverse=True):
            if any(part in keep_dirs for part in path.relative_to(self.dest).parts):
                continue
            if path.is_file() and path not in self.written:
                path.unlink()
                self.changed.append(str(path.relative_to(self.dest)))
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()

    # -- notebooks ---------------------------------------------------------
    def load_notebook(self, chapter, section):
        """The section's .md as a notebook dict, with its recorded outputs."""
        import jupytext
        import nbformat
        sec = self.book.section(chapter, section)
        rel = sec.md.relative_to(ROOT) if sec.md.is_relative_to(ROOT) else sec.md
        try:
            md_nb = jupytext.read(sec.md)
        except Exception as err:  # a broken source must not stop the site
            self.warn(f'{rel}: jupytext cannot read it ({err}); skipped')
            return None
        code = [c for c in md_nb.cells if c.cell_type == 'code']
        if self.execute != 'off':
            outputs = reader.Outputs(None, self.execute)
        elif code:
            try:
                outputs = reader.recorded_outputs(sec, md_nb)
            except Exception as err:  # nor must a broken record or key
                self.warn(f'{rel}: cannot read its run records ({err!r})')
                outputs = reader.Outputs(None)
            if outputs.cells is not None and len(outputs.cells) != len(code):
                self.warn(f'{rel}: its run record has {len(outputs.cells)} '
                          f'code cells, the source {len(code)}; no outputs shown')
                outputs = reader.Outputs(None)
            if outputs.cells is None:
                self.warn(f'{rel}: no fresh run record; the page shows no '
                          'outputs (run make execute)')
            else:
                for cell, outs in zip(code, outputs.cells):
                    cell.outputs = [nbformat.from_dict(o) for o in outs]
        else:
            outputs = reader.Outputs(None, 'full')
        nb = json.loads(nbformat.writes(md_nb))
        note = _outputs_note(outputs) if code else None
        if note:
            nb['cells'].insert(1 if nb['cells'] else 0, {
                'cell_type': 'markdown', 'metadata': {}, 'id': 'd2l-outputs-note',
                'source': note})
        return nb

    def check_images(self, chapter, section, text):
        """Stage a visible placeholder for each image file that is missing."""
        for m in IMAGE.finditer(text):
            ref = m['src'] or m['fig']
            if '://' in ref or ref.startswith(('/', 'data:')):
                continue
            path = (self.book.dir / chapter / ref).resolve()
            if path.exists():
                continue
            self.warn(f"{chapter}/{section['slug']}: image {ref} does not "
                      'exist; the book shows a placeholder')
            rel = (pathlib.Path(chapter) / ref).as_posix()
            name = pathlib.PurePosixPath(ref).name
            if rel.endswith('.svg'):
                self.put(rel, PLACEHOLDER.format(name=name))
            else:
                self.put(rel, _tiny_png())

    def transform_markdown(self, text):
        lines = []
        for line in text.split('\n'):
            m = FIGURE.match(line)
            if m:
                lines += [f":::{{figure}} {m['src']}", f":name: {m['label']}",
                          f":alt: {m['alt']}", '', m['alt'], ':::']
            else:
                lines.append(line)
        return CHAP_NUMREF.sub(self._chap_ref, '\n'.join(lines))

    def _chap_ref(self, m):
        """{numref} of a chapter says Chapter/Appendix; of front matter, its title."""
        text, _ = self.book.labels_cache.get(m[1], (None, None))
        if text is None or (m[1].startswith('sec-') and m[1] not in self.book.front_labels):
            return m[0]
        if m[1] in self.book.front_labels:
            return f'{{ref}}`{m[1]}`'
        word = text.split()[0]
        return f'{{numref}}`{word} %s <{m[1]}>`'

    def stage_notebook(self, chapter, section, labels, latex, extra_cells=()):
        """Stage one page (written only if its bytes change)."""
        return self._stage_notebook(chapter, section, labels, latex, extra_cells)

    def _stage_notebook(self, chapter, section, labels, latex, extra_cells):
        nb = self.load_notebook(chapter, section)
        if nb is None:
            return False
        heading_done = False
        for cell in nb['cells']:
            config = self.book.config
            if cell.get('cell_type') == 'code':
                src = cell['source']
                src = ''.join(src) if isinstance(src, list) else src
                cell['source'] = reader.REPOSITORY.sub(
                    config.repository_text(code=True), NBVAL.sub('', src, count=1))
            if cell.get('cell_type') != 'markdown':
                continue
            src = cell['source']
            src = ''.join(src) if isinstance(src, list) else src
            src = self.transform_markdown(reader.resolve_repository(src, config))
            if not heading_done:
                new, n = re.subn(r'^# ', lambda _: _prefix(labels, latex) + '# ',
                                 src, count=1, flags=re.M)
                if n:
                    src, heading_done = new, True
            cell['source'] = src
            self.check_images(chapter, section, src)
        if not heading_done:
            rel = self.book.md(chapter, section).name
            self.warn(f'{chapter}/{rel}: no "# Title" line; using the toc.yml title')
            nb['cells'].insert(0, {'cell_type': 'markdown', 'metadata': {}, 'id': 'd2l-title',
                                   'source': _prefix(labels, latex)
                                   + f"# {section['title']}"})
        nb['cells'].extend(extra_cells)
        for n, cell in enumerate(nb['cells']):     # fixed ids: same bytes each time
            cell['id'] = f'cell-{n}'
            cell.get('metadata', {}).pop('lines_to_next_cell', None)
        if nb.get('nbformat') == 4 and nb.get('nbformat_minor', 0) < 5:
            nb['nbformat_minor'] = 5
        nb.setdefault('metadata', {}).pop('jupytext', None)
        self.put(f"{chapter}/{section['slug']}.ipynb",
                 json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False))
        return True

    # -- pages ---------------------------------------------------------------
    def run(self, api_page=None):
        book = self.book
        book.labels_cache = book.labels()
        numbers, notebooks = {}, {}
        chapters_docs, appendix_docs, front_docs = [], [], []
        letters = string.ascii_uppercase

        for i, s in enumerate(book.front['sections']):
            ch = book.front['slug']
            if not book.written(ch, s):
                continue
            latex = r'\frontmatter\setcounter{secnumdepth}{-1}' if not front_docs else ''
            if self.stage_notebook(ch, s, [f"sec-{s['slug']}"], latex):
                doc = f"{ch}/{s['slug']}"
                front_docs.append(doc)
                notebooks[doc] = f"chapters/{ch}/{s['slug']}.ipynb"

        if front_docs:
            self.copy_images(book.front['slug'])
        bib = book.dir / 'references.bib'
        has_bib = bib.exists() and bib.read_text().strip()
        # LaTeX gathers every citation into one bibliography at the end of the
        # book; the directive that lists them only has to be somewhere
        bib_block = BIBLIOGRAPHY if self.pdf and has_bib else ''
        first_main = True
        first_appendix = True
        for chap in book.chapters:
            slug, num = chap['slug'], str(chap['number'])
            written = [(i, s) for i, s in enumerate(chap['sections'])
                       if book.written(slug, s)]
            intro = book.intro(chap)
            if not written and intro is None:
                continue
            latex = []
            if first_main:
                latex.append(r'\mainmatter\setcounter{secnumdepth}{2}')
                first_main = False
            if num.isdigit():
                latex.append(rf'\setcounter{{chapter}}{{{int(num) - 1}}}')
            else:
                if first_appendix:
                    latex.append(r'\appendix')
                    first_appendix = False
                latex.append(rf'\setcounter{{chapter}}{{{letters.index(num)}}}')
            latex = ''.join(latex)
            doc = f'{slug}/index'
            numbers[doc] = num
            (chapters_docs if num.isdigit() else appendix_docs).append(doc)
            todo = [(i, s) for i, s in enumerate(chap['sections'])
                    if not book.written(slug, s)]
            index_sec = [s for _, s in written if s['slug'] == 'index']
            others = [(i, s) for i, s in written if s['slug'] != 'index']
            toctree = _toctree([s['slug'] for _, s in others], hidden='')
            todo_md = _section_list(book, chap, others, todo) + bib_block
            bib_block = ''
            page = index_sec[0] if index_sec else (
                {'slug': 'index', 'title': chap['title']} if intro else None)
            if page is not None:
                extra = [{'cell_type': 'markdown', 'metadata': {}, 'id': 'd2l-chapter-toc',
                          'source': toctree + todo_md}] if toctree or todo_md else []
                labels = [f'chap-{slug}'] + (['sec-index'] if index_sec else [])
                if self.stage_notebook(slug, page, labels, latex, extra):
                    notebooks[doc] = f'chapters/{slug}/index.ipynb'
                else:
                    self.put(doc + '.md', _prefix([f'chap-{slug}'], latex)
                             + f"# {chap['title']}\n\n" + toctree + todo_md)
            else:
                self.put(doc + '.md', _prefix([f'chap-{slug}'], latex)
                         + f"# {chap['title']}\n\n" + toctree + todo_md)
            for i, s in others:
                number = book.section_number(chap, i)
                sec_latex = rf'\setcounter{{section}}{{{i}}}'
                if self.stage_notebook(slug, s, [f"sec-{s['slug']}"], sec_latex):
                    d = f"{slug}/{s['slug']}"
                    numbers[d] = number
                    notebooks[d] = f"chapters/{slug}/{s['slug']}.ipynb"
            self.copy_images(slug)

        back_docs = []
        bib_text = bib.read_text() if bib.exists() else ''
        # pybtex writes a title's math as text in both HTML and LaTeX (raw
        # "$1/n$" on the page), so it is made plain text first: "1/n"
        bib_text = BIB_MATH.sub(lambda m: bibmod.detex(m.group(), math=False),
                                bib_text)
        self.put('references.bib', bib_text)
        if has_bib and not self.pdf:
            self.put('bibliography.md', '(bibliography)=\n# Bibliography\n\n'
                     'The works cited in the book, by author and year.\n'
                     + BIBLIOGRAPHY)
            back_docs.append('bibliography')
        if api_page is not None:
            self.put('api.md', '```{raw} latex\n\\backmatter\n```\n\n' + api_page)
            back_docs.append('api')

        self.put('index.md', _front_page(book, front_docs, chapters_docs,
                                         appendix_docs, back_docs))
        meta = {'numbers': numbers, 'notebooks': notebooks,
                'colab': {d: book.config.colab_url(p) for d, p in notebooks.items()},
                'zips': {d.split('/')[0]: d.split('/')[0] + '.zip' for d in notebooks},
                'labels': book.labels_cache, 'chapters_dir': str(book.dir)}
        self.put('_book.json', json.dumps(meta, indent=1, sort_keys=True))
        return meta


def _outputs_note(outputs):
    """The note a page shows above quick-mode (or missing) outputs."""
    if outputs.mode == 'full':
        return None
    if outputs.mode is None:
        return (':::{note}\nNo run of this section\'s current code has been '
                'recorded yet, so its code cells show no outputs.\n:::')
    where = ', '.join(x for x in (outputs.device, outputs.date) if x)
    return (':::{admonition} Quick-mode outputs\n:class: note d2l-quick\n'
            'The outputs on this page come from a quick-mode run (`D2L_QUICK=1`: '
            'less data, fewer epochs' + (f'; {where}' if where else '') + '), '
            'so numbers the text quotes from the default mode differ from '
            'them.\n:::')


def _tiny_png():
    """A 1x1 grey PNG (placeholder of a missing raster image)."""
    import base64
    return base64.b64decode(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4AwAA'
        '0QDQcz1/ZAAAAABJRU5ErkJggg==')


def _prefix(labels, latex):
    out = f'```{{raw}} latex\n{latex}\n```\n\n' if latex else ''
    return out + ''.join(f'({lab})=\n' for lab in labels)


def _toctree(docs, **opts):
    if not docs:
        return ''
    head = ''.join(f':{k}: {v}\n' for k, v in opts.items())
    return '```{toctree}\n' + head + ':maxdepth: 1\n\n' + '\n'.join(docs) + '\n```\n'


def _section_list(book, chap, written, todo):
    """The chapter page's list of its sections in order, unwritten in grey."""
    if not todo and not written:
        return ''
    rows = sorted([(i, s, True) for i, s in written] + [(i, s, False) for i, s in todo],
                  key=lambda row: row[0])
    items = []
    for i, s, ok in rows:
        label = _esc(f"{book.section_number(chap, i)} {s['title']}")
        items.append(f"* {{doc}}`{label} <{s['slug']}>`" if ok else
                     f'* <span class="d2l-todo">{label} (in preparation)</span>')
    return '\n:::{only} html\n' + '\n'.join(items) + '\n:::\n'


def _front_page(book, front_docs, chapters_docs, appendix_docs, back_docs):
    """The front page: the book's title and the full table of contents."""
    out = [f'# {TITLE}\n',
           'An executable textbook of deep learning with PyTorch, written '
           'to the curriculum of *Dive into Deep Learning* (Zhang, Lipton, '
           'Li, Smola), with a `d2l` package compatible with its PyTorch API. '
           'Every section is a notebook whose code ran to produce the outputs '
           'shown. '
           'Download any section as a notebook, or open it in Colab, from the '
           'buttons at the top of its page. '
           'Entries in grey are in preparation.\n',
           '## Contents\n']

    def entry(depth, number, title, doc):
        pad = '  ' * depth
        label = f'{number} {title}'.strip()
        if doc:
            return f'{pad}* {{doc}}`{_esc(label)} </{doc}>`\n'
        return (f'{pad}* <span class="d2l-todo">{_esc(label)} '
                '(in preparation)</span>\n')

    lines = []
    fslug = book.front['slug']
    for s in book.front['sections']:
        doc = f"{fslug}/{s['slug']}"
        lines.append(entry(0, '', s['title'], doc if doc in front_docs else None))
    for chap in book.all_chapters:
        doc = f"{chap['slug']}/index"
        here = doc in chapters_docs or doc in appendix_docs
        word = '' if str(chap['number']).isdigit() else 'Appendix '
        lines.append(entry(0, f"{word}{chap['number']}", chap['title'],
                           doc if here else None))
        for i, s in enumerate(chap['sections']):
            if s['slug'] == 'index':
                continue
            sdoc = f"{chap['slug']}/{s['slug']}"
            ok = here and book.written(chap['slug'], s)
            lines.append(entry(1, book.section_number(chap, i), s['title'],
                               sdoc if ok else None))
    for doc in back_docs:
        lines.append(entry(0, '', {'bibliography': 'Bibliography',
                                   'api': 'The d2l API reference'}[doc], doc))
    out.append(''.join(lines))
    out.append(_toctree(front_docs, caption='Front Matter', hidden=''))
    out.append(_toctree(chapters_docs, caption='Chapters', hidden='',
                        numbered=3))
    out.append(_toctree(appendix_docs, caption='Appendices', hidden='',
                        numbered=3))
    out.append(_toctree(back_docs, caption='Back Matter', hidden=''))
    return '\n'.join(out)


def _esc(text):
    return text.replace('<', r'\<').replace('`', "'")
