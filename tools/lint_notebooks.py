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
  a control character anywhere (it breaks the LaTeX build);
* has an unescaped ``$`` followed by a digit outside math (a price such as
  ``$350`` is typeset as math in Jupyter and the site: write ``\\$350``);
* quotes a result with ``{result}`0.821``` that does not appear in the text
  outputs of the section's fresh full-mode run record (rounding rule in
  `quoted_matches`; a stale full record is a problem too); a section
  without a full record may quote only what its ``# NBVAL_CHECK_OUTPUT``
  cells print in the fresh quick record.

A chapter introduction (``chapters/<chapter>/index.md``, ``is_intro``) needs
the chapter's title but no Summary or Exercises. The Markdown is parsed with
markdown-it-py, so fences of any length and math blocks are recognised as
CommonMark does.
"""
import argparse
import collections
import decimal
import pathlib
import re
import sys

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

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
RESULT = re.compile(r'\{result\}`([^`]+)`')
CHECKED = '# NBVAL_CHECK_OUTPUT'
DOLLAR = re.compile(r'(?<!\\)\$')
WORD = re.compile(r'(?<![\\A-Za-z])[A-Za-z]{2,}')
CODE_SPAN = re.compile(r'(`+)(?!`).*?(?<!`)\1(?!`)', re.S)
NUMBER = re.compile(r'[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)'
                    r'(?:[eE][-+]?\d+)?%?')
MARKDOWN = MarkdownIt('commonmark').use(dollarmath_plugin)


def split_body(text):
    """Drop the jupytext YAML header; return (first body line no., lines)."""
    lines = text.splitlines()
    if lines and lines[0] == '---':
        end = lines.index('---', 1)
        return end + 2, lines[end + 1:]
    return 1, lines


def blocks(lines):
    """(fence lines, code lines, inline tokens) of a body, via markdown-it.

    Line numbers are 0-based indices into `lines`. Fence lines are the
    opening and closing markers; code lines what lies between them (or an
    indented code block).
    """
    tokens = MARKDOWN.parse('\n'.join(lines))
    fences, code, inline = set(), set(), []
    for tok in tokens:
        if tok.type == 'fence' and tok.map:
            first, end = tok.map
            closed = end - 1 > first and lines[end - 1].strip().startswith(
                tok.markup)
            fences.update({first, end - 1} if closed else {first})
            code.update(range(first + 1, end - 1 if closed else end))
        elif tok.type == 'code_block' and tok.map:
            code.update(range(*tok.map))
        elif tok.type == 'inline' and tok.map:
            inline.append(tok)
    return fences, code, inline


def currency(text):
    """Offsets of each unescaped `$` + digit in `text` that is not math.

    Such a `$` opens inline math only when a closing `$` follows and the
    span between them holds no word (two or more letters not after a
    backslash, outside braces) and does not end in a space; code spans and
    `$$` are skipped.
    """
    text = CODE_SPAN.sub(lambda m: ' ' * len(m.group()), text)
    text = re.sub(r'(?<!\\)\$\$.*?(?<!\\)\$\$',
                  lambda m: ' ' * len(m.group()), text, flags=re.S)
    bad, pos = [], 0
    while (m := DOLLAR.search(text, pos)):
        close = DOLLAR.search(text, m.end())
        if text[m.end():m.end() + 1].isdigit():
            span = text[m.end():close.start()] if close else None
            if span is None or _has_word(span) or span.endswith(' '):
                bad.append(m.start())
                pos = m.end()
                continue
        if close is None:
            break
        pos = close.end()
    return bad


def _has_word(span):
    """Whether a would-be math span holds a plain word (outside braces)."""
    while True:
        inner = re.sub(r'\{[^{}]*\}', '', span)
        if inner == span:
            return bool(WORD.search(span))
        span = inner


def scan(section):
    """Labels defined, references made and local problems of one section."""
    start, lines = split_body(section.md.read_text())
    rel = (section.md.relative_to(toc.ROOT)
           if toc.ROOT in section.md.parents else section.md)
    defined, refs, cites, problems, quotes = [], [], [], [], []
    heading, part, summary, exercises = None, None, False, 0
    fences, code, inline = blocks(lines)
    for tok in inline:
        for offset in currency(tok.content):
            n = start + tok.map[0] + tok.content.count('\n', 0, offset)
            problems.append(f'{rel}:{n}: "$" followed by a digit outside '
                            'math is typeset as math; write a price as '
                            '"\\$350"')
    for i, line in enumerate(lines):
        n = start + i
        where = f'{rel}:{n}'
        if CONTROL.search(line):
            problems.append(f'{where}: control character '
                            f'{CONTROL.search(line).group()!r} (a stray '
                            'escape such as "\\a" written by a script?)')
        if i in fences:
            continue
        if i in code:
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
        quotes += [(m.group(1), where) for m in RESULT.finditer(line)]
        refs += [(m.group(2).strip(), where) for m in REF.finditer(line)]
        cites += [(k.strip(), where) for m in CITE.finditer(line)
                  for k in m.group(1).split(',')]
    if heading is None:
        problems.append(f'{rel}: no "# Title" heading')
    intro = getattr(section, 'is_intro', False)
    if section.number and not intro and not summary:
        problems.append(f'{rel}: no "## Summary" section')
    if section.number and not intro and exercises < 3:
        problems.append(f'{rel}: "## Exercises" needs at least 3 items, '
                        f'found {exercises}')
    if quotes:
        problems += result_problems(section, quotes, rel)
    return defined, refs, cites, problems


def result_problems(section, quotes, rel):
    """Quoted results missing from the section's fresh full-mode record.

    A section without a full-mode record (one whose default run needs a GPU)
    may still quote what its `# NBVAL_CHECK_OUTPUT` cells print: those
    outputs are fixed by the code, the same in both modes (shapes, parameter
    counts), and nbval holds them to it, so they are checked against the
    fresh quick-mode record instead.
    """
    import runs
    record = runs.load(section, 'full')
    make = f'run `make record NB={rel}`'
    if record is None:
        return checked_only_problems(section, quotes, rel, make)
    if not record.fresh:
        return [f'{rel}: its full-mode run record is not fresh '
                f'({"; ".join(record.problems())}); {make}']
    text = output_text(record.outputs)
    return [f'{where}: quoted result {q!r} appears in no text output of the '
            f'full-mode run record (see `quoted_matches`)'
            for q, where in quotes if not quoted_matches(q, text)]


def checked_only_problems(section, quotes, rel, make):
    """Quotes missing from the checked cells of the fresh quick record."""
    import build_d2l
    import runs
    record = runs.load(section, 'quick')
    if record is None or not record.fresh:
        return [f'{rel}: quotes {len(quotes)} result(s) but has no full-mode '
                f'run record; {make}']
    checked = [out for source, out in zip(build_d2l.code_cells(section),
                                          record.outputs)
               if CHECKED in source]
    text = output_text(checked)
    return [f'{where}: quoted result {q!r} appears neither in a full-mode run '
            f'record (none; {make}) nor in the output of a '
            f'`{CHECKED}` cell of the quick-mode record'
            for q, where in quotes if not quoted_matches(q, text)]


def output_text(outputs):
    """The text a record's outputs show: streams and text/plain, markdown."""
    parts = []
    for cell in outputs:
        for o in cell:
            parts.append(o.get('text', ''))
            data = o.get('data', {})
            parts += [data.get(k, '') for k in ('text/plain', 'text/markdown')]
    return '\n'.join(p if isinstance(p, str) else ''.join(p) for p in parts)


