"""Tests of Section 10.4 (bi-rnn): the notebook's `BiRNNScratch`,
`birnn_to_torch` and `BiGRU`, executed from the notebook's own cells.
PyTorch's nn.RNN(bidirectional=True) is the oracle.
"""
import pytest
import torch
from torch import nn

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('class BiRNNScratch(', '@d2l.add_to_class(BiRNNScratch)',
           'def birnn_to_torch(', 'class BiGRU(')


NB = notebook_code('recurrent-modern/bi-rnn.md', DEFINES)
BiRNNScratch, birnn_to_torch, BiGRU = (NB['BiRNNScratch'],
                                       NB['birnn_to_torch'], NB['BiGRU'])


def test_shapes_of_the_syllabus_example():
    birnn = BiRNNScratch(num_inputs=16, num_hiddens=32)
    outputs, (f_H, b_H) = birnn(torch.randn(10, 2, 16))
    assert len(outputs) == 10 and all(o.shape == (2, 64) for o in outputs)
    assert f_H.shape == b_H.shape == (2, 32)
    assert birnn.num_hiddens == 64 and birnn.f_rnn.num_hiddens == 32


def test_halves_are_the_two_directions():
    torch.manual_seed(0)
    birnn = BiRNNScratch(3, 4, sigma=0.5)
    X = torch.randn(5, 2, 3)
    outputs, (f_H, b_H) = birnn(X)
    fwd, f_last = birnn.f_rnn(X)
    bwd, b_last = birnn.b_rnn(X.flip(0))
    for t in range(5):
        assert torch.equal(outputs[t][:, :4], fwd[t])
        assert torch.equal(outputs[t][:, 4:], bwd[4 - t])
    assert torch.equal(f_H, f_last) and torch.equal(b_H, b_last)
    assert torch.equal(outputs[0][:, 4:], b_H)     # backward ends at step 1


def test_a_change_at_step_t_reaches_forward_later_and_backward_earlier():
    torch.manual_seed(0)
    birnn = BiRNNScratch(3, 4, sigma=0.5)
    X = torch.randn(6, 1, 3)
    Y = X.clone()
    Y[2] += 1.0
    a, _ = birnn(X)
    b, _ = birnn(Y)
    for t in range(6):
        fwd_same = torch.allclose(a[t][:, :4], b[t][:, :4])
        bwd_same = torch.allclose(a[t][:, 4:], b[t][:, 4:])
        assert fwd_same == (t < 2) and bwd_same == (t > 2)


@pytest.mark.parametrize('T,B,d,h', [(1, 1, 1, 1), (10, 2, 16, 32),
                                     (7, 3, 5, 4)])
def test_matches_bidirectional_nn_rnn_with_copied_weights(T, B, d, h):
    torch.manual_seed(T)
    birnn = BiRNNScratch(d, h, sigma=0.4)
    with torch.no_grad():
        birnn.f_rnn.b_h.normal_()
        birnn.b_rnn.b_h.normal_()
    net = birnn_to_torch(birnn).double()
    birnn = birnn.double()
    X = torch.randn(T, B, d, dtype=torch.float64)
    f0, b0 = (torch.randn(B, h, dtype=torch.float64) for _ in range(2))
    outputs, (f_H, b_H) = birnn(X, (f0, b0))
    Y, H = net(X, torch.stack((f0, b0)))
    assert torch.allclose(torch.stack(outputs), Y)
    assert torch.allclose(torch.stack((f_H, b_H)), H)


def test_float32_agreement_to_1e_5():
    torch.manual_seed(1)
    birnn = BiRNNScratch(16, 32, sigma=0.3)
    X = torch.randn(10, 2, 16)
    outputs, _ = birnn(X)
    Y, _ = birnn_to_torch(birnn)(X)
    assert (torch.stack(outputs) - Y).abs().max() < 1e-5


def test_bad_input_width_is_named():
    with pytest.raises(ValueError, match='inputs must have shape'):
        BiRNNScratch(16, 32)(torch.randn(10, 2, 15))


def test_bigru_shapes_and_width():
    bigru = BiGRU(num_inputs=16, num_hiddens=32)
    assert isinstance(bigru.rnn, nn.GRU) and bigru.rnn.bidirectional
    assert bigru.num_hiddens == 64
    outputs, H = bigru(torch.randn(10, 2, 16))
    assert outputs.shape == (10, 2, 64) and H.shape == (2, 2, 32)


def test_language_models_size_their_output_layer_for_2h():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(BiRNNScratch(28, 8), vocab_size=28, lr=1)
    assert model.W_hq.shape == (16, 28)
    assert model(torch.randint(0, 28, (3, 5))).shape == (3, 5, 28)
    model = d2l.RNNLM(BiGRU(28, 8), vocab_size=28, lr=1)
    assert model(torch.randint(0, 28, (3, 5))).shape == (3, 5, 28)
    assert model.linear.weight.shape == (28, 16)


def test_bidirectional_language_model_sees_the_target():
    """The score at step t changes when only input t+1 (the target) does."""
    torch.manual_seed(0)
    model = d2l.RNNLM(BiGRU(28, 8), vocab_size=28, lr=1)
    X = torch.randint(0, 28, (1, 6))
    Y = X.clone()
    Y[0, 3] = (X[0, 3] + 1) % 28
    with torch.no_grad():
        a, b = model(X), model(Y)
    assert not torch.allclose(a[0, 2], b[0, 2])        # step 2 saw step 3
