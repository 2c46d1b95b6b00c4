"""Each CI gate of `make check` catches a drift (issue: gates without tests).

The gates run in a throwaway one-section checkout made of copies of tools/,
d2l/'s hand-written modules and a tiny chapters/ folder: the copied tools
are imported afresh (so their ROOT is the throwaway checkout) and their
`main` is called with the arguments `make check` gives the script. Each
test first shows the gate passing, then makes one drift and shows the gate
failing and naming the file.
"""
import importlib
import json
import pathlib
import shutil
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

TOC = """\
front: {slug: front, title: Front, sections: []}
chapters:
  - number: 1
    slug: one
    title: One
    sections:
      - {slug: first, title: First}
"""

MD = """---
jupyter:
  jupytext:
    formats: ipynb,md
    text_representation:
      extension: .md
      format_name: markdown
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
---

# First

See {numref}`sec-first`.

```python
def double(x):  #@save
    \"\"\"Twice x.\"\"\"
    return 2 * x
```

```python
double(21)
```

## Summary

* one

## Exercises

1. a
2. b
3. c
"""


@pytest.fixture
def repo(tmp_path, monkeypatch, capsys):
    """A one-section checkout with the real tools; yields a runner."""
    shutil.copytree(ROOT / 'tools', tmp_path / 'tools',
                    ignore=shutil.ignore_patterns('__pycache__'))
    (tmp_path / 'd2l').mkdir()
    for module in (ROOT / 'd2l').glob('*.py'):
        if module.name != 'torch.py':
            shutil.copy(module, tmp_path / 'd2l')
    shutil.copy(ROOT / 'pyproject.toml', tmp_path)
    (tmp_path / 'chapters' / 'one').mkdir(parents=True)
    (tmp_path / 'chapters' / 'toc.yml').write_text(TOC)
    (tmp_path / 'chapters' / 'references.bib').write_text('')
    (tmp_path / 'chapters' / 'one' / 'first.md').write_text(MD)

    tools = tmp_path / 'tools'
    names = {p.stem for p in tools.iterdir()}
    saved = {n: m for n, m in sys.modules.items() if n.split('.')[0] in names}
    for name in saved:
        del sys.modules[name]
    monkeypatch.syspath_prepend(str(tools))

    def run(tool, *args):
        """(exit status, stdout, stderr) of `tool`'s main(args)."""
        module = importlib.import_module(tool)
        assert pathlib.Path(module.__file__).parent == tools
        status = module.main(list(args))
        out = capsys.readouterr()
        return status, out.out, out.err
    run.path = tmp_path
    yield run
    for name in [n for n in sys.modules if n.split('.')[0] in names]:
        del sys.modules[name]
    sys.modules.update(saved)


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_sync_check_catches_an_unsynced_notebook(repo):
    assert repo('sync_notebooks')[0] == 0
    assert repo('sync_notebooks', '--check')[0] == 0
    edit(repo.path / 'chapters/one/first.md', 'See', 'Read')
    status, _, err = repo('sync_notebooks', '--check')
    assert status == 1 and 'first.ipynb' in err


def test_build_d2l_check_catches_a_stale_module(repo):
    assert repo('build_d2l')[0] == 0
    assert repo('build_d2l', '--check')[0] == 0
    edit(repo.path / 'chapters/one/first.md', 'return 2 * x', 'return x + x')
    status, _, err = repo('build_d2l', '--check')
    assert status == 1 and 'd2l/torch.py differs' in err


def write_record():
    import runs
    import toc
    [section] = [s for s in toc.sections(only_existing=True)
                 if s.slug == 'first']
    runs.write(section, 'quick', [[], [{'output_type': 'execute_result',
               'data': {'text/plain': '42'}, 'metadata': {},
               'execution_count': 2}]], {'kernel_mode': 'quick'})


@pytest.mark.parametrize('drift', ['code', 'output', 'mode'])
def test_execute_check_catches_a_stale_edited_or_drifted_record(repo, drift):
    write_record()
    assert repo('execute', '--check')[0] == 0
    record = repo.path / 'chapters/one/runs/first.quick.json'
    if drift == 'code':
        edit(repo.path / 'chapters/one/first.md', 'double(21)', 'double(20)')
    elif drift == 'output':
        edit(record, '"42"', '"43"')
    else:
        data = json.loads(record.read_text())
        data['kernel_mode'] = 'full'
        record.write_text(json.dumps(data))
    status, _, err = repo('execute', '--check')
    assert status == 1 and 'one/first' in err


def test_lint_catches_a_broken_convention(repo):
    assert repo('lint_notebooks')[0] == 0
    edit(repo.path / 'chapters/one/first.md', 'sec-first', 'sec-nowhere')
    status, out, _ = repo('lint_notebooks')
    assert status == 1 and "unknown label 'sec-nowhere'" in out
