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


def notebook_code(section, defines):
    """Namespace of the cells of `section` ('chapter/slug.md') whose first
    line starts with one of `defines`; every prefix must match a cell."""
    path = CHAPTERS / section
    cells = re.findall(r'^```python\n(.*?)^```', path.read_text(),
                       flags=re.S | re.M)
    namespace = {'torch': torch, 'nn': nn, 'd2l': d2l}
    found = []
    for cell in cells:
        if cell.startswith(defines):
            exec(compile(cell, str(path), 'exec'), namespace)
            found.append(cell.split('(')[0])
    assert len(found) == len(defines), found
    return namespace
