"""Run records: keys, the self-hash, freshness and the metric check."""
import gc
import json
import textwrap

import nbformat
import pytest

import runs
import toc

TOC = """\
front: {slug: front, title: Front, sections: []}
chapters:
  - number: 1
    slug: one
    title: One
    sections:
      - {slug: first, title: First}
      - {slug: second, title: Second}
"""


def cells(*sources):
    return '\n'.join(f'```python\n{textwrap.dedent(s).strip()}\n```\n'
                     for s in sources)


@pytest.fixture
def book(tmp_path):
    """A two-section book with a hand-written d2l module beside it."""
    root = tmp_path / 'chapters'
    (root / 'one').mkdir(parents=True)
    (root / 'toc.yml').write_text(TOC)
    (tmp_path / 'd2l').mkdir()
    (tmp_path / 'd2l' / 'hub.py').write_text('X = 1\n')

    def write(slug, body):
        (root / 'one' / f'{slug}.md').write_text(f'# {slug}\n\n{body}')
        return {s.slug: s for s in toc.sections(root / 'toc.yml')}
    write('first', 'Prose.\n\n' + cells('class A:  #@save\n    pass',
                                      'x = 1\nx'))
    return write


def test_code_key_ignores_prose_but_not_code(book):
    s = book('second', 'Words.\n\n' + cells('y = 2'))
    key = runs.code_key(s['second'])
    s = book('second', 'Other words.\n\n' + cells('y = 2'))
    assert runs.code_key(s['second']) == key
    s = book('second', 'Other words.\n\n' + cells('y = 3'))
    assert runs.code_key(s['second']) != key


def test_later_saved_code_leaves_an_earlier_key_alone(book):
    s = book('second', cells('y = 2'))
    first = runs.d2l_key(s['first'])
    s = book('second', cells('def g():  #@save\n    return 2'))
    assert runs.d2l_key(s['first']) == first
    assert runs.d2l_key(s['second']) != first


def test_a_method_added_later_changes_the_earlier_key(book):
    s = book('second', cells('y = 2'))
    first = runs.d2l_key(s['first'])
    s = book('second', cells('@d2l.add_to_class(A)  #@save\n'
                             'def m(self):\n    return 1'))
    assert runs.d2l_key(s['first']) != first


def test_a_hand_written_module_changes_the_keys_that_reach_it(book,
                                                               tmp_path):
    s = book('second', cells('d2l.download("x")'))
    before = [runs.d2l_key(s['first']), runs.d2l_key(s['second'])]
    (tmp_path / 'd2l' / 'hub.py').write_text('X = 2\n')
    after = [runs.d2l_key(s['first']), runs.d2l_key(s['second'])]
    assert before[0] == after[0] and before[1] != after[1]
    (tmp_path / 'd2l' / '__init__.py').write_text('"""The package."""\n')
    again = [runs.d2l_key(s['first']), runs.d2l_key(s['second'])]
    assert again[0] != after[0] and again[1] != after[1]


def record(section, mode='quick', outputs=None):
    outputs = outputs or [[], [{'output_type': 'execute_result',
                                'data': {'text/plain': '1'}, 'metadata': {},
                                'execution_count': 2}]]
    return runs.write(section, mode, outputs,
                      {'device': 'CPU', 'seconds': 1.0, 'kernel_mode': mode},
                      {'board1/loss/last': 0.5})


def test_a_written_record_loads_and_is_fresh(book):
    first = book('second', cells('y = 2'))['first']
    record(first)
    r = runs.load(first, 'quick')
    assert r.fresh and r.intact and r.mode == 'quick'
    assert r.outputs[1][0]['data']['text/plain'] == '1'
    assert r.metrics == {'board1/loss/last': 0.5}
    assert runs.path(first, 'quick').name == 'first.quick.json'
    assert runs.load(first, 'full') is None


def test_a_hand_edit_is_caught(book):
    first = book('second', cells('y = 2'))['first']
    file = record(first).file
    data = json.loads(file.read_text())
    data['outputs'][1][0]['data']['text/plain'] = '2'
    file.write_text(json.dumps(data))
    r = runs.load(first, 'quick')
    assert not r.intact and not r.fresh
    assert 'edited by hand' in r.problems()[0]