def _decimal(text):
    """Decimal of a printed number without thousands separators or '%'."""
    return decimal.Decimal(text.replace(',', '').rstrip('%'))


def quoted_matches(quote, text):
    """Whether the quoted number `quote` is shown in `text`.

    The rule: thousands separators are ignored; a printed number matches
    when, rounded half up to as many decimals as the quote shows (or, for a
    quote in scientific notation, to as many significant digits), it equals
    the quote; a quote ending in '%' also matches a printed fraction times
    100. So `0.821` matches 0.8213 and 0.82149, `82.1%` matches 0.8213 and
    82.1%, `61,706` matches 61706. A quote that is not a number must appear
    verbatim.
    """
    q = quote.strip()
    if not NUMBER.fullmatch(q):
        return q in text
    want = _decimal(q)
    for m in NUMBER.finditer(text):
        try:
            shown = _decimal(m.group())
        except decimal.InvalidOperation:
            continue
        candidates = [shown]
        if q.endswith('%') and not m.group().endswith('%'):
            candidates.append(shown * 100)
        if any(_rounded_like(c, q) == want for c in candidates):
            return True
    return False


def _rounded_like(value, quote):
    """`value` rounded half up the way `quote` is written."""
    digits = quote.replace(',', '').rstrip('%')
    if 'e' in digits.lower():
        mantissa = digits.lower().split('e')[0].lstrip('+-')
        places = len(mantissa.replace('.', '').lstrip('0')) or 1
        return decimal.Context(prec=places,
                               rounding=decimal.ROUND_HALF_UP).plus(value)
    places = len(digits.split('.')[1]) if '.' in digits else 0
    # quantize needs every digit of the result: 2.2e+25 to 5 places has 31
    precision = max(28, value.adjusted() + places + 2)
    return value.quantize(decimal.Decimal(1).scaleb(-places),
                          rounding=decimal.ROUND_HALF_UP,
                          context=decimal.Context(prec=precision))


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
        if s not in scanned:
            problems.append(f'{s.md}: does not exist')
            continue
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
