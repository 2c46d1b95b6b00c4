"""The #@save extractor, on small made-up books."""
import textwrap

import pytest

import build_d2l
import toc

TOC = """\
front:
  slug: front
  title: Front
  sections: []
chapters:
  - number: 1
    slug: one
    title: One
    sections:
      - {slug: first, title: First}
      - {slug: second, title: Second}
"""


def book(tmp_path, first, second=''):
    """Write a two-section book whose code cells are the given strings."""
    (tmp_path / 'toc.yml').write_text(TOC)
    (tmp_path / 'one').mkdir(exist_ok=True)
    for slug, cells in (('first', first), ('second', second)):
        body = '\n'.join(f'```python\n{textwrap.dedent(c).strip()}\n```\n'
                         for c in cells)
        (tmp_path / 'one' / f'{slug}.md').write_text(f'# {slug}\n\n{body}')
    return toc.sections(tmp_path / 'toc.yml', only_existing=True)


def extract(tmp_path, first, second=()):
    return build_d2l.build(book(tmp_path, first, second))


def namespace(text):
    import sys
    import types
    module = types.ModuleType('d2l_under_test')
    sys.modules['d2l_under_test'] = module
    exec(compile(text, 'torch.py', 'exec'), module.__dict__)
    return module


def test_whole_cell_and_trailing_marker(tmp_path):
    text = extract(tmp_path, ['''
        #@save
        def double(x):
            """Twice x."""
            return 2 * x
        ''', '''
        def helper():  #@save
            return 1

        def not_saved():
            return 2
        '''])
    assert 'def double(x):' in text and 'def helper():' in text
    assert 'not_saved' not in text
    assert not any(l.rstrip().endswith('#@save') for l in text.splitlines())
    m = namespace(text)
    assert m.double(3) == 6 and m.helper() == 1


def test_docstrings_name_the_defining_section(tmp_path):
    text = extract(tmp_path, ['''
        def f():  #@save
            """Do f."""
            return 0
        '''], ['''
        def g():  #@save
            return 0
        '''])
    m = namespace(text)
    assert m.f.__doc__.startswith('Do f.')
    assert 'Defined in Section 1.1 (one/first).' in m.f.__doc__
    assert m.g.__doc__ == 'Defined in Section 1.2 (one/second).'


def test_add_to_class_methods_are_folded_into_the_class(tmp_path):
    text = extract(tmp_path, ['''
        class A:  #@save
            """An A."""
            def one(self):
                return 1
        ''', '''
        @d2l.add_to_class(A)  #@save
        def two(self):
            return 2
        '''])
    assert 'add_to_class' not in text
    assert text.index('def two') > text.index('class A')
    assert text.count('class A') == 1
    m = namespace(text)
    assert m.A().two() == 2 and m.A().one() == 1


def test_unmarked_duplicate_names_both_places(tmp_path):
    with pytest.raises(build_d2l.ExtractError,
                       match=r"'f' is saved twice: first in Section 1.1 "
                             r"\(one/first\), again in Section 1.2"):
        extract(tmp_path, ['def f():  #@save\n    return 1'],
                ['def f():  #@save\n    return 2'])


def test_marked_replacement_wins_and_keeps_its_place(tmp_path):
    text = extract(tmp_path, ['def f():  #@save\n    return 1',
                              'def g():  #@save\n    return 0'],
                   ['def f():  #@save replace\n    return 2'])
    assert text.index('def f') < text.index('def g')
    assert namespace(text).f() == 2


def test_replacing_a_method_of_the_class_body(tmp_path):
    text = extract(tmp_path, ['''
        class T:  #@save
            def fit(self):
                raise NotImplementedError
            def other(self):
                return 'o'
        '''], ['''
        @d2l.add_to_class(T)  #@save replace
        def fit(self):
            return 'fitted'
        '''])
    m = namespace(text)
    assert m.T().fit() == 'fitted' and m.T().other() == 'o'
    assert 'NotImplementedError' not in text


def test_replacing_a_method_twice_keeps_the_last(tmp_path):
    text = extract(tmp_path, ['class T:  #@save\n    pass',
                              '@d2l.add_to_class(T)  #@save\ndef m(self):\n'
                              '    return 1'],
                   ['@d2l.add_to_class(T)  #@save replace\ndef m(self):\n'
                    '    return 2'])
    assert namespace(text).T().m() == 2
    assert text.count('def m(') == 1


def test_duplicate_method_is_rejected(tmp_path):
    with pytest.raises(build_d2l.ExtractError, match="'T.m' is saved twice"):
        extract(tmp_path, ['class T:  #@save\n    def m(self):\n'
                           '        return 1'],
                ['@d2l.add_to_class(T)  #@save\ndef m(self):\n    return 2'])


def test_replace_without_an_original_is_rejected(tmp_path):
    with pytest.raises(build_d2l.ExtractError, match='nothing saved it'):
        extract(tmp_path, ['def f():  #@save replace\n    return 1'])


def test_add_to_class_needs_an_earlier_class(tmp_path):
    with pytest.raises(build_d2l.ExtractError,
                       match=r"no saved class 'Missing' comes before"):
        extract(tmp_path, ['@d2l.add_to_class(Missing)  #@save\n'
                           'def m(self):\n    return 1'])


def test_heavy_top_level_imports_are_refused(tmp_path):
    with pytest.raises(build_d2l.ExtractError,
                       match="imports 'matplotlib.pyplot' at the top level"):
        extract(tmp_path, ['#@save\nimport matplotlib.pyplot as plt'])


