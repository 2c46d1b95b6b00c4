"""Tests of Section 9.6: d2l.RNN and d2l.RNNLM."""
import pytest
import torch
from torch import nn

from d2l import torch as d2l


def test_rnn_wraps_nn_rnn_and_returns_outputs_and_state():
    torch.manual_seed(0)
    rnn = d2l.RNN(num_inputs=28, num_hiddens=32)
    assert isinstance(rnn.rnn, nn.RNN)
    assert (rnn.num_inputs, rnn.num_hiddens) == (28, 32)
    outputs, H = rnn(torch.randn(5, 3, 28))
    d2l.check_shape(outputs, (5, 3, 32))
    d2l.check_shape(H, (1, 3, 32))
    assert torch.equal(outputs[-1], H[0])


def test_rnn_has_32_more_parameters_than_the_scratch_layer():
    ours = d2l.RNN(28, 32)
    scratch = d2l.RNNScratch(28, 32)
    count = lambda m: sum(p.numel() for p in m.parameters())
    assert (count(ours), count(scratch)) == (1984, 1952)


def test_rnn_equals_rnn_scratch_with_copied_weights():
    torch.manual_seed(0)
    scratch = d2l.RNNScratch(6, 5, sigma=0.4)
    ours = d2l.RNN(6, 5)
    with torch.no_grad():
        ours.rnn.weight_ih_l0.copy_(scratch.W_xh.T)
        ours.rnn.weight_hh_l0.copy_(scratch.W_hh.T)
        ours.rnn.bias_ih_l0.copy_(0.25 * scratch.b_h)
        ours.rnn.bias_hh_l0.copy_(0.75 * scratch.b_h)   # only the sum counts
        scratch.b_h.add_(torch.randn(5))
        ours.rnn.bias_ih_l0.copy_(scratch.b_h - ours.rnn.bias_hh_l0)
    X = torch.randn(8, 2, 6)
    outputs, state = scratch(X)
    out, H = ours(X)
    assert torch.allclose(torch.stack(outputs), out, atol=1e-5)
    assert torch.allclose(state, H[0], atol=1e-5)


def test_rnn_accepts_the_state_it_returns():
    torch.manual_seed(0)
    rnn = d2l.RNN(3, 4)
    X = torch.randn(10, 2, 3)
    whole, _ = rnn(X)
    first, H = rnn(X[:6])
    second, _ = rnn(X[6:], H)
    assert torch.allclose(whole, torch.cat([first, second]), atol=1e-6)


def test_rnn_rejects_bad_sizes_and_inputs():
    with pytest.raises(ValueError, match='num_hiddens must be an integer >= 1'):
        d2l.RNN(3, 0)
    with pytest.raises(TypeError, match='num_inputs must be an integer'):
        d2l.RNN('3', 4)
    rnn = d2l.RNN(3, 4)
    with pytest.raises(ValueError, match=r'\(num_steps, batch, 3\), '
                                         r'got \(2, 5, 2\)'):
        rnn(torch.zeros(2, 5, 2))


def test_rnnlm_output_layer_and_forward_shapes():
    torch.manual_seed(0)
    model = d2l.RNNLM(d2l.RNN(16, 32), vocab_size=16, lr=1)
    assert isinstance(model, d2l.RNNLMScratch)
    Y_hat = model(torch.randint(0, 16, (2, 100)))
    d2l.check_shape(Y_hat, (2, 100, 16))
    assert model.linear.weight.shape == (16, 32)
    H = torch.randn(7, 3, 32)
    out = model.output_layer(H)
    d2l.check_shape(out, (3, 7, 16))
    assert torch.allclose(out[1, 4], model.linear(H[4, 1]), atol=1e-6)


def test_rnnlm_has_no_scratch_output_parameters():
    model = d2l.RNNLM(d2l.RNN(5, 4), vocab_size=5)
    names = {name for name, _ in model.named_parameters()}
    assert 'W_hq' not in names and 'b_q' not in names
    assert 'linear.weight' in names


def test_rnnlm_predict_is_deterministic():
    vocab = d2l.Vocab(list('the time machine'))
    torch.manual_seed(0)
    model = d2l.RNNLM(d2l.RNN(len(vocab), 8), vocab_size=len(vocab))
    a = model.predict('the', 12, vocab)
    assert a == model.predict('the', 12, vocab) and a.startswith('the')


def test_rnnlm_trains_and_perplexity_falls():
    """A few SGD steps with clipping on a repeating text lower the loss."""
    torch.manual_seed(0)
    text = list('abcd' * 40)
    vocab = d2l.Vocab(text)
    idx = torch.tensor(vocab[text])
    X = idx[:-1].unfold(0, 8, 8)[:16]
    Y = idx[1:].unfold(0, 8, 8)[:16]
    model = d2l.RNNLM(d2l.RNN(len(vocab), 16), vocab_size=len(vocab), lr=1)
    model(X)                                        # materialise lazy layer
    opt = model.configure_optimizers()
    trainer = d2l.Trainer(max_epochs=1, gradient_clip_val=1)
    first = model.loss(model(X), Y).item()
    for _ in range(60):
        opt.zero_grad()
        model.loss(model(X), Y).backward()
        with torch.no_grad():
            trainer.clip_gradients(1, model)
        opt.step()
    assert model.loss(model(X), Y).item() < 0.5 * first
    assert model.predict('ab', 6, vocab) == 'abcdabcd'
