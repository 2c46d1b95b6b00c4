import pytest

import toc


def test_book_order_and_numbers():
    secs = toc.sections()
    assert [s.slug for s in secs[:3]] == ['preface', 'installation', 'notation']
    by_name = {f'{s.chapter}/{s.slug}': s for s in secs}
    assert by_name['introduction/index'].number == '1'
    assert not by_name['introduction/index'].is_intro      # listed: a section
    assert by_name['preliminaries/ndarray'].number == '2.1'
    assert by_name['linear-regression/oo-design'].number == '3.2'
    assert by_name['appendix-tools-for-deep-learning/utils'].number == 'B.7'
    assert by_name['linear-regression/oo-design'].label == 'sec-oo-design'
    assert by_name['linear-regression/oo-design'].describe() == \
        'Section 3.2 (linear-regression/oo-design)'


def test_every_chapter_of_the_book_is_listed():
    numbers = [str(c['number']) for c in toc.load()['chapters']]
    assert numbers == [str(i) for i in range(1, 22)] + ['A', 'B']


TOC = """\
front: {slug: front, title: Front, sections: [{slug: preface, title: Preface}]}
chapters:
  - {number: 1, slug: intro, title: Intro, sections: [{slug: index, title: Intro}]}
  - number: 2
    slug: basics
    title: Basics
    sections: [{slug: a, title: A}, {slug: b, title: B}]
  - {number: A, slug: app, title: Appendix Stuff, sections: [{slug: c, title: C}]}
"""


def test_chapter_introductions_come_first_and_keep_section_numbers(tmp_path):
    (tmp_path / 'toc.yml').write_text(TOC)
    secs = toc.sections(tmp_path / 'toc.yml')
    assert [(s.chapter, s.slug, s.number, s.is_intro) for s in secs] == [
        ('front', 'preface', '', False),
        ('intro', 'index', '1', False),
        ('basics', 'index', '2', True), ('basics', 'a', '2.1', False),
        ('basics', 'b', '2.2', False),
        ('app', 'index', 'A', True), ('app', 'c', 'A.1', False)]
    intro = secs[2]
    assert intro.title == intro.chapter_title == 'Basics'
    assert intro.label == 'chap-basics'
    assert intro.md == tmp_path / 'basics' / 'index.md'
    assert intro.describe() == 'Chapter 2 introduction (basics/index)'
    assert secs[5].describe() == 'Appendix A introduction (app/index)'
    assert not toc.sections(tmp_path / 'toc.yml', only_existing=True)
    (tmp_path / 'basics').mkdir()
    (tmp_path / 'basics' / 'index.md').write_text('# Basics\n')
    assert toc.sections(tmp_path / 'toc.yml', only_existing=True) == [intro]
    assert toc.find(tmp_path / 'basics' / 'index.ipynb') == intro
    assert [s.slug for s in toc.sections(tmp_path / 'toc.yml', intros=False)] \
        == ['preface', 'index', 'a', 'b', 'c']


def test_the_real_book_has_an_introduction_slot_per_chapter():
    intros = [s for s in toc.sections() if s.is_intro]
    chapters = toc.load()['chapters']
    assert len(intros) == len(chapters) - 1            # all but chapter 1
    assert {s.label for s in intros} == {
        f"chap-{c['slug']}" for c in chapters[1:]}


def test_duplicate_slugs_are_rejected(tmp_path):
    (tmp_path / 'toc.yml').write_text(
        'front: {slug: f, title: F, sections: [{slug: a, title: A}]}\n'
        'chapters:\n  - {number: 1, slug: c, title: C, '
        'sections: [{slug: a, title: A2}]}\n')
    with pytest.raises(ValueError, match="slug 'a' appears twice"):
        toc.load(tmp_path / 'toc.yml')


def test_find_rejects_unlisted_files(tmp_path):
    with pytest.raises(ValueError, match='not a section listed'):
        toc.find(tmp_path / 'stray.md')
