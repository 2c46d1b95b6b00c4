"""Tests of the saved code of Section 5.6 (dropout_layer)."""
import numpy as np
import pytest
import torch

from d2l import torch as d2l


def test_dropout_layer_extremes_are_exact():
    X = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    assert torch.equal(d2l.dropout_layer(X, 0), X)
    assert torch.equal(d2l.dropout_layer(X, 1), torch.zeros(2, 3))


def test_dropout_layer_keeps_or_rescales_each_entry():
    torch.manual_seed(0)
    X = torch.ones(1000)
    Y = d2l.dropout_layer(X, 0.25)
    values = Y.unique().tolist()                       # 1 / (1 - 0.25) = 4/3
    assert values == pytest.approx([0.0, 4 / 3])


def test_dropout_layer_keep_probability_and_mean():
    torch.manual_seed(0)
    Y = d2l.dropout_layer(torch.full((200_000,), 2.0), 0.3)
    assert (Y > 0).float().mean().item() == pytest.approx(0.7, abs=0.005)
    assert Y.mean().item() == pytest.approx(2.0, abs=0.02)   # unbiased


def test_dropout_layer_shape_and_dtype():
    X = torch.randn(4, 5, 6, dtype=torch.float64)
    Y = d2l.dropout_layer(X, 0.5)
    assert Y.shape == (4, 5, 6) and Y.dtype == torch.float64


@pytest.mark.parametrize('p, message', [
    (-0.1, 'dropout must be a number >= 0, got -0.1'),
    (1.5, 'dropout must be a number <= 1, got 1.5'),
    (float('nan'), 'dropout must be a finite number, got nan'),
])
def test_dropout_layer_rejects_bad_probability(p, message):
    with pytest.raises(ValueError, match=message):
        d2l.dropout_layer(torch.ones(3), p)


@pytest.mark.parametrize('p', [np.float32(0.5), torch.tensor(0.5), 1 / 2])
def test_dropout_layer_accepts_any_real_probability(p):
    torch.manual_seed(0)
    Y = d2l.dropout_layer(torch.ones(100), p)
    assert set(Y.unique().tolist()) == {0.0, 2.0}


def test_dropout_layer_integer_probabilities_are_exact():
    X = torch.ones(2, 3)
    assert torch.equal(d2l.dropout_layer(X, np.int64(0)), X)
    assert torch.equal(d2l.dropout_layer(X, torch.tensor(1)), 0 * X)


@pytest.mark.parametrize('dtype', [torch.int64, torch.int32])
def test_dropout_layer_turns_integer_tensor_into_floats(dtype):
    torch.manual_seed(0)
    Y = d2l.dropout_layer(torch.full((1000,), 3, dtype=dtype), 0.25)
    assert Y.is_floating_point()
    assert Y.unique().tolist() == pytest.approx([0.0, 4.0])  # 3 / 0.75


def test_dropout_layer_mask_matches_rand_draws():
    X = torch.arange(1.0, 9.0).reshape(2, 4)
    torch.manual_seed(3)
    keep = torch.rand(2, 4) >= 0.5
    torch.manual_seed(3)
    assert torch.equal(d2l.dropout_layer(X, 0.5), torch.where(keep, 2 * X, 0))


def test_dropout_layer_rejects_bool_probability():
    with pytest.raises(TypeError, match='dropout must be a real number, '
                                        'got bool True'):
        d2l.dropout_layer(torch.ones(3), True)


def test_dropout_layer_zero_probability_keeps_a_zero_draw(monkeypatch):
    # torch.rand can return exactly 0.0 (probability 2**-24 per float32
    # entry); with p = 0 such an entry must still be kept
    monkeypatch.setattr(torch, 'rand', lambda *shape, **kw: torch.zeros(
        *shape, **kw))
    X = torch.arange(1.0, 7.0).reshape(2, 3)
    assert torch.equal(d2l.dropout_layer(X, 0), X)
    assert torch.equal(d2l.dropout_layer(X, 0.0), X)


def test_dropout_layer_keeps_draws_equal_to_p(monkeypatch):
    # keep u >= p: P(keep) = 1 - p exactly for u uniform on [0, 1)
    monkeypatch.setattr(torch, 'rand', lambda *shape, **kw: torch.full(
        *shape, 0.25, **kw))
    X = torch.ones(4)
    assert torch.equal(d2l.dropout_layer(X, 0.25), X / 0.75)
