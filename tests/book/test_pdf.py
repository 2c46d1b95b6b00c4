"""The PDF of one chapter: numbered outline, page count, a rendered page,
and the chapter's introduction at its start."""
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import toc  # noqa: E402


def _chapter():
    """The first chapter (toc order) with an introduction and at least two
    written sections, else the first with two sections."""
    by_chapter = {}
    for s in toc.sections():
        if s.chapter_number and s.md.exists():
            by_chapter.setdefault(s.chapter, []).append(s)
    assert by_chapter, 'no written chapter to build'
    candidates = [(c, secs) for c, secs in by_chapter.items() if len(secs) >= 3]
    for chapter, secs in candidates:
        if secs[0].is_intro:
            return chapter, secs
    for chapter, secs in by_chapter.items():
        if len(secs) >= 2:
            return chapter, secs
    return next(iter(by_chapter.items()))


@pytest.fixture(scope='module')
def chapter_pdf():
    import build_book
    chapter, secs = _chapter()
    assert build_book.main(['pdf', '--chapter', chapter]) == 0
    pdf = ROOT / '_build' / 'pdf' / f'book-{chapter}.pdf'
    assert pdf.exists()
    return pdf, secs


def _titles(outline, depth=0):
    for item in outline:
        if isinstance(item, list):
            yield from _titles(item, depth + 1)
        else:
            yield depth, item.title


def test_outline_has_the_chapter_and_its_numbered_sections(chapter_pdf):
    from pypdf import PdfReader
    pdf, secs = chapter_pdf
    titles = list(_titles(PdfReader(pdf).outline))
    top = [t for d, t in titles if d == 0]
    assert f'{secs[0].chapter_number} {secs[0].chapter_title}' in top
    second = [t for d, t in titles if d == 1]
    expected = [f'{s.number} {s.title}' for s in secs if s.slug != 'index' and not s.is_intro]
    assert [t for t in second if t in expected] == expected, second


def test_page_count_is_plausible(chapter_pdf):
    from pypdf import PdfReader
    pdf, secs = chapter_pdf
    pages = len(PdfReader(pdf).pages)
    assert 2 * len(secs) + 2 <= pages <= 60 * len(secs) + 10, pages


def test_the_chapter_opening_renders_to_an_image(chapter_pdf, artifacts):
    from pypdf import PdfReader
    pdf, secs = chapter_pdf
    reader = PdfReader(pdf)
    first = next(item for item in reader.outline if not isinstance(item, list)
                 and item.title.startswith(f'{secs[0].chapter_number} '))
    number = reader.get_destination_page_number(first) + 1
    stem = artifacts / 'pdf-page'
    subprocess.run(['pdftoppm', '-png', '-r', '60', '-f', str(number), '-l', str(number),
                    '-singlefile', str(pdf), str(stem)], check=True)
    png = stem.with_suffix('.png')
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert png.stat().st_size > 5_000


def test_the_chapter_opens_with_its_introduction(chapter_pdf):
    from pypdf import PdfReader
    pdf, secs = chapter_pdf
    if not secs[0].is_intro:
        pytest.skip(f'{secs[0].chapter} has no introduction page yet')
    reader = PdfReader(pdf)
    first = next(item for item in reader.outline if not isinstance(item, list)
                 and item.title.startswith(f'{secs[0].chapter_number} '))
    page = reader.pages[reader.get_destination_page_number(first)]
    text = re.sub(r'\s+', '', page.extract_text())
    prose = secs[0].md.read_text().split('\n# ', 1)[1].split('\n', 1)[1]
    sentence = next(line for line in prose.splitlines()
                    if line.strip() and not re.search(r'[{}$`*_\\[\]]', line))
    assert re.sub(r'\s+', '', sentence)[:40] in text, sentence
