import pytest

import toc


def test_book_order_and_numbers():
    secs = toc.sections()
    assert [s.slug for s in secs[:3]] == ['preface', 'installation', 'notation']
    by_slug = {s.slug: s for s in secs}
    assert by_slug['index'].number == '1'
    assert by_slug['ndarray'].number == '2.1'
    assert by_slug['oo-design'].number == '3.2'
    assert by_slug['utils'].number == 'B.7'
    assert by_slug['oo-design'].label == 'sec-oo-design'
    assert by_slug['oo-design'].describe() == \
        'Section 3.2 (linear-regression/oo-design)'


def test_every_chapter_of_the_book_is_listed():
    numbers = [str(c['number']) for c in toc.load()['chapters']]
    assert numbers == [str(i) for i in range(1, 22)] + ['A', 'B']


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
