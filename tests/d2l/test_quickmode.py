import pytest

from d2l import quickmode
from d2l import torch as d2l


def test_pick_follows_the_switch(quick):
    assert d2l.pick(10, quick=2) == 2
    assert quickmode.is_quick()


def test_pick_full_mode(full):
    assert d2l.pick(10, quick=2) == 10
    assert d2l.mode() == 'full mode: the book configuration'


@pytest.mark.parametrize('value', ['1', 'true', 'YES', ' on '])
def test_truthy_values(monkeypatch, value):
    monkeypatch.setenv('D2L_QUICK', value)
    assert quickmode.is_quick()


@pytest.mark.parametrize('value', ['0', '', 'false', 'no'])
def test_falsy_values(monkeypatch, value):
    monkeypatch.setenv('D2L_QUICK', value)
    assert not quickmode.is_quick()


def test_cap_clips_only_in_quick_mode(quick):
    limit = quickmode.LIMITS['max_epochs']
    assert d2l.cap('max_epochs', 100) == limit
    assert d2l.cap('max_epochs', 1) == 1


def test_cap_is_identity_in_full_mode(full):
    assert d2l.cap('max_train_batches', 10_000) == 10_000


def test_cap_names_unknown_limits():
    with pytest.raises(KeyError, match="unknown quick-mode limit 'epochs'"):
        d2l.cap('epochs', 3)


def test_mode_line_states_the_limits(quick):
    line = d2l.mode()
    assert line.startswith('quick mode (D2L_QUICK=1)')
    assert str(quickmode.LIMITS['max_epochs']) in line


def test_heavy_libraries_load_on_first_use():
    import sys
    assert d2l.plt is sys.modules['matplotlib.pyplot']
    assert d2l.pd.DataFrame is not None


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        d2l.nope
