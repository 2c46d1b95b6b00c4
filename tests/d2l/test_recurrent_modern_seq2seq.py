"""Tests of Section 10.7: init_seq2seq, Seq2SeqEncoder, Seq2SeqDecoder,
Seq2Seq (masked loss), EncoderDecoder.predict_step and bleu."""
import collections
import math
import random

import pytest
import torch
from torch import nn

from d2l import torch as d2l

V, D, H, L, B, T = 10, 8, 16, 2, 4, 9


def small_model(tgt_pad=0, lr=0.01):
    torch.manual_seed(0)
    return d2l.Seq2Seq(d2l.Seq2SeqEncoder(V, D, H, L),
                       d2l.Seq2SeqDecoder(V, D, H, L), tgt_pad=tgt_pad, lr=lr)


def test_init_seq2seq_xavier_bounds_and_biases():
    torch.manual_seed(0)
    linear, gru = nn.Linear(30, 20), nn.GRU(6, 5, num_layers=2)
    bias = linear.bias.detach().clone()
    gru_bias = gru.bias_hh_l1.detach().clone()
    linear.apply(d2l.init_seq2seq)
    gru.apply(d2l.init_seq2seq)
    assert linear.weight.abs().max() <= math.sqrt(6 / 50)
    assert torch.equal(linear.bias, bias)
    assert gru.weight_ih_l0.abs().max() <= math.sqrt(6 / (6 + 15))
    assert gru.weight_hh_l1.abs().max() <= math.sqrt(6 / (5 + 15))
    assert torch.equal(gru.bias_hh_l1, gru_bias)
    lazy = nn.LazyLinear(3)
    d2l.init_seq2seq(lazy)                      # not created yet: skipped
    assert lazy(torch.zeros(1, 4)).shape == (1, 3)


def test_encoder_and_decoder_shapes():
    enc, dec = d2l.Seq2SeqEncoder(V, D, H, L), d2l.Seq2SeqDecoder(V, D, H, L)
    X = torch.zeros((B, T), dtype=torch.long)
    outputs, state = enc(X)
    assert outputs.shape == (T, B, H) and state.shape == (L, B, H)
    Y, new_state = dec(X[:, :5], dec.init_state((outputs, state)))
    assert Y.shape == (B, 5, V)
    assert new_state[0] is outputs and new_state[1].shape == (L, B, H)
    assert isinstance(enc.rnn, d2l.GRU) and isinstance(dec.rnn, d2l.GRU)


def test_decoder_uses_the_context_at_every_step():
    torch.manual_seed(0)
    dec = d2l.Seq2SeqDecoder(V, D, H, 1)
    X = torch.tensor([[1, 2, 3]])
    state = torch.zeros(1, 1, H)
    out_a = torch.zeros(4, 1, H)
    out_b = out_a.clone()
    out_b[-1] = 1.0                             # only the context differs
    Ya, _ = dec(X, [out_a, state])
    Yb, _ = dec(X, [out_b, state])
    assert not torch.allclose(Ya[:, 0], Yb[:, 0])


def test_encoder_rejects_bad_input():
    with pytest.raises(ValueError, match=r'expected source tokens of shape '
                                         r'\(batch, steps\), got \(9,\)'):
        d2l.Seq2SeqEncoder(V, D, H, L)(torch.zeros(9, dtype=torch.long))
    with pytest.raises(ValueError, match='num_layers must be an integer >= '
                                         '1, got 0'):
        d2l.Seq2SeqEncoder(V, D, H, 0)
    with pytest.raises(TypeError, match='embed_size must be an integer'):
        d2l.Seq2SeqDecoder(V, 8.5, H, L)


def test_masked_loss_ignores_padding_exactly():
    model = small_model(tgt_pad=0)
    torch.manual_seed(1)
    Y = torch.tensor([[3, 1, 2, 0], [2, 0, 0, 0]])
    Y_hat = torch.randn(2, 4, V, dtype=torch.float64)
    per_token = nn.functional.cross_entropy(
        Y_hat.reshape(-1, V), Y.reshape(-1), reduction='none')
    expected = per_token[[0, 1, 2, 4]].mean()
    assert torch.allclose(model.loss(Y_hat, Y), expected, atol=1e-12)
    changed = Y_hat.clone()
    changed[Y == 0] = 1e3 * torch.randn(4, V, dtype=torch.float64)
    assert torch.equal(model.loss(changed, Y), model.loss(Y_hat, Y))
    per = model.loss(Y_hat, Y, averaged=False)
    assert per.shape == (8,) and (per[Y.reshape(-1) == 0] == 0).all()


def test_masked_loss_of_only_padding_is_zero_not_nan():
    model = small_model(tgt_pad=5)
    assert model.loss(torch.randn(1, 3, V), torch.full((1, 3), 5)) == 0


