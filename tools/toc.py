"""Read chapters/toc.yml: the book's order, numbering and titles.

Usage (as a module): ``from toc import sections; for s in sections(): ...``.
Run as a script it prints the numbered table of contents and marks the
sections that have a notebook.

Every chapter may have an introduction, ``chapters/<chapter>/index.md``,
which toc.yml does not list: `sections` yields it first in its chapter as a
Section with ``is_intro`` true, the chapter's number and title, and the
label ``chap-<chapter>`` (sections keep their numbers). Chapter 1, whose
only listed section is ``index``, is a section, not an introduction.
"""
import dataclasses
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / 'chapters'


@dataclasses.dataclass(frozen=True)
class Section:
    """One section of the book, as the table of contents describes it."""
    chapter: str        # chapter slug, the folder under chapters/
    slug: str           # section slug, the notebook's file stem
    number: str         # '3.2', 'A.1', or '' for the front matter
    title: str
    chapter_number: str
    chapter_title: str
    root: pathlib.Path = CHAPTERS   # the folder holding toc.yml
    is_intro: bool = False          # chapters/<chapter>/index.md, not in toc.yml

    @property
    def md(self):
        return self.root / self.chapter / f'{self.slug}.md'

    @property
    def ipynb(self):
        return self.root / self.chapter / f'{self.slug}.ipynb'

    @property
    def label(self):
        return f'chap-{self.chapter}' if self.is_intro else f'sec-{self.slug}'

    @property
    def exists(self):
        return self.md.exists()

    def describe(self):
        """'Section 3.2 (linear-regression/oo-design)' style name."""
        where = f'{self.chapter}/{self.slug}'
        if self.is_intro:
            word = 'Chapter' if self.number.isdigit() else 'Appendix'
            return f'{word} {self.number} introduction ({where})'
        return f'Section {self.number} ({where})' if self.number else where


def load(path=None):
    """The parsed table of contents, checked for duplicate slugs."""
    data = yaml.safe_load(pathlib.Path(path or CHAPTERS / 'toc.yml').read_text())
    seen = set()
    for part in [data['front'], *data['chapters']]:
        for sec in part['sections']:
            if sec['slug'] in seen:
                raise ValueError(f"toc.yml: section slug {sec['slug']!r} "
                                 'appears twice; slugs must be unique')
            seen.add(sec['slug'])
    return data


def sections(path=None, only_existing=False, intros=True):
    """Every section in book order (front matter first).

    With `intros` (the default), each chapter that does not list an
    ``index`` section starts with its introduction page (``is_intro``),
    whether or not its index.md exists yet (see `Section.exists`).
    """
    path = pathlib.Path(path or CHAPTERS / 'toc.yml')
    data, root = load(path), path.resolve().parent
    front = data['front']
    out = [Section(front['slug'], s['slug'], '', s['title'], '', front['title'],
                   root) for s in front['sections']]
    for ch in data['chapters']:
        num = str(ch['number'])
        if intros and not any(s['slug'] == 'index' for s in ch['sections']):
            out.append(Section(ch['slug'], 'index', num, ch['title'], num,
                               ch['title'], root, is_intro=True))
        for i, s in enumerate(ch['sections'], 1):
            number = num if len(ch['sections']) == 1 and s['slug'] == 'index' \
                else f'{num}.{i}'
            out.append(Section(ch['slug'], s['slug'], number, s['title'],
                               num, ch['title'], root))
    return [s for s in out if s.exists] if only_existing else out


def find(path):
    """The Section whose notebook is `path` (.md or .ipynb).

    The table of contents is the toc.yml two folders up from `path` when
    there is one (a throwaway book in a test), else the book's own.
    """
    p = pathlib.Path(path).resolve().with_suffix('.md')
    toc_yml = p.parent.parent / 'toc.yml'
    for s in sections(toc_yml if toc_yml.exists() else None):
        if s.md == p:
            return s
    raise ValueError(f'{path} is not a section listed in chapters/toc.yml')


if __name__ == '__main__':
    for s in sections():
        mark = 'x' if s.exists else ' '
        kind = ' (introduction)' if s.is_intro else ''
        print(f'[{mark}] {s.number or "-":6} {s.chapter}/{s.slug}: '
              f'{s.title}{kind}')
    sys.exit(0)
