"""Every d2l name of the API spec that a written section introduces exists,
with the spec's signature (../shared/spec/d2l-api.tsv).

Rows of kind `alias` (section `appendix-tools-for-deep-learning/utils#aliases`)
name the framework-neutral aliases: `torch.f` means `d2l.name is torch.f`;
`x.method(...)` means `d2l.name(x, *args)` equals `x.method(*args)`.
"""
import csv
import inspect
import re

import numpy as np
import pytest
import torch

import toc
from d2l import torch as d2l

SPEC = toc.ROOT.parent / 'shared' / 'spec' / 'd2l-api.tsv'


def _rows():
    if not SPEC.exists():
        return []
    with open(SPEC, newline='') as f:
        rows = list(csv.reader(f, delimiter='\t'))[1:]
    written = {f'{s.chapter}/{s.slug}' for s in toc.sections(only_existing=True)}
    return [r for r in rows if len(r) == 4 and r[3].split('#')[0] in written]


ROWS = _rows()
ALIASES = [r for r in ROWS if r[1] == 'alias']
ROWS = [r for r in ROWS if r[1] != 'alias']

# arguments after the tensor for each method alias (x is a 2 x 3 matrix)
ALIAS_ARGS = {'reshape': ((3, 2),), 'to': (torch.float64,),
              'astype': (torch.int64,), 'expand_dims': (0,),
              'swapaxes': (0, 1), 'repeat': ((2, 1),), 'reduce_sum': (1,),
              'reduce_mean': (0,), 'argmax': (1,)}


def _lookup(name):
    obj = d2l
    for part in name.removeprefix('d2l.').split('.'):
        obj = getattr(obj, part)
    # a property (Vocab.unk in the published package too): its getter
    return obj.fget if isinstance(obj, property) else obj


def _normalise(sig):
    sig = sig.replace(' ', '').replace('"', "'")
    return sig.replace('slice(0,None,None)', 'slice(0,None)')  # slice repr


def test_the_spec_is_there(spec):
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
        got = _normalise(str(_published_part(inspect.signature(obj))))
        want = _normalise(signature)
        assert got == want, f'{name}{got} differs from the spec {want}'


def _published_part(sig):
    """`sig` without trailing keyword-only parameters that have defaults.

    Such an extension (e.g. Trainer's `channels_last`) cannot change what a
    call written for the published signature means, so it is allowed; any
    other difference is not.
    """
    params = list(sig.parameters.values())
    while (params and params[-1].kind is inspect.Parameter.KEYWORD_ONLY
           and params[-1].default is not inspect.Parameter.empty):
        params.pop()
    return sig.replace(parameters=params)


def test_only_keyword_only_extensions_are_ignored():
    def extended(a, b=1, *, fast=False):
        pass

    def reordered(a, fast=False, b=1):
        pass
    assert str(_published_part(inspect.signature(extended))) == '(a, b=1)'
    assert str(_published_part(inspect.signature(reordered))) == \
        '(a, fast=False, b=1)'


def test_aliases_are_in_the_spec():
    assert len(ALIASES) >= 40, 'the alias rows of the spec are missing'


@pytest.mark.parametrize('name,kind,signature,section', ALIASES,
                         ids=[r[0] for r in ALIASES])
def test_alias_means_what_the_spec_says(name, kind, signature, section):
    alias = _lookup(name)
    if signature.startswith('torch.'):
        assert alias is getattr(torch, signature.removeprefix('torch.'))
        return
    chain = re.match(r'x\.(.*)\(\.\.\.\)', signature).group(1)
    x = torch.arange(6.0).reshape(2, 3)
    args = ALIAS_ARGS.get(name, ())
    got, want = alias(x, *args), eval(f'x.{chain}(*args)')
    if isinstance(want, torch.Tensor):
        assert torch.equal(got, want) and got.dtype == want.dtype
    else:
        assert np.array_equal(got, want) and type(got) is type(want)


def test_numpy_alias_takes_any_tensor():
    x = torch.ones(2, 2, requires_grad=True)
    assert np.array_equal(d2l.numpy(x * 3), np.full((2, 2), 3.0))
    if torch.cuda.is_available():
        assert np.array_equal(d2l.numpy(x.cuda()), np.ones((2, 2)))


def test_saved_code_never_calls_a_shadowed_builtin():
    """`d2l.abs = torch.abs` shadows the builtin inside d2l/torch.py."""
    import ast
    import builtins
    tree = ast.parse(inspect.getsource(d2l))
    shadowed = {r[0] for r in ALIASES} & set(dir(builtins))
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id in shadowed]
    assert shadowed == {'abs'} and calls == []
