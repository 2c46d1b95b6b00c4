"""d2l.checks: any integral type accepted, bool refused, clear messages."""
import numpy as np
import pytest
import torch

from d2l import checks


@pytest.mark.parametrize('value', [3, np.int64(3), np.uint8(3),
                                   torch.tensor(3), torch.tensor(3).int()])
def test_integer_accepts_every_integral_type(value):
    out = checks.integer(value, 'n')
    assert out == 3 and type(out) is int


@pytest.mark.parametrize('value', [True, 3.0, '3', None, torch.tensor(3.0),
                                   torch.tensor([3, 4])])
def test_integer_refuses_non_integers(value):
    with pytest.raises(TypeError, match='n must be an integer, got'):
        checks.integer(value, 'n')


def test_integer_range():
    assert checks.integer(1, 'batch_size', at_least=1) == 1
    with pytest.raises(ValueError, match=r'batch_size must be an integer '
                                         r'>= 1, got 0'):
        checks.integer(0, 'batch_size', at_least=1)
    with pytest.raises(ValueError, match='<= 9, got 10'):
        checks.integer(10, 'k', at_most=9)


@pytest.mark.parametrize('value', [0.5, 1, np.float32(0.5), np.int64(1),
                                   torch.tensor(0.5), np.array(0.5)])
def test_real_accepts_numbers(value):
    assert checks.real(value, 'lr') == float(value)


@pytest.mark.parametrize('value', [False, '0.1', None, torch.ones(2),
                                   torch.tensor(True), 1j])
def test_real_refuses_non_numbers(value):
    with pytest.raises(TypeError, match='lr must be a real number'):
        checks.real(value, 'lr')


def test_real_range_and_nan():
    with pytest.raises(ValueError, match='lr must be a number >= 0'):
        checks.real(-0.1, 'lr', at_least=0)
    with pytest.raises(ValueError, match='must be a finite number, got nan'):
        checks.real(float('nan'), 'lr')
    with pytest.raises(ValueError, match='finite number, got inf'):
        checks.real(float('inf'), 'clip')
    assert checks.real(float('inf'), 'clip', finite=False) == float('inf')


def test_one_of_and_instance():
    assert checks.one_of('a', 'mode', ('a', 'b')) == 'a'
    with pytest.raises(ValueError, match=r"mode must be one of \['a', 'b'\], "
                                         r"got 'c'"):
        checks.one_of('c', 'mode', ('a', 'b'))
    assert checks.instance(2, 'x', (int, float)) == 2
    with pytest.raises(TypeError, match='x must be int or float, got str'):
        checks.instance('2', 'x', (int, float))
    with pytest.raises(TypeError, match='net must be Module'):
        checks.instance(3, 'net', torch.nn.Module)


def test_provides_accepts_duck_types_and_names_what_is_missing():
    class Loop:
        def step(self):
            pass
    loop = Loop()
    assert checks.provides(loop, 'loop', ['step'], like='d2l.Loop') is loop
    with pytest.raises(TypeError, match=r'loop must be a d2l\.Loop \(an '
                       r'object with step, stop\); got Loop .* lacks stop'):
        checks.provides(loop, 'loop', ['step', 'stop'], like='d2l.Loop')
    loop.stop = 3                       # an attribute, but not callable
    with pytest.raises(TypeError, match='lacks stop'):
        checks.provides(loop, 'loop', ['stop'], like='d2l.Loop')
