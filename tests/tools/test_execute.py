"""The execution cache, on a made-up section."""

import nbformat
import pytest

import execute
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


def test_exec_key_ignores_prose_but_not_code():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell('words'),
        nbformat.v4.new_code_cell('x = 1')])
    key = execute.exec_key(nb, 'd2l-hash')
    nb.cells[0].source = 'other words'
    assert execute.exec_key(nb, 'd2l-hash') == key
    nb.cells[1].source = 'x = 2'
    assert execute.exec_key(nb, 'd2l-hash') != key
    assert execute.exec_key(nb, 'new-d2l') != execute.exec_key(nb, 'd2l-hash')


def test_run_stores_outputs_and_key(section, monkeypatch):
    monkeypatch.setenv('D2L_QUICK', '1')
    ipynb = section.with_suffix('.ipynb')
    ipynb.write_text(sync_notebooks.paired(section))
    execute.run(ipynb, 'h')
    nb = nbformat.read(ipynb, as_version=4)
    assert nb.cells[1].outputs[0]['data']['text/plain'] == '42'
    assert execute.is_fresh(nb, 'h') and not execute.is_fresh(nb, 'other')
    assert 'execution' not in nb.cells[1].metadata