def test_seq2seq_checks_and_optimizer():
    with pytest.raises(ValueError, match='tgt_pad must be an integer >= 0'):
        small_model(tgt_pad=-1)
    with pytest.raises(ValueError, match='lr must be a number >= 0'):
        small_model(lr=-0.1)
    opt = small_model(lr=0.02).configure_optimizers()
    assert isinstance(opt, torch.optim.Adam)
    assert opt.param_groups[0]['lr'] == 0.02


def test_validation_step_records_only_the_loss():
    model = small_model()
    seen = []
    model.plot = lambda key, value, train: seen.append((key, train))
    X = torch.randint(0, V, (B, T))
    model.validation_step((X, X, torch.full((B,), T), X))
    assert seen == [('loss', False)]


def test_predict_step_is_greedy_and_restores_the_mode():
    model = small_model()
    model.train()
    src = torch.randint(1, V, (3, T))
    tgt = torch.full((3, T), 7)                 # column 0 plays <bos>
    batch = (src, tgt, torch.full((3,), T), tgt)
    preds, attention = model.predict_step(batch, 'cpu', num_steps=5)
    assert preds.shape == (3, 5) and attention == []
    assert model.training
    model.eval()
    with torch.no_grad():                       # the same loop, by hand
        state = model.decoder.init_state(model.encoder(src))
        token, expected = tgt[:, :1], []
        for _ in range(5):
            Y, state = model.decoder(token, state)
            token = Y.argmax(2)
            expected.append(token)
    assert torch.equal(preds, torch.cat(expected, 1))
    with pytest.raises(ValueError, match='num_steps must be an integer >= 1'):
        model.predict_step(batch, 'cpu', num_steps=0)


def test_predict_step_collects_attention_weights():
    model = small_model()
    model.decoder.attention_weights = 'w'       # what attention decoders set
    batch = (torch.ones(2, T, dtype=torch.long),) * 2 + (
        torch.full((2,), T), torch.ones(2, T, dtype=torch.long))
    _, attention = model.predict_step(batch, 'cpu', 3,
                                      save_attention_weights=True)
    assert attention == ['w', 'w', 'w']


def reference_bleu(pred, label, k):
    """BLEU by the definition, written as plainly as possible."""
    pred, label = pred.split(), label.split()
    score = math.exp(min(0, 1 - len(label) / len(pred)))
    for n in range(1, min(k, len(pred)) + 1):
        pred_grams = [tuple(pred[i:i + n]) for i in range(len(pred) - n + 1)]
        left = collections.Counter(tuple(label[i:i + n])
                                   for i in range(len(label) - n + 1))
        matches = 0
        for gram in pred_grams:
            if left[gram] > 0:
                matches, left[gram] = matches + 1, left[gram] - 1
        score *= (matches / len(pred_grams)) ** (0.5 ** n)
    return score


def test_bleu_hand_computed_cases():
    ref = 'le chat dort sur le lit'
    # p1 = 4/5 (one 'chat' is clipped), p2 = 2/4, brevity exp(1 - 6/5)
    assert d2l.bleu('le chat le chat dort', ref, 2) == pytest.approx(
        math.exp(-0.2) * (4 / 5) ** 0.5 * (2 / 4) ** 0.25)
    assert d2l.bleu(ref, ref, 4) == 1.0
    assert d2l.bleu('le chat', ref, 2) == pytest.approx(math.exp(-2))
    assert d2l.bleu('a b b c d', 'a b c d e f', 4) == 0.0   # p4 = 0
    assert d2l.bleu('a b b c d', 'a b c d e f', 3) == pytest.approx(
        math.exp(-0.2) * 0.8 ** 0.5 * 0.75 ** 0.25 * (1 / 3) ** 0.125)
    assert d2l.bleu('the the the', 'the cat', 1) == pytest.approx(
        (1 / 3) ** 0.5)                         # clipped: one 'the' counts
    assert d2l.bleu('the the the', 'the cat', 2) == 0.0
    assert d2l.bleu('chat', 'chat noir', 4) == pytest.approx(math.exp(-1))
    assert d2l.bleu('x y', 'a b', 2) == 0.0
    assert d2l.bleu('', 'a b', 2) == 0.0


def test_bleu_agrees_with_the_definition_on_random_cases():
    rng = random.Random(0)
    for _ in range(200):
        pred = ' '.join(rng.choices('abcd', k=rng.randint(1, 8)))
        label = ' '.join(rng.choices('abcd', k=rng.randint(1, 8)))
        k = rng.randint(1, 4)
        assert d2l.bleu(pred, label, k) == pytest.approx(
            reference_bleu(pred, label, k))


def test_bleu_rejects_bad_arguments():
    with pytest.raises(ValueError, match='k must be an integer >= 1, got 0'):
        d2l.bleu('a', 'a', 0)
    with pytest.raises(TypeError, match='pred_seq must be str'):
        d2l.bleu(['a'], 'a', 2)
    with pytest.raises(TypeError, match='label_seq must be str'):
        d2l.bleu('a', None, 2)
