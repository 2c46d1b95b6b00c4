"""Running sections into run records, and the --check gate, on a tiny book."""
import json
import os

import nbformat
import pytest

import execute
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
      - {slug: prose, title: Prose only}
"""

MD = """# First

Prose.

```python
from d2l import torch as d2l
board = d2l.ProgressBoard(display=False)
for x in range(4):
    board.draw(x, 10.0 - x, 'loss')
d2l.is_quick()
```

```python
x = 40 + 2
x
```
"""


@pytest.fixture
def book(tmp_path):
    root = tmp_path / 'chapters'
    (root / 'one').mkdir(parents=True)
    (root / 'toc.yml').write_text(TOC)
    (root / 'one' / 'first.md').write_text(MD)
    (root / 'one' / 'prose.md').write_text('# Prose only\n\nWords.\n')
    return {s.slug: s for s in toc.sections(root / 'toc.yml',
                                            only_existing=True)}


@pytest.fixture(scope='module')
def ran(tmp_path_factory):
    """One real quick run, started from an environment without D2L_QUICK."""
    root = tmp_path_factory.mktemp('book') / 'chapters'
    (root / 'one').mkdir(parents=True)
    (root / 'toc.yml').write_text(TOC)
    (root / 'one' / 'first.md').write_text(MD)
    section = toc.sections(root / 'toc.yml', only_existing=True)[0]
    saved = os.environ.pop('D2L_QUICK', None)
    try:
        execute.run(section, 'quick')
    finally:
        if saved is not None:
            os.environ['D2L_QUICK'] = saved
    return runs.load(section, 'quick')


def test_a_run_writes_a_fresh_record_of_every_cell(ran):
    assert ran.fresh and ran.mode == 'quick'
    assert ran.outputs[1] == [{'output_type': 'execute_result',
                               'data': {'text/plain': '42'}, 'metadata': {},
                               'execution_count': 2}]
    assert ran.device.startswith(('CPU', 'CUDA'))
    assert ran.data['torch'] and ran.data['python'] and ran.seconds > 0


def test_the_tool_sets_the_mode_itself(ran):
    assert ran.outputs[0][0]['data']['text/plain'] == 'True'
    assert ran.data['kernel_mode'] == 'quick'


def test_the_run_records_the_training_curves(ran):
    assert ran.metrics == {'board1/loss/n': 4, 'board1/loss/last': 7.0,
                           'board1/loss/mean': 8.5}


def test_sources_edited_during_a_run_leave_a_stale_record(book,
                                                          monkeypatch):
    """The keys are those of the sources the run started from: an edit made
    while the kernel runs must not make the record look fresh."""
    from nbclient import NotebookClient
    section = book['first']
    execute_cells = NotebookClient.execute

    def edit_then_execute(client, *args, **kwargs):
        section.md.write_text(MD.replace('40 + 2', '40 + 3'))
        return execute_cells(client, *args, **kwargs)
    monkeypatch.setattr(NotebookClient, 'execute', edit_then_execute)
    execute.run(section, 'quick')
    record = runs.load(section, 'quick')
    assert record.outputs[1][0]['data']['text/plain'] == '42'   # what ran
    assert not record.fresh


def test_set_mode_overrides_the_environment():
    env = {'D2L_QUICK': '1'}
    execute.set_mode('full', env)
    assert 'D2L_QUICK' not in env
    execute.set_mode('quick', env)
    assert env['D2L_QUICK'] == '1' and env['OMP_NUM_THREADS'] == '1'


def fake_record(section, mode='quick', kernel_mode=None):
    return runs.write(section, mode, [[], []],
                      {'kernel_mode': kernel_mode or mode, 'seconds': 1.0})


def problems(book):
    return execute.check(list(book.values()))[0]


def test_check_passes_fresh_records(book, monkeypatch):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    fake_record(book['first'])
    assert problems(book) == []


def test_check_wants_a_quick_record_for_code_only(book, monkeypatch):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    [p] = problems(book)
    assert p == 'one/first: no quick record'


def test_check_catches_a_code_edit(book, monkeypatch):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    fake_record(book['first'])
    md = book['first'].md
    md.write_text(md.read_text().replace('40 + 2', '41 + 1'))
    [p] = problems(book)
    assert 'code cells changed' in p


def test_check_catches_a_hand_edited_output(book, monkeypatch):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    file = fake_record(book['first']).file
    data = json.loads(file.read_text())
    data['outputs'][1] = [{'output_type': 'stream', 'name': 'stdout',
                           'text': 'nicer number\n'}]
    file.write_text(json.dumps(data))
    [p] = problems(book)
    assert 'edited by hand' in p


def test_check_catches_a_hand_edited_full_record(book, monkeypatch):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    fake_record(book['first'])
    file = fake_record(book['first'], 'full').file
    file.write_text(file.read_text().replace('"seconds": 1.0',
                                             '"seconds": 0.5'))
    [p] = problems(book)
    assert p.startswith('one/first.full: edited by hand')


@pytest.mark.parametrize('mode, kernel', [('full', 'quick'),
                                          ('quick', 'full')])
def test_check_catches_mode_drift(book, monkeypatch, mode, kernel):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    fake_record(book['first'])
    fake_record(book['first'], mode, kernel_mode=kernel)
    [p] = problems(book)
    assert 'mode drift' in p


def test_check_only_notes_a_stale_full_record(book, monkeypatch):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    fake_record(book['first'], 'full')
    fake_record(book['first'])
    md = book['first'].md
    md.write_text(md.read_text().replace('40 + 2', '41 + 1'))
    fake_record(book['first'])
    bad, notes = execute.check(list(book.values()))
    assert bad == [] and 'one/first.full: stale' in notes[0]


def test_check_catches_a_record_of_no_section(book, monkeypatch):
    monkeypatch.setattr(toc, 'CHAPTERS', book['first'].root)
    fake_record(book['first'])
    stray = runs.path(book['first'], 'quick').with_name('gone.quick.json')
    stray.write_text('{}')
    [p] = problems(book)
    assert 'gone.quick.json: belongs to no section' in p


def test_migration_takes_fresh_ipynb_outputs_only(book, monkeypatch):
    monkeypatch.setattr(execute, 'legacy_exec_key', lambda nb: 'k')
    first = book['first']
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(c)
        for c in execute.build_d2l.code_cells(first)])
    nb.cells[1].outputs = [nbformat.v4.new_output(
        'execute_result', {'text/plain': '42'}, execution_count=7)]
    nb.metadata['d2l'] = {'exec_key': 'old'}
    nbformat.write(nb, first.ipynb)
    assert execute.migrate([first]) == []          # made by an older d2l
    nb.metadata['d2l'] = {'exec_key': 'k'}
    nbformat.write(nb, first.ipynb)
    assert execute.migrate([first]) == [first]
    r = runs.load(first, 'quick')
    assert r.fresh and r.outputs[1][0]['execution_count'] == 2
