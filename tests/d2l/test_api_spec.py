"""Every d2l name of the API spec that a written section introduces exists,
with the spec's signature (../shared/spec/d2l-api.tsv)."""
import csv
import inspect

import pytest

import toc
from d2l import torch as d2l

SPEC = toc.ROOT.parent / 'shared' / 'spec' / 'd2l-api.tsv'


def _rows():
    if not SPEC.exists():
        return []
    with open(SPEC, newline='') as f:
        rows = list(csv.reader(f, delimiter='\t'))[1:]
    written = {f'{s.chapter}/{s.slug}' for s in toc.sections(only_existing=True)}
    return [r for r in rows if len(r) == 4 and r[3] in written]


ROWS = _rows()


def _lookup(name):
    obj = d2l
    for part in name.removeprefix('d2l.').split('.'):
        obj = getattr(obj, part)
    return obj


def _normalise(sig):
    sig = sig.replace(' ', '').replace('"', "'")
    return sig.replace('slice(0,None,None)', 'slice(0,None)')  # slice repr


def test_the_spec_is_there():
    assert SPEC.exists(), f'API spec not found at {SPEC}'
    assert ROWS, 'no spec row belongs to a written section'


@pytest.mark.parametrize('name,kind,signature,section', ROWS,
                         ids=[r[0] for r in ROWS])
def test_name_exists_with_the_spec_signature(name, kind, signature, section):
    obj = _lookup(name)
    if kind == 'class':
        bases = [b.strip().removeprefix('d2l.')
                 for b in signature.strip('()').split(',') if b.strip()]
        own = {b.__name__ for b in obj.__mro__[1:]} | {
            f'{b.__module__.split(".")[0]}.{b.__name__}' for b in obj.__mro__}
        for base in bases:
            short = base.split('.')[-1].replace('nn_Module', 'Module')
            assert short in own or base in own, \
                f'{name} should derive from {base}'
    else:
        got = _normalise(str(inspect.signature(obj)))
        want = _normalise(signature)
        assert got == want, f'{name}{got} differs from the spec {want}'
