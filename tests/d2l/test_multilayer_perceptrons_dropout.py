"""Tests of the saved code of Section 5.6 (dropout_layer)."""
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


@pytest.mark.parametrize('p', [-0.1, 1.5])
def test_dropout_layer_rejects_bad_probability(p):
    with pytest.raises(ValueError, match=r'in \[0, 1\], got'):
        d2l.dropout_layer(torch.ones(3), p)


def test_dropout_layer_rejects_non_tensor():
    with pytest.raises(TypeError, match='expected a tensor X, got list'):
        d2l.dropout_layer([1.0, 2.0], 0.5)