def test_light_imports_are_gathered_once_at_the_top(tmp_path):
    text = extract(tmp_path, ['#@save\nimport zipfile\nfrom torch import nn\n'
                              'X = 1'], ['#@save\nimport zipfile\nY = 2'])
    assert text.count('import zipfile') == 1
    assert text.index('import zipfile') < text.index('X = 1')
    assert 'from d2l import torch as d2l\n' not in text


def test_a_marker_off_a_definition_is_reported(tmp_path):
    with pytest.raises(build_d2l.ExtractError, match='trailing #@save'):
        extract(tmp_path, ['x = 1  #@save'])


def test_a_saved_cell_that_does_not_parse_is_reported(tmp_path):
    with pytest.raises(build_d2l.ExtractError, match='does not parse'):
        extract(tmp_path, ['#@save\ndef broken(:\n    pass'])


def test_magics_are_ignored(tmp_path):
    text = extract(tmp_path, ['#@save\n%matplotlib inline\nZ = 3'])
    assert '%matplotlib' not in text and 'Z = 3' in text


def test_output_is_deterministic(tmp_path):
    cells = ['def f():  #@save\n    return 1', '#@save\nimport json\nA = 1']
    assert extract(tmp_path, cells) == build_d2l.build(
        toc.sections(tmp_path / 'toc.yml', only_existing=True))


def test_committed_module_matches_the_notebooks():
    assert build_d2l.main(['--check']) == 0


def test_committed_module_has_no_undefined_names():
    pyflakes = pytest.importorskip('pyflakes.api',
                                   reason='pyflakes is a dev dependency')
    from pyflakes import reporter
    import io
    out = io.StringIO()
    pyflakes.check(build_d2l.OUTPUT.read_text(), 'd2l/torch.py',
                   reporter.Reporter(out, out))
    undefined = [l for l in out.getvalue().splitlines()
                 if 'undefined name' in l]
    assert undefined == []


def test_statements_of_one_cell_stay_together(tmp_path):
    text = extract(tmp_path, ['#@save\nA = 1\nB = 2', '#@save\nC = 3'])
    assert 'A = 1\nB = 2\n\n\nC = 3' in text


def test_methods_added_in_the_class_section_are_not_stamped(tmp_path):
    text = extract(tmp_path, ['''
        class A:  #@save
            """An A."""
            def one(self):
                """One."""
                return 1
        ''', '''
        @d2l.add_to_class(A)  #@save
        def two(self):
            """Two."""
            return 2
        '''])
    m = namespace(text)
    assert 'Defined in Section 1.1' in m.A.__doc__
    assert m.A.one.__doc__ == 'One.' and m.A.two.__doc__ == 'Two.'
    assert text.count('Defined in') == 1


def test_a_method_a_later_section_adds_or_replaces_is_stamped(tmp_path):
    text = extract(tmp_path, ['class A:  #@save\n    def one(self):\n'
                              '        return 1'],
                   ['@d2l.add_to_class(A)  #@save\ndef two(self):\n'
                    '    return 2',
                    '@d2l.add_to_class(A)  #@save replace\ndef one(self):\n'
                    '    return 11'])
    m = namespace(text)
    assert m.A.two.__doc__ == 'Defined in Section 1.2 (one/second).'
    assert m.A.one.__doc__ == 'Defined in Section 1.2 (one/second).'


def keys(tmp_path, first, second):
    sections = book(tmp_path, first, second)
    return [build_d2l.section_keys(sections, tmp_path / 'd2l')[s]
            for s in sections]


def test_a_later_saved_name_leaves_the_earlier_key_alone(tmp_path):
    base = ['def f():  #@save\n    return 1']
    one = keys(tmp_path, base, ['x = 1'])
    two = keys(tmp_path, base, ['def g():  #@save\n    return 2'])
    assert one[0] == two[0] and one[1] != two[1]


def test_a_body_an_earlier_section_reaches_changes_its_key(tmp_path):
    """f (1.1) calls d2l.g, saved in 1.2: g's body is part of 1.1's key."""
    base = ['def f():  #@save\n    return d2l.g()']
    one = keys(tmp_path, base, ['def g():  #@save\n    return 2'])
    two = keys(tmp_path, base, ['def g():  #@save\n    return 3'])
    assert one[0] != two[0]


def test_renumbering_does_not_change_keys(tmp_path):
    one = keys(tmp_path, ['def f():  #@save\n    return 1'], ['x = 1'])
    (tmp_path / 'toc.yml').write_text(TOC.replace('number: 1', 'number: 2'))
    sections = toc.sections(tmp_path / 'toc.yml', only_existing=True)
    again = build_d2l.section_keys(sections, tmp_path / 'd2l')
    assert [again[s] for s in sections] == one


def test_a_hand_written_module_counts_where_it_is_reached(tmp_path):
    """hub (download) is reached by 1.2's cell only, quickmode through hub,
    which imports it, and checks by neither section."""
    (tmp_path / 'd2l').mkdir()
    (tmp_path / 'd2l' / 'hub.py').write_text('from d2l import quickmode\n')
    (tmp_path / 'd2l' / 'quickmode.py').write_text('A = 1\n')
    (tmp_path / 'd2l' / 'checks.py').write_text('B = 1\n')
    first, second = ['def f():  #@save\n    return 1'], ['d2l.download(1)']
    one = keys(tmp_path, first, second)
    (tmp_path / 'd2l' / 'quickmode.py').write_text('A = 2\n')
    two = keys(tmp_path, first, second)
    (tmp_path / 'd2l' / 'checks.py').write_text('B = 2\n')
    three = keys(tmp_path, first, second)
    assert one[0] == two[0] == three[0]
    assert one[1] != two[1] and two[1] == three[1]
