"""Argument checks shared by the saved code: one place, one message style.

Code written for the published d2l API passes plain ints, numpy integers and
0-d integer tensors interchangeably, so sizes are accepted through
``operator.index`` (any integral type), while ``bool`` is refused (``True`` is
not a batch size). A wrong kind of value raises ``TypeError``, a value out of
range ``ValueError``; both name the argument, what was expected and what was
given. The saved code reaches these as ``d2l.checks.integer(...)`` and so on.
"""
import math
import numbers
import operator

import numpy as np
import torch

__all__ = ['integer', 'real', 'one_of', 'instance', 'provides']


def _shown(value):
    """A short description of `value` for an error message."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + '...'
    return f'{type(value).__name__} {text}'


def _in_range(number, name, at_least, at_most, kind):
    if at_least is not None and number < at_least:
        raise ValueError(f'{name} must be {kind} >= {at_least}, got {number}')
    if at_most is not None and number > at_most:
        raise ValueError(f'{name} must be {kind} <= {at_most}, got {number}')
    return number


def integer(value, name, *, at_least=None, at_most=None):
    """Return `value` as a Python int: any integral type, never a bool."""
    if isinstance(value, bool):
        raise TypeError(f'{name} must be an integer, got {_shown(value)}')
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f'{name} must be an integer, '
                        f'got {_shown(value)}') from None
    return _in_range(number, name, at_least, at_most, 'an integer')


def real(value, name, *, at_least=None, at_most=None, finite=True):
    """Return `value` as a Python float: any real number, never a bool.

    One-element tensors and numpy scalars count as numbers; NaN is refused,
    and so is an infinity unless `finite` is false.
    """
    if isinstance(value, bool):
        raise TypeError(f'{name} must be a real number, got {_shown(value)}')
    if isinstance(value, numbers.Real):
        number = float(value)
    elif (isinstance(value, torch.Tensor) and value.numel() == 1
            and not value.is_complex() and value.dtype != torch.bool):
        number = float(value.item())
    elif (isinstance(value, np.ndarray) and value.size == 1
            and value.dtype.kind in 'iuf'):
        number = float(value.item())
    else:
        raise TypeError(f'{name} must be a real number, got {_shown(value)}')
    if math.isnan(number) or (finite and math.isinf(number)):
        raise ValueError(f'{name} must be a finite number, got {number}')
    return _in_range(number, name, at_least, at_most, 'a number')


def one_of(value, name, choices):
    """Return `value` if it is one of `choices`, else raise ValueError."""
    if value not in choices:
        raise ValueError(f'{name} must be one of {list(choices)!r}, '
                         f'got {value!r}')
    return value


def instance(value, name, types):
    """Return `value` if it is an instance of `types`, else raise TypeError."""
    if not isinstance(value, types):
        names = (types.__name__ if isinstance(types, type)
                 else ' or '.join(t.__name__ for t in types))
        raise TypeError(f'{name} must be {names}, got {_shown(value)}')
    return value


def provides(value, name, methods, like):
    """Return `value` if it has every one of `methods`, else raise TypeError.

    Duck typing for the framework classes: an object that behaves like a
    `like` (e.g. 'd2l.Module') is accepted whatever its class, so a class a
    reader wrote after the book's code passes as well as the library's own.
    """
    missing = [m for m in methods if not callable(getattr(value, m, None))]
    if missing:
        raise TypeError(f'{name} must be a {like} (an object with '
                        f'{", ".join(methods)}); got {_shown(value)}, which '
                        f'lacks {", ".join(missing)}')
    return value
