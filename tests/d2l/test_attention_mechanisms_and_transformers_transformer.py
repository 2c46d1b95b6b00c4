"""Tests of Section 11.7: PositionWiseFFN, AddNorm, TransformerEncoderBlock,
TransformerEncoder, and the notebook's own decoder (block, stack, cache)."""
import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l
from notebook_cells import notebook_code

SECTION = 'attention-mechanisms-and-transformers/transformer.md'


@pytest.fixture(scope='module')
def nb():
    ns = notebook_code(SECTION, ('class TransformerDecoderBlock(',
                                 '@d2l.add_to_class(TransformerDecoderBlock)',
                                 'class TransformerDecoder(',
                                 '@d2l.add_to_class(TransformerDecoder)'))
    ns['math'] = math                 # the notebook's first cell imports it
    return ns


def materialize(module, *inputs):
    """Run once so that lazy layers get their shapes, then go float64."""
    with torch.no_grad():
        module(*inputs)
    return module.double()


# PositionWiseFFN ----------------------------------------------------------

def test_ffn_values_by_hand():
    ffn = materialize(d2l.PositionWiseFFN(2, 1), torch.zeros(1, 1, 2))
    with torch.no_grad():
        ffn.dense1.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, -1.0]]))
        ffn.dense1.bias.zero_()
        ffn.dense2.weight.copy_(torch.tensor([[2.0, 3.0]]))
        ffn.dense2.bias.fill_(0.5)
    X = torch.tensor([[[1.0, 2.0], [-1.0, -4.0]]], dtype=torch.float64)
    # relu([1, -2]) = [1, 0] -> 2.5; relu([-1, 4]) = [0, 4] -> 12.5
    assert ffn(X).flatten().tolist() == [2.5, 12.5]


def test_ffn_shapes_and_positionwise():
    ffn = d2l.PositionWiseFFN(16, 6)
    X = torch.randn(2, 5, 3)
    X[1, 4] = X[0, 0]
    Y = ffn(X)
    assert Y.shape == (2, 5, 6)
    assert torch.equal(Y[1, 4], Y[0, 0])
    assert ffn(X[0, 0]).shape == (6,)          # any leading shape


def test_ffn_rejects_bad_sizes():
    with pytest.raises(ValueError, match='ffn_num_hiddens must be an integer '
                                         '>= 1, got 0'):
        d2l.PositionWiseFFN(0, 4)
    with pytest.raises(TypeError, match='ffn_num_outputs'):
        d2l.PositionWiseFFN(4, 2.5)


# AddNorm ------------------------------------------------------------------

def test_addnorm_is_layer_norm_of_the_sum():
    add_norm = d2l.AddNorm(4, 0.0)
    X = torch.tensor([[[1.0, 2.0, 3.0, 4.0]]])
    Y = torch.tensor([[[1.0, 0.0, 1.0, 0.0]]])
    # X + Y = [2, 2, 4, 4]: mean 3, variance 1 -> [-1, -1, 1, 1]
    expected = torch.tensor([[[-1.0, -1.0, 1.0, 1.0]]])
    assert torch.allclose(add_norm(X, Y), expected, atol=1e-4)


def test_addnorm_dropout_only_on_the_sublayer():
    torch.manual_seed(0)
    add_norm = d2l.AddNorm((3, 4), 0.5)        # a tuple norm_shape works
    X, Y = torch.randn(2, 3, 4), torch.randn(2, 3, 4)
    assert add_norm(X, Y).shape == (2, 3, 4)
    add_norm.dropout.p = 1.0                    # the sublayer dropped: X only
    assert torch.allclose(add_norm(X, Y), F.layer_norm(X, (3, 4)), atol=1e-6)
    add_norm.eval()
    assert torch.allclose(add_norm(X, Y), F.layer_norm(X + Y, (3, 4)),
                          atol=1e-6)


def test_addnorm_rejects_bad_input():
    with pytest.raises(ValueError, match='dropout must be a number <= 1, '
                                         'got 1.5'):
        d2l.AddNorm(4, 1.5)
    with pytest.raises(ValueError, match=r'the residual sum needs equal '
                                         r'shapes, got \(2, 3, 4\) and '
                                         r'\(2, 3, 5\)'):
        d2l.AddNorm(4, 0.1)(torch.zeros(2, 3, 4), torch.zeros(2, 3, 5))


