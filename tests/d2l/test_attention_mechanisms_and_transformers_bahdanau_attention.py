"""Tests of Section 11.4: the AttentionDecoder interface."""
import pytest
import torch

from d2l import torch as d2l


def test_attention_decoder_is_an_abstract_decoder():
    dec = d2l.AttentionDecoder()
    assert isinstance(dec, d2l.Decoder)
    with pytest.raises(NotImplementedError,
                       match='AttentionDecoder must define the attention'):
        dec.attention_weights
    with pytest.raises(NotImplementedError):
        dec.init_state(None)


def test_subclass_provides_the_weights():
    class Fixed(d2l.AttentionDecoder):
        @property
        def attention_weights(self):
            return [torch.ones(1, 1, 3) / 3]
    assert Fixed().attention_weights[0].shape == (1, 1, 3)

    class Forgetful(d2l.AttentionDecoder):
        pass
    with pytest.raises(NotImplementedError, match='Forgetful must define'):
        Forgetful().attention_weights


# The section's notebook-local decoder, executed from the notebook itself.
from notebook_cells import notebook_code  # noqa: E402

NB = notebook_code(
    'attention-mechanisms-and-transformers/bahdanau-attention.md',
    ('class AttentionDecoder', 'class Seq2SeqAttentionDecoder',
     '@d2l.add_to_class(Seq2SeqAttentionDecoder)'))
V, D, H, L, B, T = 11, 6, 8, 2, 3, 5


def small(seed=0):
    torch.manual_seed(seed)
    return (d2l.Seq2SeqEncoder(V, D, H, L),
            NB['Seq2SeqAttentionDecoder'](V, D, H, L))


def test_decoder_shapes_and_state():
    enc, dec = small()
    assert isinstance(dec, NB['AttentionDecoder'])
    X = torch.randint(0, V, (B, T))
    lens = torch.tensor([5, 2, 1])
    state = dec.init_state(enc(X), lens)
    assert state[0].shape == (B, T, H) and state[1].shape == (L, B, H)
    Y, new_state = dec(X[:, :4], state)
    assert Y.shape == (B, 4, V)
    assert new_state[0] is state[0] and new_state[2] is lens
    assert len(dec.attention_weights) == 4
    assert all(w.shape == (B, 1, T) for w in dec.attention_weights)


def test_weights_respect_source_padding_and_sum_to_one():
    enc, dec = small()
    X = torch.randint(0, V, (B, T))
    lens = torch.tensor([5, 2, 1])
    dec(X, dec.init_state(enc(X), lens))
    w = torch.cat(dec.attention_weights, 1)        # (B, T', T)
    assert (w[1, :, 2:] == 0).all() and (w[2, :, 1:] == 0).all()
    assert torch.allclose(w.sum(-1), torch.ones(B, T))


def test_one_call_equals_step_by_step():
    enc, dec = small()
    X = torch.randint(0, V, (B, T))
    lens = torch.tensor([5, 3, 4])
    Y, _ = dec(X, dec.init_state(enc(X), lens))
    state, steps = dec.init_state(enc(X), lens), []
    for t in range(T):
        Y_t, state = dec(X[:, t:t + 1], state)
        steps.append(Y_t)
    assert torch.allclose(torch.cat(steps, 1), Y, atol=1e-6)


def test_every_source_position_reaches_the_first_step():
    # unlike the plain decoder, which reads only the last encoder output
    enc, dec = small()
    outputs, hidden = enc(torch.randint(0, V, (1, T)))
    X = torch.tensor([[1]])
    lens = torch.tensor([T])
    Y1, _ = dec(X, dec.init_state((outputs, hidden), lens))
    changed = outputs.clone()
    changed[0] += 1.0                              # first source position
    Y2, _ = dec(X, dec.init_state((changed, hidden), lens))
    assert not torch.allclose(Y1, Y2)


def test_predict_step_collects_one_weight_list_per_step():
    enc, dec = small()
    model = d2l.Seq2Seq(enc, dec, tgt_pad=0, lr=0.01)
    src = torch.randint(1, V, (2, T))
    tgt = torch.full((2, T), 3)
    batch = (src, tgt, torch.tensor([T, 2]), tgt)
    preds, weights = model.predict_step(batch, 'cpu', num_steps=4,
                                        save_attention_weights=True)
    assert preds.shape == (2, 4) and len(weights) == 4
    stacked = torch.cat([w[0] for w in weights], 1)  # (B, steps, T)
    assert stacked.shape == (2, 4, T) and (stacked[1, :, 2:] == 0).all()


def test_a_few_steps_of_training_lower_the_loss():
    enc, dec = small(1)
    model = d2l.Seq2Seq(enc, dec, tgt_pad=0, lr=0.05)
    X = torch.randint(1, V, (4, T))
    lens = torch.full((4,), T)
    opt = model.configure_optimizers()
    first = None
    for _ in range(12):                            # learn to copy X
        loss = model.loss(model(X, X, lens), X)
        first = loss.item() if first is None else first
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.5 * first
