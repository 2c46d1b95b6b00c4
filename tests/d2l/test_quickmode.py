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
    limits = quickmode.LIMITS
    assert f"{limits['max_train_steps']} training minibatches" in line
    assert f"({limits['max_train_batches']} per epoch)" in line


def test_step_budget_is_epochs_times_batches():
    limits = quickmode.LIMITS
    assert limits['max_train_steps'] == (limits['max_epochs']
                                         * limits['max_train_batches'])


@pytest.mark.parametrize('max_epochs, batches, expected', [
    (10, 40, 3),     # a large run: 3 capped epochs, exactly as before
    (10, 4, 10),     # 40 minibatches in all: runs in full
    (100, 4, 30),    # 400 minibatches: stops after 120
    (2, 40, 2),      # fewer epochs than the budget allows
    (5, 1000, 1),    # an epoch longer than the budget: still one epoch
    (7, 0, 7),       # an empty loader costs nothing
])
def test_cap_epochs_bounds_the_whole_run(quick, max_epochs, batches,
                                         expected):
    assert quickmode.cap_epochs(max_epochs, batches) == expected


def test_cap_epochs_is_identity_in_full_mode(full):
    assert quickmode.cap_epochs(100, 4) == 100
    assert quickmode.cap_epochs(100, 1000) == 100


def test_cap_epochs_accepts_integer_types(quick):
    import numpy as np
    import torch
    assert quickmode.cap_epochs(np.int64(10), torch.tensor(4)) == 10
    assert type(quickmode.cap_epochs(np.int64(10), 4)) is int


@pytest.mark.parametrize('args, error, message', [
    ((0, 4), ValueError, 'max_epochs must be an integer >= 1, got 0'),
    ((3, -1), ValueError, 'batches_per_epoch must be an integer >= 0'),
    ((2.5, 4), TypeError, 'max_epochs must be an integer, got float 2.5'),
    ((3, True), TypeError, 'batches_per_epoch must be an integer, got bool'),
])
def test_cap_epochs_names_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        quickmode.cap_epochs(*args)


def test_heavy_libraries_load_on_first_use():
    import sys
    assert d2l.plt is sys.modules['matplotlib.pyplot']
    assert d2l.pd.DataFrame is not None


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        d2l.nope