# TransformerEncoderBlock --------------------------------------------------

def copy_into_torch_layer(blk, d, h, ffn):
    """nn.TransformerEncoderLayer with the weights of our block."""
    ref = nn.TransformerEncoderLayer(d, h, ffn, dropout=0.0,
                                     batch_first=True, dtype=torch.float64)
    mha = blk.attention
    with torch.no_grad():
        ref.self_attn.in_proj_weight.copy_(torch.cat(
            [mha.W_q.weight, mha.W_k.weight, mha.W_v.weight]))
        ref.self_attn.in_proj_bias.copy_(torch.cat(
            [mha.W_q.bias, mha.W_k.bias, mha.W_v.bias]))
        ref.self_attn.out_proj.weight.copy_(mha.W_o.weight)
        ref.self_attn.out_proj.bias.copy_(mha.W_o.bias)
        for ours, theirs in ((blk.ffn.dense1, ref.linear1),
                             (blk.ffn.dense2, ref.linear2),
                             (blk.addnorm1.ln, ref.norm1),
                             (blk.addnorm2.ln, ref.norm2)):
            theirs.weight.copy_(ours.weight)
            theirs.bias.copy_(ours.bias)
    return ref.eval()


def test_encoder_block_matches_torch_layer():
    torch.manual_seed(0)
    d, h, ffn, B, T = 16, 4, 32, 3, 6
    blk = d2l.TransformerEncoderBlock(d, ffn, h, 0.0, use_bias=True)
    blk = materialize(blk, torch.zeros(1, 2, d), None).eval()
    ref = copy_into_torch_layer(blk, d, h, ffn)
    X = torch.randn(B, T, d, dtype=torch.float64)
    valid_lens = torch.tensor([6, 3, 1])
    pad = torch.arange(T)[None, :] >= valid_lens[:, None]
    with torch.no_grad():
        ours = blk(X, valid_lens)
        theirs = ref(X, src_key_padding_mask=pad)
    assert torch.allclose(ours[~pad], theirs[~pad], atol=1e-10)


def test_encoder_block_shapes_and_padding():
    torch.manual_seed(0)
    blk = d2l.TransformerEncoderBlock(24, 48, 8, 0.5).eval()
    X = torch.randn(2, 10, 24)
    valid_lens = torch.tensor([3, 10])
    Y = blk(X, valid_lens)
    assert Y.shape == (2, 10, 24)
    X2 = X.clone()
    X2[0, 3:] = 7.0                             # only padding changes
    assert torch.allclose(blk(X2, valid_lens)[0, :3], Y[0, :3], atol=1e-6)
    assert blk.attention.W_q.bias is None       # use_bias=False by default
    assert blk.attention.attention.attention_weights.shape == (16, 10, 10)


def test_encoder_block_rejects_bad_sizes():
    with pytest.raises(ValueError, match='num_hiddens must be an integer'):
        d2l.TransformerEncoderBlock(0, 48, 8, 0.5)
    with pytest.raises(ValueError, match='multiple of num_heads'):
        d2l.TransformerEncoderBlock(10, 48, 4, 0.5)


# TransformerEncoder -------------------------------------------------------

def test_encoder_scales_embeddings_and_adds_positions():
    torch.manual_seed(0)
    enc = d2l.TransformerEncoder(20, 8, 16, 2, 2, 0.0).eval()
    tokens = torch.tensor([[3, 1, 4, 1]])
    seen = {}
    enc.blks[0].register_forward_pre_hook(
        lambda module, args: seen.update(X=args[0]))
    enc(tokens, torch.tensor([4]))
    expected = enc.embedding(tokens) * math.sqrt(8) + enc.pos_encoding.P[:, :4]
    assert torch.allclose(seen['X'], expected)


def test_encoder_shapes_and_attention_weights():
    enc = d2l.TransformerEncoder(200, 24, 48, 8, 2, 0.5).eval()
    X = torch.ones((2, 100), dtype=torch.long)
    valid_lens = torch.tensor([3, 2])
    assert enc(X, valid_lens).shape == (2, 100, 24)
    assert isinstance(enc, d2l.Encoder)
    assert len(enc.attention_weights) == 2
    for w in enc.attention_weights:
        assert w.shape == (16, 100, 100)
        assert torch.all(w[:8, :, 3:] == 0) and torch.all(w[8:, :, 2:] == 0)


