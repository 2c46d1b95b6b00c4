"""Tests of Section 10.3 (deep-rnn): the saved multilayer `d2l.GRU` and the
notebook's `StackedRNNScratch` (executed from the notebook's own cells).
"""
import pytest
import torch
from torch import nn

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('class StackedRNNScratch(', '@d2l.add_to_class(StackedRNNScratch)')


StackedRNNScratch = notebook_code('recurrent-modern/deep-rnn.md',
                                  DEFINES)['StackedRNNScratch']


def test_gru_is_an_rnn_wrapping_a_multilayer_nn_gru():
    gru = d2l.GRU(num_inputs=10, num_hiddens=16, num_layers=3, dropout=0.25)
    assert isinstance(gru, d2l.RNN) and isinstance(gru.rnn, nn.GRU)
    assert (gru.num_inputs, gru.num_hiddens, gru.num_layers) == (10, 16, 3)
    assert gru.dropout == 0.25 and gru.rnn.dropout == 0.25
    assert gru.rnn.num_layers == 3 and not gru.rnn.bidirectional
    assert d2l.GRU.forward is d2l.RNN.forward          # inherited


def test_gru_positional_signature_and_default_dropout():
    gru = d2l.GRU(28, 32, 2)
    assert gru.dropout == 0 and gru.rnn.dropout == 0


def test_gru_shapes_and_state_layout():
    gru = d2l.GRU(10, 16, 3)
    outputs, H = gru(torch.randn(5, 4, 10))
    assert outputs.shape == (5, 4, 16) and H.shape == (3, 4, 16)
    assert torch.allclose(outputs[-1], H[-1])
    outputs2, H2 = gru(torch.randn(2, 4, 10), H)      # state passed back in
    assert outputs2.shape == (2, 4, 16) and H2.shape == (3, 4, 16)


def test_gru_equals_a_chain_of_one_layer_grus():
    torch.manual_seed(0)
    gru = d2l.GRU(6, 5, 3).double()
    layers = [nn.GRU(6 if l == 0 else 5, 5).double() for l in range(3)]
    with torch.no_grad():
        for l, layer in enumerate(layers):
            for name in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'):
                getattr(layer, f'{name}_l0').copy_(
                    getattr(gru.rnn, f'{name}_l{l}'))
    X = torch.randn(4, 2, 6, dtype=torch.float64)
    outputs, H = gru(X)
    Y, last = X, []
    for layer in layers:
        Y, H_l = layer(Y)
        last.append(H_l)
    assert torch.allclose(outputs, Y) and torch.allclose(H, torch.cat(last))


def test_gru_dropout_acts_between_layers_in_training_only():
    torch.manual_seed(0)
    gru = d2l.GRU(6, 32, 2, dropout=0.5)
    X = torch.randn(4, 3, 6)
    gru.train()
    a, _ = gru(X)
    b, _ = gru(X)
    assert not torch.allclose(a, b)
    gru.eval()
    c, _ = gru(X)
    d, _ = gru(X)
    assert torch.equal(c, d)


@pytest.mark.parametrize('kwargs,error,message', [
    (dict(num_layers=0), ValueError, 'num_layers must be an integer >= 1'),
    (dict(num_layers=1.5), TypeError, 'num_layers must be an integer'),
    (dict(num_layers=True), TypeError, 'num_layers must be an integer'),
    (dict(num_inputs=0), ValueError, 'num_inputs must be an integer >= 1'),
    (dict(num_hiddens='32'), TypeError, 'num_hiddens must be an integer'),
    (dict(dropout=1.5), ValueError, 'dropout must be a number <= 1'),
    (dict(dropout=-0.1), ValueError, 'dropout must be a number >= 0'),
    (dict(dropout='0.1'), TypeError, 'dropout must be a real number'),
])
def test_gru_bad_arguments_are_named(kwargs, error, message):
    args = dict(num_inputs=10, num_hiddens=16, num_layers=2)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        d2l.GRU(**args)


def test_gru_accepts_numpy_and_tensor_integers():
    import numpy as np
    gru = d2l.GRU(np.int64(10), torch.tensor(16), 2)
    assert type(gru.num_inputs) is int and type(gru.num_hiddens) is int


def test_gru_bad_input_width_is_named():
    with pytest.raises(ValueError, match='inputs must have shape'):
        d2l.GRU(10, 16, 2)(torch.randn(5, 3, 9))


def test_gru_language_model():
    torch.manual_seed(0)
    model = d2l.RNNLM(d2l.GRU(28, 8, 2), vocab_size=28, lr=2)
    assert model(torch.randint(0, 28, (3, 5))).shape == (3, 5, 28)
    vocab = d2l.Vocab(list('abcdefghijklmnopqrstuvwxyz '))
    assert len(model.predict('it has', 4, vocab)) == 10


def test_stacked_scratch_shapes():
    stack = StackedRNNScratch(num_inputs=10, num_hiddens=16, num_layers=3)
    states, Hs = stack(torch.randn(5, 4, 10))
    assert len(states) == 5 and states[0].shape == (4, 16)
    assert len(Hs) == 3 and all(H.shape == (4, 16) for H in Hs)
    assert torch.equal(states[-1], Hs[-1])


def test_stacked_scratch_matches_multilayer_nn_rnn():
    torch.manual_seed(0)
    stack = StackedRNNScratch(5, 4, 2, sigma=0.5).double()
    net = nn.RNN(5, 4, num_layers=2).double()
    with torch.no_grad():
        for l, rnn in enumerate(stack.rnns):
            getattr(net, f'weight_ih_l{l}').copy_(rnn.W_xh.T)
            getattr(net, f'weight_hh_l{l}').copy_(rnn.W_hh.T)
            getattr(net, f'bias_ih_l{l}').copy_(rnn.b_h)
            getattr(net, f'bias_hh_l{l}').zero_()
    X = torch.randn(6, 3, 5, dtype=torch.float64)
    Hs0 = [torch.randn(3, 4, dtype=torch.float64) for _ in range(2)]
    states, Hs = stack(X, Hs0)
    Y, H = net(X, torch.stack(Hs0))
    assert torch.allclose(torch.stack(states), Y)
    assert torch.allclose(torch.stack(Hs), H)


def test_stacked_scratch_does_not_modify_the_given_states():
    stack = StackedRNNScratch(5, 4, 2)
    Hs0 = [torch.zeros(3, 4), torch.zeros(3, 4)]
    given = list(Hs0)
    stack(torch.randn(2, 3, 5), Hs0)
    assert all(a is b for a, b in zip(Hs0, given))


def test_stacked_scratch_bad_input_is_named():
    with pytest.raises(ValueError, match='inputs must have shape'):
        StackedRNNScratch(5, 4, 2)(torch.randn(2, 3, 6))


def test_stacked_scratch_language_model():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(StackedRNNScratch(28, 8, 2), vocab_size=28, lr=2)
    assert model(torch.randint(0, 28, (3, 5))).shape == (3, 5, 28)
    vocab = d2l.Vocab(list('abcdefghijklmnopqrstuvwxyz '))
    assert len(model.predict('it has', 4, vocab)) == 10
