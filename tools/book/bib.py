"""A small BibTeX reader and the book's author-year citation style.

The site formats citations with sphinxcontrib-bibtex (configured in
:mod:`book.conf` to the same style); reader notebooks, which are built
without Sphinx, use this module:

* in text, ``{cite:p}`A,B``` -> "(Doe and Roe, 2020; Smith *et al.*, 2019)",
  ``{cite:t}`A``` -> "Doe and Roe (2020)": last names, "and" for two
  authors, "*et al.*" for three or more;
* in the list, "Jane Doe and Richard Roe (2020). A Small Book. *Nobody*."
  sorted by author, year and title.

Only what references.bib uses is understood: ``@type{key, field = {..}``,
``"..."`` or a number, nested braces, ``and``-separated names in either
"Last, First" or "First Last" form, and the usual LaTeX accents.
"""
import dataclasses
import re
import unicodedata

ACCENTS = {"'": '\u0301', '`': '\u0300', '"': '\u0308', '^': '\u0302',
           '~': '\u0303', '=': '\u0304', '.': '\u0307', 'u': '\u0306',
           'v': '\u030c', 'H': '\u030b', 'c': '\u0327', 'k': '\u0328',
           'r': '\u030a'}
LETTERS = {'ss': 'ß', 'o': 'ø', 'O': 'Ø', 'l': 'ł', 'L': 'Ł', 'ae': 'æ',
           'AE': 'Æ', 'oe': 'œ', 'OE': 'Œ', 'aa': 'å', 'AA': 'Å', 'i': 'ı',
           'j': 'ȷ'}


@dataclasses.dataclass
class Entry:
    key: str
    kind: str
    fields: dict

    def authors(self):
        """[(first, last, jr)] of the authors (or editors)."""
        raw = self.fields.get('author') or self.fields.get('editor') or ''
        return [split_name(n) for n in split_and(raw)] if raw else []

    @property
    def year(self):
        return detex(self.fields.get('year', 'n.d.'))

    def short_authors(self):
        """'Doe', 'Doe and Roe', 'Doe *et al.*' (the in-text form)."""
        names = self.authors()
        if not names:
            return detex(self.fields.get('title', self.key))
        last = [n[1] for n in names]
        if len(last) == 1 and last[0] != 'others':
            return last[0]
        if len(last) == 2 and last[1] != 'others':
            return f'{last[0]} and {last[1]}'
        return f'{last[0]} *et al.*'

    def sort_key(self):
        names = ' '.join(f'{last} {first}' for first, last, _ in self.authors())
        return (strip_accents(names).lower(), self.year,
                strip_accents(detex(self.fields.get('title', ''))).lower())

    def reference(self, math=True):
        """The entry as one Markdown line of the reference list."""
        names = [f'{first} {last}'.strip() + (f', {jr}' if jr else '')
                 if last != 'others' else 'others'
                 for first, last, jr in self.authors()]
        if names and names[-1] == 'others':
            who = ', '.join(names[:-1]) + ' *et al.*'
        elif len(names) > 2:
            who = ', '.join(names[:-1]) + ', and ' + names[-1]
        else:
            who = ' and '.join(names)
        title = detex(self.fields.get('title', ''), math=math).rstrip('.')
        venue = next((self.fields[f] for f in ('journal', 'booktitle',
                                               'publisher', 'school',
                                               'institution', 'howpublished')
                      if self.fields.get(f)), '')
        venue = detex(venue, math=math).rstrip('.')
        # Title first, then authors, year and venue: the list reads like a
        # catalogue of works, and a long title is cut at a word boundary.
        parts = [f'*{_shortened(title)}*.' if title and who else '',
                 f'{who or _shortened(title)} ({self.year}).']
        if venue and not venue.startswith('http'):
            parts.append(f'{venue}.')
        url = self.fields.get('url') or (venue if venue.startswith('http') else '')
        if url:
            parts.append(f'<{detex(url)}>')
        return ' '.join(p for p in parts if p)


def parse(text):
    """{key: Entry} of a BibTeX file's text (comments and @string ignored)."""
    out, i = {}, 0
    while True:
        at = text.find('@', i)
        if at < 0:
            return out
        m = re.compile(r'@(\w+)\s*([{(])').match(text, at)
        if not m:
            i = at + 1
            continue
        kind, i = m.group(1).lower(), m.end()
        if kind in ('comment', 'string', 'preamble'):
            i = _skip_group(text, m.end(2) - 1)
            continue
        key_end = text.index(',', i)
        key = text[i:key_end].strip()
        fields, i = {}, key_end + 1
        while True:
            m = re.compile(r'\s*(?:,\s*)?([\w:-]+)\s*=\s*').match(text, i)
            if not m:
                break
            name, i = m.group(1).lower(), m.end()
            value, i = _value(text, i)
            fields[name] = ' '.join(value.split())
        close = re.compile(r'\s*,?\s*[})]').match(text, i)
        i = close.end() if close else i + 1
        out[key] = Entry(key, kind, fields)


def _skip_group(text, start):
    depth = 0
    for j in range(start, len(text)):
        if text[j] in '{(':
            depth += 1
        elif text[j] in '})':
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def _value(text, i):
    """One field value (braced, quoted, a number, joined with #)."""
    parts = []
    while True:
        if text[i] == '{':
            end = _skip_group(text, i)
            parts.append(text[i + 1:end - 1])
            i = end
        elif text[i] == '"':
            j = i + 1
            depth = 0
            while text[j] != '"' or depth:
                depth += {'{': 1, '}': -1}.get(text[j], 0)
                j += 1
            parts.append(text[i + 1:j])
            i = j + 1
        else:
            m = re.compile(r'[\w.-]+').match(text, i)
            parts.append(m.group())
            i = m.end()
        m = re.compile(r'\s*#\s*').match(text, i)
        if not m:
            return ''.join(parts), i
        i = m.end()