def test_encoder_rejects_bad_input():
    with pytest.raises(ValueError, match='num_blks must be an integer >= 1, '
                                         'got 0'):
        d2l.TransformerEncoder(10, 8, 16, 2, 0, 0.1)
    with pytest.raises(ValueError, match=r'expected source tokens of shape '
                                         r'\(batch, steps\), got \(5,\)'):
        d2l.TransformerEncoder(10, 8, 16, 2, 1, 0.1)(
            torch.zeros(5, dtype=torch.long), None)


# the notebook's decoder ----------------------------------------------------

def small_decoder(nb, V=30, d=16, blks=2):
    torch.manual_seed(0)
    return nb['TransformerDecoder'](V, d, 32, 4, blks, 0.1)


def test_decoder_stepwise_equals_whole_sentence(nb):
    dec = small_decoder(nb).eval()
    enc_out, enc_lens = torch.randn(2, 5, 16), torch.tensor([5, 2])
    Y = torch.randint(0, 30, (2, 7))
    with torch.no_grad():
        full, _ = dec(Y, dec.init_state(enc_out, enc_lens))
        state = dec.init_state(enc_out, enc_lens)
        steps = torch.cat([dec(Y[:, t:t + 1], state)[0] for t in range(7)], 1)
    assert full.shape == (2, 7, 30)
    assert torch.allclose(full, steps, atol=1e-5)
    assert state[2][0].shape == (2, 7, 16)     # every block cached 7 inputs


def test_decoder_is_causal_in_both_modes(nb):
    dec = small_decoder(nb)
    enc_out, enc_lens = torch.randn(2, 5, 16), torch.tensor([5, 2])
    Y = torch.randint(0, 30, (2, 6))
    Y2 = Y.clone()
    Y2[:, 4:] = (Y2[:, 4:] + 1) % 30           # change the future only
    dec(Y, dec.init_state(enc_out, enc_lens))  # lazy layers take shape
    for mode in (dec.train, dec.eval):
        mode()
        torch.manual_seed(1)
        a, _ = dec(Y, dec.init_state(enc_out, enc_lens))
        torch.manual_seed(1)
        b, _ = dec(Y2, dec.init_state(enc_out, enc_lens))
        assert torch.allclose(a[:, :4], b[:, :4], atol=1e-6)
        assert not torch.allclose(a[:, 4:], b[:, 4:])


def test_decoder_ignores_source_padding_and_reports_weights(nb):
    dec = small_decoder(nb).eval()
    enc_out, enc_lens = torch.randn(2, 5, 16), torch.tensor([5, 2])
    enc_out2 = enc_out.clone()
    enc_out2[1, 2:] = 3.0
    Y = torch.randint(0, 30, (2, 4))
    a, _ = dec(Y, dec.init_state(enc_out, enc_lens))
    self_w, cross_w = dec.attention_weights
    b, _ = dec(Y, dec.init_state(enc_out2, enc_lens))
    assert torch.allclose(a, b, atol=1e-6)
    assert len(self_w) == len(cross_w) == 2
    assert self_w[0].shape == (8, 4, 4) and cross_w[1].shape == (8, 4, 5)
    assert torch.all(self_w[0].triu(1) == 0)   # no weight on later tokens
    assert torch.all(cross_w[0][4:, :, 2:] == 0)


def test_decoder_trains_and_predicts_in_seq2seq(nb):
    torch.manual_seed(0)
    enc = d2l.TransformerEncoder(12, 16, 32, 4, 1, 0.0)
    dec = nb['TransformerDecoder'](11, 16, 32, 4, 1, 0.0)
    model = d2l.Seq2Seq(enc, dec, tgt_pad=0, lr=0.01)
    src = torch.randint(1, 12, (4, 6))
    tgt = torch.randint(1, 11, (4, 5))
    batch = (src, tgt, torch.tensor([6, 5, 3, 1]), tgt)
    opt = model.configure_optimizers()
    losses = []
    for _ in range(30):
        loss = model.loss(model(*batch[:-1]), batch[-1])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    preds, weights = model.predict_step(batch, 'cpu', 5,
                                        save_attention_weights=True)
    assert preds.shape == (4, 5) and len(weights) == 5
    assert weights[4][0][0].shape == (16, 1, 5)  # step 5 sees 5 positions
