"""Tests of Section 11.6: PositionalEncoding."""
import math

import pytest
import torch

from d2l import torch as d2l


def test_values_by_hand():
    pe = d2l.PositionalEncoding(4, dropout=0.0, max_len=10)
    P = pe.P[0]                                    # (10, 4)
    assert P.shape == (10, 4)
    assert torch.equal(P[0], torch.tensor([0., 1., 0., 1.]))
    # row 3: sin/cos of 3 and of 3 / 10000^(2/4) = 0.03
    expected = torch.tensor([math.sin(3), math.cos(3),
                             math.sin(0.03), math.cos(0.03)])
    assert torch.allclose(P[3], expected, atol=1e-6)


def test_forward_adds_the_first_rows_and_keeps_the_shape():
    pe = d2l.PositionalEncoding(6, dropout=0.0)
    X = torch.randn(2, 5, 6, generator=torch.Generator().manual_seed(0))
    Y = pe(X)
    assert Y.shape == (2, 5, 6)
    # compare with X + P itself: (X + P) - X need not equal P to rounding
    assert torch.equal(Y, X + pe.P[:, :5])


def test_odd_width():
    pe = d2l.PositionalEncoding(5, dropout=0.0, max_len=8)
    P = pe.P[0]
    assert P.shape == (8, 5)
    assert torch.allclose(P[:, 4], torch.sin(torch.arange(8.) / 10000 ** 0.8))
    assert torch.allclose(P[:, 3], torch.cos(torch.arange(8.) / 10000 ** 0.4))


def test_relative_shift_is_a_rotation():
    d, delta = 16, 7
    P = d2l.PositionalEncoding(d, 0.0, max_len=50).P[0].double()
    omega = 10000 ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    c, s = torch.cos(delta * omega), torch.sin(delta * omega)
    even, odd = P[:-delta, 0::2], P[:-delta, 1::2]
    assert torch.allclose(P[delta:, 0::2], c * even + s * odd, atol=1e-5)
    assert torch.allclose(P[delta:, 1::2], -s * even + c * odd, atol=1e-5)


def test_p_is_a_buffer_that_moves_but_is_not_saved():
    pe = d2l.PositionalEncoding(4, 0.0, max_len=6)
    assert 'P' not in pe.state_dict()
    assert pe.double().P.dtype == torch.float64
    assert len(list(pe.parameters())) == 0


def test_dropout_in_training_only():
    pe = d2l.PositionalEncoding(8, dropout=0.5)
    X = torch.ones(2, 4, 8)
    assert torch.equal(pe.eval()(X), X + pe.P[:, :4])
    torch.manual_seed(0)
    Y = pe.train()(X)
    assert (Y == 0).any()


def test_bad_input():
    with pytest.raises(ValueError, match='num_hiddens must be an integer '
                                         '>= 1, got 0'):
        d2l.PositionalEncoding(0, 0.1)
    with pytest.raises(ValueError, match='dropout must be a number <= 1'):
        d2l.PositionalEncoding(8, 2.0)
    with pytest.raises(TypeError, match='max_len must be an integer'):
        d2l.PositionalEncoding(8, 0.1, max_len=10.5)
    pe = d2l.PositionalEncoding(8, 0.0, max_len=5)
    with pytest.raises(ValueError, match=r'expected \(batch, steps, 8\), '
                                         r'got \(2, 3, 6\)'):
        pe(torch.zeros(2, 3, 6))
    with pytest.raises(ValueError, match='6 steps exceed max_len 5'):
        pe(torch.zeros(1, 6, 8))


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA GPU')
def test_on_gpu_the_buffer_moves_with_the_module():
    pe = d2l.PositionalEncoding(8, 0.0).to('cuda')
    X = torch.randn(2, 5, 8)
    assert pe.P.device.type == 'cuda'
    assert torch.allclose(pe(X.cuda()).cpu(), X + pe.P[:, :5].cpu())