def test_a_record_under_another_mode_is_drift(book):
    first = book('second', cells('y = 2'))['first']
    file = record(first, 'quick').file
    file.rename(runs.path(first, 'full'))
    r = runs.load(first, 'full')
    assert r.intact and not r.mode_ok and not r.fresh
    assert any('mode drift' in p for p in r.problems())


def test_a_kernel_that_ran_another_mode_is_drift(book):
    first = book('second', cells('y = 2'))['first']
    runs.write(first, 'full', [[], []], {'kernel_mode': 'quick'})
    assert not runs.load(first, 'full').fresh


def test_editing_code_stales_the_record(book, tmp_path):
    s = book('second', cells('y = 2'))
    record(s['first'])
    md = s['first'].md
    md.write_text(md.read_text().replace('x = 1', 'x = 11'))
    assert runs.load(s['first'], 'quick').problems() == [
        'code cells changed since the run']


def test_best_prefers_a_fresh_full_record(book):
    first = book('second', cells('y = 2'))['first']
    assert runs.best(first) is None
    record(first, 'quick')
    assert runs.best(first).mode == 'quick'
    record(first, 'full')
    assert runs.best(first).mode == 'full'
    runs.path(first, 'full').write_text(
        runs.path(first, 'full').read_text().replace('"1"', '"9"'))
    assert runs.best(first).mode == 'quick'


def test_volatile_metadata_is_stripped():
    out = runs.clean([{'output_type': 'display_data', 'data': {},
                       'metadata': {'execution': {'t': 1}},
                       'transient': {'display_id': 'x'}}])
    assert out == [{'output_type': 'display_data', 'data': {},
                    'metadata': {}}]


def test_nbval_notebook_carries_outputs_and_the_metric_check(book):
    first = book('second', cells('y = 2'))['first']
    record(first)
    nb = runs.nbval_notebook(first)
    code = [c for c in nb.cells if c.cell_type == 'code']
    assert runs.is_probe(code[0]) and runs.is_probe(code[-1])
    assert code[2].outputs[0]['data']['text/plain'] == '1'
    assert '"board1/loss/last": 0.5' in code[-1].source
    assert '_d2l_probe' in code[0].source
    nbformat.validate(nb)


class _Board:
    def __init__(self, data):
        self.data = data


def _check(recorded, now, monkeypatch):
    """Run the hidden end cells against one fake board."""
    monkeypatch.setattr(gc, 'get_objects', lambda: [])
    kernel = {'_d2l_probe': {'boards': [_Board(now)]},
              'abs': None, 'json': None, 'sum': None}   # rebound by a notebook
    exec(runs.check_source(recorded), kernel)


def test_metrics_within_tolerance_pass(monkeypatch):
    recorded = {'board1/loss/n': 2, 'board1/loss/last': 1.0,
                'board1/loss/mean': 1.5}
    _check(recorded, {'loss': [(1, 2.0), (2, 1.0 + runs.RTOL / 2)]},
           monkeypatch)


@pytest.mark.parametrize('points, message', [
    ([(1, 2.0), (2, 1.5)], 'board1/loss/last: recorded 1, now 1.5'),
    ([(1, 2.0), (2, 1.0), (3, 1.0)], 'recorded 2 points, now 3'),
])
def test_metrics_that_moved_fail(points, message, monkeypatch):
    recorded = {'board1/loss/n': 2, 'board1/loss/last': 1.0,
                'board1/loss/mean': 1.5}
    with pytest.raises(AssertionError, match=message):
        _check(recorded, {'loss': points}, monkeypatch)


def test_a_missing_curve_fails(monkeypatch):
    with pytest.raises(AssertionError, match='board1/acc/n: recorded 2'):
        _check({'board1/acc/n': 2}, {}, monkeypatch)


def test_nbval_notebook_without_a_record_fails_clearly(book):
    first = book('second', cells('y = 2'))['first']
    nb = runs.nbval_notebook(first)
    code = [c for c in nb.cells if c.cell_type == 'code']
    with pytest.raises(AssertionError, match='no quick record .* execute'):
        exec(code[1].source, {})
    assert not any('_d2l_check_metrics(' in c.source for c in code)
