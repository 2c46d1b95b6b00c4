"""Run the cells of a section that define its notebook-local code.

Some sections teach with classes that are not saved to the d2l package
(e.g. a from-scratch GRU); their tests execute the notebook's own cells that
define them, found by each cell's first line, so the tests check exactly the
code the reader sees.
"""
import pathlib
import re

import torch
from torch import nn

from d2l import torch as d2l

CHAPTERS = pathlib.Path(__file__).resolve().parents[2] / 'chapters'


def first_code_line(cell):
    """The first line of a cell that is not an nbval marker."""
    lines = [ln for ln in cell.splitlines() if not ln.startswith('# NBVAL')]
    return lines[0] if lines else ''


def _without_markers(cell):
    """The cell without its leading nbval marker lines."""
    lines = cell.splitlines(keepends=True)
    while lines and lines[0].startswith('# NBVAL'):
        lines.pop(0)
    return ''.join(lines)


def notebook_code(section, defines, *, trim=None, **names):
    """Namespace of the cells of `section` ('chapter/slug.md') whose first
    code line starts with one of `defines`; every prefix must match a cell.

    `names` are added to the namespace (what the section's import and
    settings cells would provide); `trim(cell)`, when given, returns the part
    of a found cell to run (e.g. a definition without the plot after it).
    """
    path = CHAPTERS / section
    cells = re.findall(r'^```python\n(.*?)^```', path.read_text(),
                       flags=re.S | re.M)
    namespace = {'torch': torch, 'nn': nn, 'd2l': d2l, **names}
    found = []
    for cell in cells:
        if _without_markers(cell).startswith(defines):
            code = trim(cell) if trim else cell
            exec(compile(code, str(path), 'exec'), namespace)
            found.append(first_code_line(cell).split('(')[0])
    assert len(found) == len(defines), found
    return namespace
