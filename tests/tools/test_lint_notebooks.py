"""The convention checker, on a made-up one-section book."""
import pytest

import lint_notebooks
import toc

TOC = """\
front: {slug: front, title: Front, sections: []}
chapters:
  - number: 1
    slug: one
    title: One
    sections:
      - {slug: first, title: First}
      - {slug: later, title: Later}
"""

GOOD = """# First

See {numref}`sec-later`, {numref}`chap-one` and {eq}`eq-first-sum`.

$$a + b = c.$$ (eq-first-sum)

![A caption.](img/pic.svg "fig-first-pic")

As {numref}`fig-first-pic` shows {cite:p}`Known.2020`.

```python
x = 1
```

## Summary

* one

## Exercises

1. a
2. b
3. c
"""


@pytest.fixture
def book(tmp_path):
    """Write chapter one's first section; return its lint problems."""
    (tmp_path / 'toc.yml').write_text(TOC)
    (tmp_path / 'one' / 'img').mkdir(parents=True)
    (tmp_path / 'one' / 'img' / 'pic.svg').write_text('<svg/>')
    bib = tmp_path / 'references.bib'
    bib.write_text('@book{Known.2020,\n title={T}}\n')

    def write(text):
        (tmp_path / 'one' / 'first.md').write_text(text)
        contents = toc.sections(tmp_path / 'toc.yml')
        return lint_notebooks.lint([contents[0]], contents, bib)
    return write


def test_a_clean_section_passes(book):
    assert book(GOOD) == []


def test_title_must_match_the_toc(book):
    [p] = book(GOOD.replace('# First', '# Something else'))
    assert "differs from 'First'" in p


def test_unknown_reference(book):
    [p] = book(GOOD.replace('{eq}`eq-first-sum`', '{eq}`eq-missing`'))
    assert "unknown label 'eq-missing'" in p


def test_duplicate_label(book):
    text = GOOD.replace('## Summary', '$$x$$ (eq-first-sum)\n\n## Summary')
    problems = book(text)
    assert len(problems) == 2
    assert all("'eq-first-sum' is defined 2 times" in p for p in problems)


def test_missing_image_and_citation(book):
    text = GOOD.replace('img/pic.svg', 'img/nope.svg').replace(
        'Known.2020', 'Unknown.1999')
    problems = book(text)
    assert any('image img/nope.svg does not exist' in p for p in problems)
    assert any("'Unknown.1999' is not in" in p for p in problems)


def test_summary_and_three_exercises_are_required(book):
    text = GOOD.replace('## Summary', '## Recap').replace('3. c\n', '')
    problems = book(text)
    assert any('no "## Summary"' in p for p in problems)
    assert any('at least 3 items, found 2' in p for p in problems)


def test_long_code_lines(book):
    [p] = book(GOOD.replace('x = 1', 'x = ' + '1' * 80))
    assert 'code line has 84 characters' in p


def test_labels_differing_only_in_case(book):
    text = GOOD.replace('## Summary', '$$y$$ (eq-First-sum)\n\n## Summary')
    problems = book(text)
    assert len(problems) == 2
    assert all('only in case' in p for p in problems)


def test_control_characters_are_reported(book):
    [p] = book(GOOD.replace('Some', 'x').replace('a + b', 'a \x07pprox b'))
    assert "control character '\\x07'" in p
