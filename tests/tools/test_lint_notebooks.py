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
        first = [s for s in contents if s.slug == 'first']
        return lint_notebooks.lint(first, contents, bib)
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


def test_a_four_backtick_fence_does_not_flip_the_file(book):
    text = GOOD.replace('```python\nx = 1\n```', '````markdown\n```python\n'
                        'x = 1\n```\n````')
    assert book(text) == []
    problems = book(text.replace('{eq}`eq-first-sum`', '{eq}`eq-missing`'))
    assert [p for p in problems if 'eq-missing' in p]


def test_code_in_a_long_fence_is_still_code(book):
    text = GOOD.replace('```python\nx = 1\n```',
                        '````python\nx = "{numref}`nowhere`"\n````')
    assert book(text) == []


@pytest.mark.parametrize('line', [
    'A plumber sends you two bills: $350 for a job and $250 for another.',
    'The rate is $100 per hour.',
    'It costs $5, while $x$ is free.',
    'The fee is $50.',
])
def test_a_price_written_with_a_bare_dollar_is_rejected(book, line):
    problems = book(GOOD.replace('## Summary', line + '\n\n## Summary'))
    assert problems and all('"$" followed by a digit' in p for p in problems)
    assert problems[0].startswith('one/first.md:') or ':' in problems[0]


@pytest.mark.parametrize('line', [
    'An escaped price: \\$350 and \\$250.',
    'Math: $2^n$, $10 \\times 10$, $0.5$ and $1 - \\eta \\cdot \\mathrm{wd}$.',
    'Display $$1 + 1 = 2$$ inline, and code `$5` too.',
])
def test_math_and_escaped_dollars_pass(book, line):
    assert book(GOOD.replace('## Summary', line + '\n\n## Summary')) == []


def test_a_dollar_in_code_is_not_a_price(book):
    assert book(GOOD.replace('x = 1', "price = '$350'")) == []


def intro_book(tmp_path, text):
    (tmp_path / 'toc.yml').write_text(TOC)
    (tmp_path / 'one').mkdir(exist_ok=True)
    (tmp_path / 'one' / 'index.md').write_text(text)
    contents = toc.sections(tmp_path / 'toc.yml')
    intro = [s for s in contents if getattr(s, 'is_intro', False)]
    if not intro:
        pytest.skip('toc.py yields no chapter introductions')
    return lint_notebooks.lint(intro, contents, tmp_path / 'none.bib')


def test_an_introduction_needs_no_summary_or_exercises(tmp_path):
    assert intro_book(tmp_path, '# One\n\nWhat {numref}`sec-first` does.\n') \
        == []


def test_an_introduction_has_the_chapter_title(tmp_path):
    [p] = intro_book(tmp_path, '# Chapter one\n\nWords.\n')
    assert "title 'Chapter one' differs from 'One'" in p


QUOTED = GOOD.replace('## Summary', 'Accuracy reached {result}`0.821` and '
                      '{result}`82.1%` after {result}`1,000` steps.\n\n'
                      '## Summary')


def full_record(tmp_path, text):
    import runs
    [section] = [s for s in toc.sections(tmp_path / 'toc.yml')
                 if s.slug == 'first']
    outputs = [[{'output_type': 'stream', 'name': 'stdout', 'text': text}]]
    runs.write(section, 'full', outputs, {'kernel_mode': 'full'})
    return section


def test_quoted_results_match_the_full_record(book, tmp_path):
    book(QUOTED)
    full_record(tmp_path, 'step 1000: val_acc 0.82134\n')
    assert book(QUOTED) == []


def test_a_quoted_result_missing_from_the_record_fails(book, tmp_path):
    book(QUOTED)
    full_record(tmp_path, 'step 1000: val_acc 0.8251\n')
    problems = book(QUOTED)
    assert len(problems) == 2
    assert "quoted result '0.821' appears in no text output" in problems[0]
    assert "'82.1%'" in problems[1]


def test_quoted_results_need_a_full_record(book):
    [p] = book(QUOTED)
    assert 'quotes 3 result(s) but has no full-mode run record' in p


def test_quoted_results_need_a_fresh_full_record(book, tmp_path):
    book(QUOTED)
    full_record(tmp_path, 'step 1000: val_acc 0.82134\n')
    [p] = book(QUOTED.replace('x = 1', 'x = 2'))
    assert 'full-mode run record is not fresh (code cells changed' in p


CHECKED = QUOTED.replace('x = 1', '# NBVAL_CHECK_OUTPUT\nx = 1')


def quick_record(tmp_path, text):
    import runs
    [section] = [s for s in toc.sections(tmp_path / 'toc.yml')
                 if s.slug == 'first']
    outputs = [[{'output_type': 'stream', 'name': 'stdout', 'text': text}]]
    runs.write(section, 'quick', outputs, {'kernel_mode': 'quick'})


def test_without_a_full_record_checked_cells_of_the_quick_record_count(
        book, tmp_path):
    book(CHECKED)
    quick_record(tmp_path, 'params 1,000 ratio 0.8213\n')
    assert book(CHECKED) == []


def test_without_a_full_record_unchecked_cells_do_not_count(book, tmp_path):
    book(QUOTED)
    quick_record(tmp_path, 'params 1,000 ratio 0.8213\n')
    problems = book(QUOTED)
    assert len(problems) == 3
    assert all("nor in the output of a `# NBVAL_CHECK_OUTPUT` cell" in p
               for p in problems)


def test_a_stale_quick_record_does_not_count(book, tmp_path):
    book(CHECKED)
    quick_record(tmp_path, 'params 1,000 ratio 0.8213\n')
    [p] = book(CHECKED.replace('x = 1', 'x = 2'))
    assert 'quotes 3 result(s) but has no full-mode run record' in p


@pytest.mark.parametrize('quote, shown, ok', [
    ('0.821', 'acc 0.8213', True),
    ('0.821', 'acc 0.8215', False),        # rounds half up to 0.822
    ('0.822', 'acc 0.8215', True),
    ('82.1%', 'acc 0.8213', True),
    ('82.1%', 'acc 82.1%', True),
    ('61,706', 'params 61706', True),
    ('61,706', 'params 61,706', True),
    ('1.2e-3', 'loss 1.23e-03', True),
    ('-0.9132', 'tensor([ 1.7829, -0.9132])', True),
    ('0.9132', 'tensor([ 1.7829, -0.9132])', False),
    ('12', 'shape [1,2]', False),
    ('Adam', 'optimizer Adam', True),
])
def test_the_rounding_rule(quote, shown, ok):
    assert lint_notebooks.quoted_matches(quote, shown) is ok


def test_a_huge_printed_number_beside_a_small_quote_is_no_crash():
    text = 'entries from -8.3012E+24 to 2.2e+25; variance 0.00497'
    assert lint_notebooks.quoted_matches('0.00497', text)
    assert not lint_notebooks.quoted_matches('0.00498', text)
    assert lint_notebooks.quoted_matches('2.2e+25', text)
