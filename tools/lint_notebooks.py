"""Check the source conventions of every section notebook (CONTRIBUTING.md).

Usage:
    python tools/lint_notebooks.py [FILE.md ...]     # all sections by default

Exit 1 and list each problem as ``path:line: message`` when a section
* has a first heading that differs from its title in chapters/toc.yml;
* lacks a ``## Summary`` or has fewer than 3 items under ``## Exercises``;
* refers ({numref}, {ref}, {eq}) to a label nothing defines, or defines a
  label twice (sections are ``sec-<slug>`` and chapters ``chap-<slug>``,
  for every entry of the table of contents, written or not), or defines
  two labels that differ only in case;
* shows an image that does not exist, or cites a key missing from
  chapters/references.bib;
* has a code line longer than 79 characters (it would overflow the PDF), or
  a control character anywhere (it breaks the LaTeX build).
"""
import argparse
import collections
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import toc  # noqa: E402

MAX_CODE_LINE = 79
REF = re.compile(r'\{(numref|ref|eq)\}`(?:[^`<]*<)?([^`>]+)>?`')
CITE = re.compile(r'\{cite(?::[pt])?\}`([^`]+)`')
EQ_LABEL = re.compile(r'\$\$\s*\((eq-[\w-]+)\)')
FIG = re.compile(r'!\[[^\]]*\]\(([^)\s]+)(?:\s+"(fig-[\w-]+)")?\)')
TABLE_NAME = re.compile(r'^:name:\s*(tab-[\w-]+)\s*$')
TARGET = re.compile(r'^\((([\w-]+))\)=\s*$')
CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')


def split_body(text):
    """Drop the jupytext YAML header; return (first body line no., lines)."""
    lines = text.splitlines()
    if lines and lines[0] == '---':
        end = lines.index('---', 1)
        return end + 2, lines[end + 1:]
    return 1, lines


def scan(section):
    """Labels defined, references made and local problems of one section."""
    start, lines = split_body(section.md.read_text())
    rel = (section.md.relative_to(toc.ROOT)
           if toc.ROOT in section.md.parents else section.md)
    defined, refs, cites, problems = [], [], [], []
    in_code, heading, part, summary, exercises = False, None, None, False, 0
    for n, line in enumerate(lines, start):
        where = f'{rel}:{n}'
        if CONTROL.search(line):
            problems.append(f'{where}: control character '
                            f'{CONTROL.search(line).group()!r} (a stray '
                            'escape such as "\\a" written by a script?)')
        if line.startswith('```'):
            in_code = not in_code or line.strip() != '```'
            continue
        if in_code:
            if len(line) > MAX_CODE_LINE:
                problems.append(f'{where}: code line has {len(line)} '
                                f'characters (at most {MAX_CODE_LINE})')
            continue
        if heading is None and line.startswith('# '):
            heading = line[2:].strip()
            if heading != section.title:
                problems.append(f'{where}: title {heading!r} differs from '
                                f'{section.title!r} in chapters/toc.yml')
        if line.startswith('## '):
            part = line[3:].strip()
            summary = summary or part == 'Summary'
        elif part == 'Exercises' and re.match(r'^(\d+\.|[-*])\s', line):
            exercises += 1
        for m in EQ_LABEL.finditer(line):
            defined.append((m.group(1), where))
        for m in FIG.finditer(line):
            path, label = m.group(1), m.group(2)
            if not re.match(r'^[a-z]+://', path) and not (
                    section.md.parent / path).exists():
                problems.append(f'{where}: image {path} does not exist')
            if label:
                defined.append((label, where))
        for pattern in (TABLE_NAME, TARGET):
            m = pattern.match(line.strip())
            if m:
                defined.append((m.group(1), where))
        refs += [(m.group(2).strip(), where) for m in REF.finditer(line)]
        cites += [(k.strip(), where) for m in CITE.finditer(line)
                  for k in m.group(1).split(',')]
    if heading is None:
        problems.append(f'{rel}: no "# Title" heading')
    if section.number and not summary:
        problems.append(f'{rel}: no "## Summary" section')
    if section.number and exercises < 3:
        problems.append(f'{rel}: "## Exercises" needs at least 3 items, '
                        f'found {exercises}')
    return defined, refs, cites, problems


def bib_keys(path=None):
    path = pathlib.Path(path or toc.CHAPTERS / 'references.bib')
    if not path.exists():
        return set()
    return set(re.findall(r'^\s*@\w+\s*\{\s*([^,\s]+)\s*,',
                          path.read_text(), flags=re.M))


def lint(sections, contents, bib=None):
    """All problems of `sections`, checked against the whole book.

    `contents` is every section of the table of contents, written or not.
    """
    labels = collections.defaultdict(list)
    # Every section and chapter of the table of contents can be referred to,
    # written or not: the book build numbers (and stubs) unwritten ones.
    for s in contents:
        labels[s.label].append('chapters/toc.yml')
    for chapter in {s.chapter for s in contents}:
        labels[f'chap-{chapter}'].append('chapters/toc.yml')
    scanned = {s: scan(s) for s in contents if s.exists}
    for defined, _, _, _ in scanned.values():
        for label, where in defined:
            labels[label].append(where)
    keys = bib_keys(bib)
    problems = []
    folded = collections.Counter(label.lower() for label in labels)
    for s in sections:
        defined, refs, cites, local = scanned[s]
        problems += local
        for label, where in defined:
            if len(labels[label]) > 1:
                problems.append(f'{where}: label {label!r} is defined '
                                f'{len(labels[label])} times')
            elif folded[label.lower()] > 1:
                problems.append(f'{where}: label {label!r} differs from '
                                'another label only in case (the book '
                                'build lowercases labels)')
        for label, where in refs:
            if label not in labels:
                problems.append(f'{where}: reference to unknown label '
                                f'{label!r}')
        for key, where in cites:
            if key not in keys:
                problems.append(f'{where}: citation key {key!r} is not in '
                                'chapters/references.bib')
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('files', nargs='*', help='section .md files')
    args = parser.parse_args(argv)
    contents = toc.sections()
    chosen = ([toc.find(f) for f in args.files] if args.files
              else [s for s in contents if s.exists])
    problems = lint(chosen, contents)
    for p in problems:
        print(p)
    if problems:
        print(f'lint: {len(problems)} problem(s)', file=sys.stderr)
        return 1
    print(f'lint: {len(chosen)} section(s) follow the conventions')
    return 0


if __name__ == '__main__':
    sys.exit(main())
