"""Pairing .md -> .ipynb on a made-up section."""

import nbformat
import pytest

import sync_notebooks

MD = """# A section

Prose.

```python
x = 40 + 2
x
```
"""


@pytest.fixture
def section(tmp_path):
    md = tmp_path / 'sec.md'
    md.write_text(MD)
    return md


def test_header_is_added_once(section):
    assert sync_notebooks.header_fixed(section)
    assert section.read_text().startswith('---\njupyter:')
    assert not sync_notebooks.header_fixed(section)


def test_pair_has_the_md_cells(section):
    nb = nbformat.reads(sync_notebooks.paired(section), as_version=4)
    assert [c.cell_type for c in nb.cells] == ['markdown', 'code']
    assert nb.cells[1].source == 'x = 40 + 2\nx'
    assert nb.metadata['jupytext']['formats'] == 'ipynb,md'


def test_outputs_survive_a_prose_edit(section):
    ipynb = section.with_suffix('.ipynb')
    nb = nbformat.reads(sync_notebooks.paired(section), as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output(
        'execute_result', {'text/plain': '42'}, execution_count=1)]
    nb.metadata['d2l'] = {'exec_key': 'abc'}
    ipynb.write_text(nbformat.writes(nb))
    section.write_text(MD.replace('Prose.', 'Better prose.'))
    again = nbformat.reads(sync_notebooks.paired(section), as_version=4)
    assert again.cells[0].source.endswith('Better prose.')
    assert again.cells[1].outputs[0]['data']['text/plain'] == '42'
    assert again.metadata['d2l'] == {'exec_key': 'abc'}


def test_pairing_is_stable(section):
    ipynb = section.with_suffix('.ipynb')
    ipynb.write_text(sync_notebooks.paired(section))
    assert sync_notebooks.paired(section) == ipynb.read_text()
