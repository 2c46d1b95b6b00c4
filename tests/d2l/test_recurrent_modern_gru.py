"""Tests of Section 10.2 (gru): the notebook's from-scratch and concise GRU.

`GRUScratch`, `gru_to_torch` and `OneLayerGRU` are notebook-local, so the
tests execute the notebook's own cells that define them (found by their
first line). PyTorch's nn.GRU is the oracle for the reset_after=True form.
"""
import pytest
import torch
from torch import nn

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('class GRUScratch(', '@d2l.add_to_class(GRUScratch)',
           'def gru_to_torch(', 'class OneLayerGRU(')


NB = notebook_code('recurrent-modern/gru.md', DEFINES)
GRUScratch, gru_to_torch, OneLayerGRU = (NB['GRUScratch'], NB['gru_to_torch'],
                                         NB['OneLayerGRU'])


def _pair(d, h, sigma=0.5, seed=0):
    """A scratch GRU (reset after) with random biases and its nn.GRU copy."""
    torch.manual_seed(seed)
    gru = GRUScratch(d, h, sigma=sigma, reset_after=True)
    with torch.no_grad():
        for b in (gru.b_z, gru.b_r, gru.b_h):
            b.normal_()
    return gru.double(), gru_to_torch(gru).double()


def test_shapes():
    gru = GRUScratch(num_inputs=10, num_hiddens=16)
    outputs, H = gru(torch.randn(5, 3, 10))
    assert len(outputs) == 5 and all(o.shape == (3, 16) for o in outputs)
    assert H.shape == (3, 16) and torch.equal(outputs[-1], H)


def test_parameter_count_is_three_blocks():
    d, h = 28, 32
    gru = GRUScratch(d, h)
    assert sum(p.numel() for p in gru.parameters()) == 3 * (d * h + h * h + h)
    assert 3 * (d * h + h * h + h) == 5856


@pytest.mark.parametrize('reset_after', [False, True])
def test_values_with_zero_weights(reset_after):
    """Zero weights: Z = R = 1/2 and the candidate is 0, so H halves."""
    gru = GRUScratch(2, 3, sigma=0.0, reset_after=reset_after)
    H0 = torch.tensor([[1.0, -2.0, 4.0]])
    outputs, H = gru(torch.randn(2, 1, 2), H0)
    assert torch.allclose(outputs[0], H0 / 2)
    assert torch.allclose(H, H0 / 4)


def test_update_gate_one_keeps_the_state():
    gru = GRUScratch(4, 3, sigma=0.3)
    with torch.no_grad():
        gru.b_z.fill_(60.0)
    H0 = torch.randn(2, 3)
    _, H = gru(torch.randn(20, 2, 4), H0)
    assert torch.allclose(H, H0, atol=1e-6)


def test_reset_zero_update_zero_is_an_mlp_of_the_input():
    """R = 0, Z = 0: H_t = tanh(X_t W_xh + b_h), whatever came before."""
    gru = GRUScratch(4, 3, sigma=0.5)
    with torch.no_grad():
        gru.b_r.fill_(-60.0)
        gru.b_z.fill_(-60.0)
    X = torch.randn(3, 2, 4)
    outputs, _ = gru(X, torch.randn(2, 3))
    for X_t, H_t in zip(X, outputs):
        assert torch.allclose(H_t, torch.tanh(X_t @ gru.W_xh + gru.b_h),
                              atol=1e-6)


@pytest.mark.parametrize('T,B,d,h', [(1, 1, 1, 1), (5, 3, 10, 16),
                                     (7, 2, 28, 32)])
def test_reset_after_matches_nn_gru_with_copied_weights(T, B, d, h):
    gru, net = _pair(d, h, seed=T + d)
    X = torch.randn(T, B, d, dtype=torch.float64)
    H0 = torch.randn(B, h, dtype=torch.float64)
    outputs, H = gru(X, H0)
    Y, H_ref = net(X, H0[None])
    assert torch.allclose(torch.stack(outputs), Y, atol=1e-10)
    assert torch.allclose(H, H_ref[0], atol=1e-10)


def test_matches_nn_gru_in_float32_to_1e_5_from_zero_state():
    torch.manual_seed(3)
    gru = GRUScratch(10, 16, sigma=0.5, reset_after=True)
    net = gru_to_torch(gru)
    X = torch.randn(30, 4, 10)
    outputs, _ = gru(X)
    Y, _ = net(X)
    assert (torch.stack(outputs) - Y).abs().max() < 1e-5


def test_textbook_form_is_a_different_function():
    gru, net = _pair(10, 16, seed=1)
    X = torch.randn(5, 3, 10, dtype=torch.float64)
    H0 = torch.randn(3, 16, dtype=torch.float64)
    Y, _ = net(X, H0[None])
    gru.reset_after = False
    outputs, _ = gru(X, H0)
    assert (torch.stack(outputs) - Y).abs().max() > 1e-2


def test_forms_agree_on_the_first_step_from_a_zero_state():
    """With H_0 = 0 both candidates are tanh(X W_xh + b_h) at step 1."""
    gru, _ = _pair(6, 5, seed=2)
    X = torch.randn(4, 2, 6, dtype=torch.float64)
    after, _ = gru(X)
    gru.reset_after = False
    before, _ = gru(X)
    assert torch.allclose(after[0], before[0])
    assert not torch.allclose(after[-1], before[-1])


def test_bad_input_width_and_state_are_named():
    gru = GRUScratch(10, 16)
    with pytest.raises(ValueError, match=r'expected shape \(5, 3, 10\), '
                                         r'got \(5, 3, 8\)'):
        gru(torch.randn(5, 3, 8))
    with pytest.raises(ValueError, match=r'expected shape \(3, 16\), '
                                         r'got \(1, 3, 16\)'):
        gru(torch.randn(5, 3, 10), torch.zeros(1, 3, 16))


def test_scratch_gru_in_the_language_model():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(GRUScratch(28, 8), vocab_size=28, lr=4)
    assert model(torch.randint(0, 28, (3, 5))).shape == (3, 5, 28)
    vocab = d2l.Vocab(list('abcdefghijklmnopqrstuvwxyz '))
    assert len(model.predict('it has', 4, vocab)) == 10


def test_concise_gru_is_an_rnn_with_nn_gru():
    torch.manual_seed(0)
    gru = OneLayerGRU(num_inputs=10, num_hiddens=16)
    assert isinstance(gru, d2l.RNN) and isinstance(gru.rnn, nn.GRU)
    Y, H = gru(torch.randn(5, 3, 10))
    assert Y.shape == (5, 3, 16) and H.shape == (1, 3, 16)
    with pytest.raises(ValueError, match='inputs must have shape'):
        gru(torch.randn(5, 3, 9))
    model = d2l.RNNLM(OneLayerGRU(28, 8), vocab_size=28, lr=4)
    assert model(torch.randint(0, 28, (3, 5))).shape == (3, 5, 28)
