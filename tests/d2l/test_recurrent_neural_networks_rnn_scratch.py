"""Tests of Section 9.5: RNNScratch, check_len, check_shape, RNNLMScratch,
and the gradient clipping of the saved Trainer.clip_gradients."""
import math

import pytest
import torch
from torch import nn

from d2l import torch as d2l


def scratch_and_reference(d=5, h=7, sigma=0.5, dtype=torch.float64):
    """An RNNScratch and an nn.RNN holding the same weights."""
    torch.manual_seed(0)
    ours = d2l.RNNScratch(d, h, sigma=sigma).to(dtype)
    ref = nn.RNN(d, h).to(dtype)
    with torch.no_grad():
        ref.weight_ih_l0.copy_(ours.W_xh.T)
        ref.weight_hh_l0.copy_(ours.W_hh.T)
        ref.bias_ih_l0.copy_(ours.b_h)
        ref.bias_hh_l0.zero_()
    return ours, ref


def toy_vocab():
    return d2l.Vocab(list('abcab cab a'))      # ' ', <unk>, a, b, c


# ---- RNNScratch -----------------------------------------------------------

def test_rnn_scratch_parameters_have_the_stated_shapes_and_scale():
    torch.manual_seed(0)
    rnn = d2l.RNNScratch(300, 200, sigma=0.01)
    assert rnn.W_xh.shape == (300, 200) and rnn.W_hh.shape == (200, 200)
    assert torch.equal(rnn.b_h, torch.zeros(200))
    assert rnn.W_xh.std().item() == pytest.approx(0.01, rel=0.02)
    assert (rnn.num_inputs, rnn.num_hiddens, rnn.sigma) == (300, 200, 0.01)


def test_rnn_scratch_shapes_match_the_book_smoke_test():
    rnn = d2l.RNNScratch(16, 32)
    outputs, state = rnn(torch.ones(100, 2, 16))
    d2l.check_len(outputs, 100)
    for H in outputs:
        d2l.check_shape(H, (2, 32))
    d2l.check_shape(state, (2, 32))
    assert state is outputs[-1]


def test_rnn_scratch_one_step_by_hand():
    rnn = d2l.RNNScratch(2, 2)
    with torch.no_grad():
        rnn.W_xh.copy_(torch.tensor([[1., 0.], [0., 2.]]))
        rnn.W_hh.copy_(torch.tensor([[0., 1.], [1., 0.]]))
        rnn.b_h.copy_(torch.tensor([0.5, -0.5]))
    X = torch.tensor([[[1., 1.]], [[0., 0.]]])          # T=2, B=1, d=2
    outputs, state = rnn(X)
    h1 = torch.tanh(torch.tensor([1.5, 1.5]))
    h2 = torch.tanh(torch.stack([h1[1] + 0.5, h1[0] - 0.5]))
    assert torch.allclose(outputs[0][0], h1)
    assert torch.allclose(state[0], h2)


def test_rnn_scratch_equals_nn_rnn_with_copied_weights():
    ours, ref = scratch_and_reference()
    X = torch.randn(9, 4, 5, dtype=torch.float64)
    H0 = torch.randn(4, 7, dtype=torch.float64)
    outputs, state = ours(X, H0)
    ref_out, ref_state = ref(X, H0.unsqueeze(0))
    assert torch.allclose(torch.stack(outputs), ref_out, atol=1e-5)
    assert torch.allclose(state, ref_state[0], atol=1e-5)


def test_rnn_scratch_default_state_follows_the_inputs_dtype():
    """Without a state, H_0 = 0 is made like the inputs (dtype, device)."""
    rnn = d2l.RNNScratch(5, 7, sigma=0.5).to(torch.float64)
    X = torch.randn(4, 3, 5, dtype=torch.float64)
    outputs, state = rnn(X)
    assert state.dtype == torch.float64 and state.device == X.device
    assert all(H.dtype == torch.float64 for H in outputs)
    explicit, _ = rnn(X, torch.zeros(3, 7, dtype=torch.float64))
    assert torch.equal(torch.stack(outputs), torch.stack(explicit))


def test_rnn_scratch_float32_equals_nn_rnn_to_1e5():
    ours, ref = scratch_and_reference(d=28, h=32, sigma=0.2,
                                      dtype=torch.float32)
    X = torch.randn(32, 16, 28)
    outputs, _ = ours(X)
    assert torch.allclose(torch.stack(outputs), ref(X)[0], atol=1e-5)


def test_rnn_scratch_gradients_equal_nn_rnn():
    ours, ref = scratch_and_reference()
    X = torch.randn(6, 3, 5, dtype=torch.float64)
    torch.stack(ours(X)[0]).square().sum().backward()
    ref(X)[0].square().sum().backward()
    assert torch.allclose(ours.W_hh.grad, ref.weight_hh_l0.grad.T)
    assert torch.allclose(ours.W_xh.grad, ref.weight_ih_l0.grad.T)
    assert torch.allclose(ours.b_h.grad, ref.bias_ih_l0.grad)


