"""Tests of Section 10.1 (lstm): the notebook's from-scratch and concise LSTM.

`LSTMScratch`, `lstm_to_torch` and `LSTM` are notebook-local, so the tests
execute the notebook's own cells that define them (found by their first
line) instead of restating the code. PyTorch's nn.LSTM is the oracle.
"""
import pytest
import torch
from torch import nn

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('class LSTMScratch(', '@d2l.add_to_class(LSTMScratch)',
           'def lstm_to_torch(', 'class LSTM(')


NB = notebook_code('recurrent-modern/lstm.md', DEFINES)
LSTMScratch, lstm_to_torch, LSTM = (NB['LSTMScratch'], NB['lstm_to_torch'],
                                    NB['LSTM'])


def _pair(d, h, sigma=0.5, seed=0):
    """A scratch LSTM with random biases and the nn.LSTM copy, in float64."""
    torch.manual_seed(seed)
    lstm = LSTMScratch(d, h, sigma=sigma)
    with torch.no_grad():
        for b in (lstm.b_i, lstm.b_f, lstm.b_o, lstm.b_c):
            b.normal_()
    return lstm.double(), lstm_to_torch(lstm).double()


def test_shapes():
    lstm = LSTMScratch(num_inputs=10, num_hiddens=16)
    outputs, (H, C) = lstm(torch.randn(5, 3, 10))
    assert len(outputs) == 5
    assert all(o.shape == (3, 16) for o in outputs)
    assert H.shape == C.shape == (3, 16)
    assert torch.equal(outputs[-1], H)


def test_parameter_count_is_four_blocks():
    d, h = 28, 32
    lstm = LSTMScratch(d, h)
    assert sum(p.numel() for p in lstm.parameters()) == 4 * (d * h + h * h + h)


def test_values_with_zero_weights():
    """Zero weights: every gate is 1/2, the input node 0, so C halves.

    C: 1 -> 0.5 -> 0.25 and H_t = tanh(C_t) / 2.
    """
    lstm = LSTMScratch(2, 3, sigma=0.0)
    C0 = torch.ones(1, 3)
    outputs, (H, C) = lstm(torch.randn(2, 1, 2), (torch.zeros(1, 3), C0))
    assert torch.allclose(C, torch.full((1, 3), 0.25))
    assert torch.allclose(outputs[0], 0.5 * torch.tanh(torch.tensor(0.5))
                          * torch.ones(1, 3))
    assert torch.allclose(H, 0.5 * torch.tanh(torch.tensor(0.25))
                          * torch.ones(1, 3))


def test_open_forget_and_closed_input_gate_keep_the_cell():
    lstm = LSTMScratch(4, 3, sigma=0.3)
    with torch.no_grad():
        lstm.b_f.fill_(60.0)       # forget gate = 1 in float32
        lstm.b_i.fill_(-60.0)      # input gate = 0
    C0 = torch.randn(2, 3)
    _, (H, C) = lstm(torch.randn(20, 2, 4), (torch.randn(2, 3), C0))
    assert torch.allclose(C, C0, atol=1e-6)


@pytest.mark.parametrize('T,B,d,h', [(1, 1, 1, 1), (5, 3, 10, 16),
                                     (7, 2, 28, 32)])
def test_matches_nn_lstm_with_copied_weights(T, B, d, h):
    lstm, net = _pair(d, h, seed=T + d)
    X = torch.randn(T, B, d, dtype=torch.float64)
    H0 = torch.randn(B, h, dtype=torch.float64)
    C0 = torch.randn(B, h, dtype=torch.float64)
    outputs, (H, C) = lstm(X, (H0, C0))
    Y, (H_ref, C_ref) = net(X, (H0[None], C0[None]))
    assert torch.allclose(torch.stack(outputs), Y, atol=1e-10)
    assert torch.allclose(H, H_ref[0], atol=1e-10)
    assert torch.allclose(C, C_ref[0], atol=1e-10)


def test_matches_nn_lstm_in_float32_to_1e_5_from_zero_state():
    torch.manual_seed(3)
    lstm = LSTMScratch(10, 16, sigma=0.5)
    net = lstm_to_torch(lstm)
    X = torch.randn(30, 4, 10)
    outputs, _ = lstm(X)
    Y, _ = net(X)
    assert (torch.stack(outputs) - Y).abs().max() < 1e-5


def test_gradients_match_nn_lstm():
    lstm, net = _pair(3, 4, seed=7)
    X = torch.randn(6, 2, 3, dtype=torch.float64)
    outputs, _ = lstm(X)
    torch.stack(outputs).pow(2).sum().backward()
    Y, _ = net(X)
    Y.pow(2).sum().backward()
    h = 4                          # rows of PyTorch: input, forget, node, out
    for k, W in enumerate((lstm.W_xi, lstm.W_xf, lstm.W_xc, lstm.W_xo)):
        assert torch.allclose(W.grad.T, net.weight_ih_l0.grad[k*h:(k+1)*h])
    for k, W in enumerate((lstm.W_hi, lstm.W_hf, lstm.W_hc, lstm.W_ho)):
        assert torch.allclose(W.grad.T, net.weight_hh_l0.grad[k*h:(k+1)*h])


def test_bad_input_width_is_named():
    lstm = LSTMScratch(10, 16)
    with pytest.raises(ValueError, match=r'expected shape \(5, 3, 10\), '
                                         r'got \(5, 3, 8\)'):
        lstm(torch.randn(5, 3, 8))


def test_bad_state_shape_is_named():
    lstm = LSTMScratch(10, 16)
    with pytest.raises(ValueError, match=r'expected shape \(3, 16\)'):
        lstm(torch.randn(5, 3, 10), (torch.zeros(3, 16), torch.zeros(2, 16)))
    with pytest.raises(ValueError, match=r'expected shape \(3, 16\)'):
        lstm(torch.randn(5, 3, 10), (torch.zeros(3, 8), torch.zeros(3, 16)))


def test_scratch_lstm_in_the_language_model():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(LSTMScratch(28, 8), vocab_size=28, lr=4)
    X = torch.randint(0, 28, (3, 5))
    assert model(X).shape == (3, 5, 28)
    vocab = d2l.Vocab(list('abcdefghijklmnopqrstuvwxyz '))
    text = model.predict('it has', 4, vocab)
    assert text.startswith('it has') and len(text) == 10


def test_concise_lstm_shapes_and_language_model():
    torch.manual_seed(0)
    lstm = LSTM(num_inputs=10, num_hiddens=16)
    assert isinstance(lstm, d2l.RNN) and isinstance(lstm.rnn, nn.LSTM)
    Y, (H, C) = lstm(torch.randn(5, 3, 10))
    assert Y.shape == (5, 3, 16) and H.shape == C.shape == (1, 3, 16)
    model = d2l.RNNLM(LSTM(28, 8), vocab_size=28, lr=4)
    assert model(torch.randint(0, 28, (3, 5))).shape == (3, 5, 28)
    vocab = d2l.Vocab(list('abcdefghijklmnopqrstuvwxyz '))
    assert len(model.predict('it', 5, vocab)) == 7