def split_and(names):
    """Split an author list at top-level ' and '."""
    out, depth, start = [], 0, 0
    for j, ch in enumerate(names):
        depth += {'{': 1, '}': -1}.get(ch, 0)
        if depth == 0 and names[j:j + 5].lower() == ' and ':
            out.append(names[start:j])
            start = j + 5
    out.append(names[start:])
    return [n.strip() for n in out if n.strip()]


def split_name(name):
    """(first, last, jr) of 'Last, First', 'Last, Jr, First' or
    'First von Last' (detexed), as BibTeX reads them."""
    if name.strip().lower() == 'others':
        return ('', 'others', '')
    parts = _top_level(name).split(',')
    jr = ''
    if len(parts) > 1:                       # Last, First / Last, Jr, First
        cut = [0]
        for part in parts:
            cut.append(cut[-1] + len(part) + 1)
        pieces = [name[a:b - 1].strip() for a, b in zip(cut, cut[1:])]
        last, first = pieces[0], pieces[-1]
        jr = pieces[1] if len(pieces) > 2 else ''
    else:
        words = _words(name)
        if len(words) == 1:
            return ('', detex(words[0]), '')
        # 'von' parts (lower-case words) start the last name
        k = next((j for j, w in enumerate(words[:-1]) if w[:1].islower()),
                 len(words) - 1)
        first, last = ' '.join(words[:k]), ' '.join(words[k:])
    return (detex(first.strip()), detex(last.strip()), detex(jr))


def _top_level(text):
    out, depth = [], 0
    for ch in text:
        depth += {'{': 1, '}': -1}.get(ch, 0)
        out.append(ch if depth == 0 else '_')
    return ''.join(out)


def _words(text):
    words, depth, cur = [], 0, ''
    for ch in text:
        depth += {'{': 1, '}': -1}.get(ch, 0)
        if ch.isspace() and depth == 0:
            if cur:
                words.append(cur)
            cur = ''
        else:
            cur += ch
    return words + ([cur] if cur else [])


def detex(text, math=True):
    """LaTeX markup of a field as plain Unicode text.

    Math (``$1/n$``) is kept as ``$...$`` when `math` (Markdown renders it),
    else written out as its plain text.
    """
    def accent(m):
        letter = m.group(2)
        if letter.startswith('\\'):              # \i, \j: dotless, accented
            letter = letter[1:]
        return unicodedata.normalize('NFC', letter + ACCENTS[m.group(1)])

    def keep_math(m):
        inner = m.group(1)
        if math:
            return f'${inner}$'
        inner = re.sub(r'\\(?:mathrm|text|mathbf|mathit)\s*\{([^{}]*)\}', r'\1', inner)
        inner = re.sub(r'\\([A-Za-z]+)', r'\1', inner)
        return inner.replace('{', '').replace('}', '')

    text = re.sub(r'\\url\s*\{([^{}]*)\}', r'\1', text)
    text = re.sub(r'\\(?:emph|textit|textbf|textsc|texttt|mbox)\s*\{', '{', text)
    text = re.sub(r"\\([`'\"^~=.])\s*\{?(\\[ij]|[A-Za-z])\}?", accent, text)
    text = re.sub(r'\\([uvHckr])\s*\{(\\[ij]|[A-Za-z])\}', accent, text)
    text = re.sub(r'\\([uvHckr]) ([A-Za-z])', accent, text)
    text = re.sub(r'\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s*',
                  lambda m: LETTERS[m.group(1)], text)
    pieces = re.split(r'(\$[^$]*\$)', text)
    out = []
    for piece in pieces:
        if piece.startswith('$') and piece.endswith('$') and len(piece) > 1:
            out.append(keep_math(re.match(r'\$(.*)\$', piece, re.S)))
        else:
            piece = piece.replace('\\&', '&').replace('\\%', '%').replace('\\_', '_')
            piece = piece.replace('---', '—').replace('--', '–').replace('~', '\u00a0')
            out.append(piece.replace('{', '').replace('}', ''))
    return ''.join(out)


def strip_accents(text):
    return ''.join(c for c in unicodedata.normalize('NFD', text)
                   if not unicodedata.combining(c))


def cite(entries, keys, textual):
    """The in-text form of one {cite:p} (textual=False) or {cite:t} role.

    Works by the same authors next to each other share one name:
    "(Doe and Roe, 2019, 2020; Smith, 2018)".
    """
    groups = []                      # [authors, [years]] in citation order
    for e in (entries[k] for k in keys):
        if groups and groups[-1][0] == e.short_authors():
            groups[-1][1].append(e.year)
        else:
            groups.append([e.short_authors(), [e.year]])
    if textual:
        return '; '.join(f"{who} ({', '.join(years)})" for who, years in groups)
    return '(' + '; '.join(f"{who}, {', '.join(years)}"
                           for who, years in groups) + ')'


def _shortened(title, limit=90):
    """`title`, cut at a word boundary with an ellipsis if over `limit`."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(' ', 1)[0].rstrip(' ,:;') + ' …'