def test_rnn_scratch_accepts_the_state_it_returns():
    rnn = d2l.RNNScratch(3, 4, sigma=0.5)
    X = torch.randn(10, 2, 3)
    whole, _ = rnn(X)
    first, state = rnn(X[:4])
    second, _ = rnn(X[4:], state)
    assert torch.allclose(torch.stack(whole), torch.stack(first + second))


@pytest.mark.parametrize('args, error, match', [
    ((0, 4), ValueError, 'num_inputs must be an integer >= 1, got 0'),
    ((3, 2.5), TypeError, 'num_hiddens must be an integer'),
    ((3, 4, -1), ValueError, 'sigma must be a number >= 0'),
])
def test_rnn_scratch_rejects_bad_sizes(args, error, match):
    with pytest.raises(error, match=match):
        d2l.RNNScratch(*args)


def test_rnn_scratch_names_bad_input_and_state_shapes():
    rnn = d2l.RNNScratch(3, 4)
    with pytest.raises(ValueError, match=r'\(num_steps, batch, 3\), '
                                         r'got \(2, 5, 4\)'):
        rnn(torch.zeros(2, 5, 4))
    with pytest.raises(ValueError, match=r'got \(5, 3\)'):
        rnn(torch.zeros(5, 3))
    with pytest.raises(ValueError, match=r'state must have shape \(5, 4\), '
                                         r'got \(1, 5, 4\)'):
        rnn(torch.zeros(2, 5, 3), torch.zeros(1, 5, 4))


# ---- check_len, check_shape -----------------------------------------------

def test_check_len_and_check_shape_pass_silently():
    assert d2l.check_len([1, 2, 3], 3) is None
    assert d2l.check_shape(torch.zeros(2, 3), (2, 3)) is None
    assert d2l.check_shape(torch.zeros(2, 3), [2, 3]) is None
    assert d2l.check_shape(torch.zeros(2, 3), torch.Size([2, 3])) is None


def test_check_len_and_check_shape_name_both_values():
    with pytest.raises(ValueError, match='expected a list of length 4, '
                                         'got 3'):
        d2l.check_len([1, 2, 3], 4)
    with pytest.raises(ValueError, match=r'expected shape \(3, 2\), '
                                         r'got \(2, 3\)'):
        d2l.check_shape(torch.zeros(2, 3), (3, 2))


# ---- RNNLMScratch ---------------------------------------------------------

def test_rnnlm_scratch_shapes_and_one_hot():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(d2l.RNNScratch(16, 32), vocab_size=16)
    X = torch.randint(0, 16, (2, 100))
    d2l.check_shape(model(X), (2, 100, 16))
    assert model.W_hq.shape == (32, 16) and model.b_q.shape == (16,)
    enc = model.one_hot(torch.tensor([[0, 2], [1, 3]]))
    assert enc.dtype == torch.float32 and enc.shape == (2, 2, 16)
    assert enc[0, 1, 1] == 1 and enc[1, 0, 2] == 1 and enc.sum() == 4


def test_rnnlm_scratch_output_layer_is_the_same_linear_map_per_step():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(d2l.RNNScratch(4, 3, sigma=1.0), vocab_size=4)
    Hs = [torch.randn(2, 3) for _ in range(5)]
    out = model.output_layer(Hs)
    assert out.shape == (2, 5, 4)
    for t, H in enumerate(Hs):
        assert torch.allclose(out[:, t], H @ model.W_hq + model.b_q)


def test_rnnlm_scratch_output_layer_takes_a_list_or_a_time_major_tensor():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(d2l.RNNScratch(4, 3, sigma=1.0), vocab_size=4)
    Hs = [torch.randn(2, 3) for _ in range(5)]
    assert torch.equal(model.output_layer(Hs),
                       model.output_layer(torch.stack(Hs)))   # (T, B, h)


def test_rnnlm_scratch_logs_perplexity_as_exp_of_the_loss():
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(d2l.RNNScratch(5, 4), vocab_size=5, lr=0.5)
    logged = []
    model.plot = lambda key, value, train: logged.append((key, value, train))
    X, Y = torch.randint(0, 5, (3, 6)), torch.randint(0, 5, (3, 6))
    loss = model.training_step((X, Y))
    model.validation_step((X, Y))
    assert [(k, t) for k, _, t in logged] == [('ppl', True), ('ppl', False)]
    assert torch.allclose(logged[0][1], torch.exp(loss))
    # tiny weights: nearly uniform scores, so perplexity close to V = 5
    assert logged[1][1].item() == pytest.approx(5, rel=0.01)


def test_rnnlm_scratch_rejects_bad_arguments():
    rnn = d2l.RNNScratch(5, 4)
    with pytest.raises(ValueError, match='vocab_size must be an integer >= 1'):
        d2l.RNNLMScratch(rnn, vocab_size=0)
    with pytest.raises(TypeError, match='rnn must be a recurrent layer'):
        d2l.RNNLMScratch('rnn', vocab_size=5)
    model = d2l.RNNLMScratch(rnn, vocab_size=5)
    with pytest.raises(ValueError, match='tensor of token indices'):
        model.one_hot(torch.zeros(2, 3))
    with pytest.raises(ValueError, match='tensor of token indices'):
        model.one_hot(torch.zeros(2, 3, 4, dtype=torch.long))


# ---- predict --------------------------------------------------------------

def test_predict_is_deterministic_and_keeps_the_prefix():
    vocab = toy_vocab()
    torch.manual_seed(0)
    model = d2l.RNNLMScratch(d2l.RNNScratch(len(vocab), 8, sigma=1.0),
                             vocab_size=len(vocab))
    model.train()
    a = model.predict('ab', 10, vocab)
    b = model.predict('ab', 10, vocab)
    assert a == b and a.startswith('ab')
    assert model.training                     # the mode is restored
    assert model.predict('cab', 0, vocab) == 'cab'


def test_predict_equals_greedy_decoding_by_hand():
    vocab = toy_vocab()
    torch.manual_seed(3)
    model = d2l.RNNLMScratch(d2l.RNNScratch(len(vocab), 8, sigma=1.0),
                             vocab_size=len(vocab))
    tokens = ['b', 'a']
    for _ in range(6):                        # re-read the whole text
        with torch.no_grad():
            scores = model(torch.tensor([vocab[tokens]]))
        tokens.append(vocab.to_tokens(int(scores[0, -1].argmax())))
    assert model.predict('ba', 6, vocab) == ''.join(tokens)


def test_predict_rejects_bad_arguments():
    vocab = toy_vocab()
    model = d2l.RNNLMScratch(d2l.RNNScratch(len(vocab), 4),
                             vocab_size=len(vocab))
    with pytest.raises(ValueError, match='prefix must contain at least one'):
        model.predict('', 5, vocab)
    with pytest.raises(ValueError, match='num_preds must be an integer >= 0'):
        model.predict('a', -1, vocab)
    with pytest.raises(TypeError, match='num_preds must be an integer'):
        model.predict('a', 2.0, vocab)


# ---- gradient clipping (the saved Trainer.clip_gradients) ---------------

def model_with_gradients(scale, dtype=torch.float64):
    """Float64: a small MLP (strict bounds); float32: the language model."""
    torch.manual_seed(0)
    if dtype == torch.float64:
        model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(),
                              nn.Linear(5, 6)).double()
        X = torch.randn(4, 6, dtype=dtype)
        (scale * model(X).square().mean()).backward()
        return model
    model = d2l.RNNLMScratch(d2l.RNNScratch(6, 5, sigma=0.5), vocab_size=6)
    X, Y = torch.randint(0, 6, (4, 7)), torch.randint(0, 6, (4, 7))
    (scale * model.loss(model(X), Y)).backward()
    return model


def global_norm(model):
    return math.sqrt(sum((p.grad ** 2).sum().item()
                         for p in model.parameters()))


@pytest.mark.parametrize('theta', [1e-3, 0.1, 1.0])
def test_clip_gradients_bounds_the_global_norm(theta):
    model = model_with_gradients(scale=100.0)
    norm = global_norm(model)
    assert norm > theta
    before = [p.grad.clone() for p in model.parameters()]
    d2l.Trainer(max_epochs=1).clip_gradients(theta, model)
    assert global_norm(model) <= theta
    assert global_norm(model) == pytest.approx(theta, rel=1e-4)
    for g0, p in zip(before, model.parameters()):   # direction kept
        assert torch.allclose(p.grad, g0 * (theta / norm), rtol=1e-4)


def test_clip_gradients_in_float32_is_within_rounding_of_theta():
    model = model_with_gradients(scale=100.0, dtype=torch.float32)
    d2l.Trainer(max_epochs=1).clip_gradients(0.5, model)
    assert global_norm(model) <= 0.5 * (1 + 1e-6)


def test_clip_gradients_leaves_small_gradients_unchanged():
    model = model_with_gradients(scale=1.0)
    before = [p.grad.clone() for p in model.parameters()]
    theta = 2 * global_norm(model)
    d2l.Trainer(max_epochs=1).clip_gradients(theta, model)
    for g0, p in zip(before, model.parameters()):
        assert torch.equal(p.grad, g0)


def test_trainer_rejects_a_negative_clip_value():
    with pytest.raises(ValueError, match='gradient_clip_val must be a number '
                                         '>= 0'):
        d2l.Trainer(max_epochs=1, gradient_clip_val=-1)


def test_trainer_calls_clip_gradients_once_per_step_when_clipping():
    """The norm trace of 9.5 overrides clip_gradients: one call per step."""
    calls = []

    class Recording(d2l.Trainer):
        def clip_gradients(self, grad_clip_val, model):
            calls.append(grad_clip_val)
            super().clip_gradients(grad_clip_val, model)

    torch.manual_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2.0, -1.0]), b=0.5,
                                       num_train=64, num_val=16,
                                       batch_size=16)
    model = d2l.LinearRegressionScratch(2, lr=0.01)
    model.board.display = False
    Recording(max_epochs=2, gradient_clip_val=1).fit(model, data)
    assert calls == [1] * 8
    calls.clear()
    Recording(max_epochs=1, gradient_clip_val=0).fit(model, data)
    assert calls == []
