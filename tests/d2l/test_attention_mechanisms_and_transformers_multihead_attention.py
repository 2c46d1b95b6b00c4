"""Tests of Section 11.5: MultiHeadAttention with transpose_qkv and
transpose_output, checked against nn.MultiheadAttention."""
import math

import pytest
import torch
from torch import nn

from d2l import torch as d2l


def built(num_hiddens=12, num_heads=3, width=None, dtype=torch.float64):
    """A MultiHeadAttention in eval mode whose lazy weights exist."""
    torch.manual_seed(0)
    mha = d2l.MultiHeadAttention(num_hiddens, num_heads, dropout=0.0)
    Z = torch.zeros(1, 1, width or num_hiddens, dtype=dtype)
    mha.to(dtype)(Z, Z, Z, None)
    return mha.to(dtype).eval()


def test_transpose_qkv_moves_head_slices_into_the_batch():
    mha = d2l.MultiHeadAttention(6, 3, dropout=0.0)
    X = torch.arange(2 * 1 * 6.).reshape(2, 1, 6)     # (B=2, n=1, d=6)
    Y = mha.transpose_qkv(X)
    assert Y.shape == (6, 1, 2)
    # row b*h + i holds features 2i, 2i+1 of example b
    assert Y[:, 0].tolist() == [[0, 1], [2, 3], [4, 5],
                                [6, 7], [8, 9], [10, 11]]


def test_transpose_output_inverts_transpose_qkv():
    mha = d2l.MultiHeadAttention(20, 4, dropout=0.0)
    X = torch.randn(3, 7, 20)
    assert torch.equal(mha.transpose_output(mha.transpose_qkv(X)), X)
    H = torch.randn(12, 7, 5)
    assert torch.equal(mha.transpose_qkv(mha.transpose_output(H)), H)


def test_transpose_helpers_reject_bad_shapes():
    mha = d2l.MultiHeadAttention(8, 4, dropout=0.0)
    with pytest.raises(ValueError, match='features a multiple of 4, got '
                                         r'\(2, 3, 6\)'):
        mha.transpose_qkv(torch.zeros(2, 3, 6))
    with pytest.raises(ValueError, match=r'got \(2, 8\)'):
        mha.transpose_qkv(torch.zeros(2, 8))
    with pytest.raises(ValueError, match=r'expected \(batch \* 4, steps, '
                                         r'features\), got \(6, 3, 2\)'):
        mha.transpose_output(torch.zeros(6, 3, 2))


def test_shapes_with_different_input_widths_and_2d_valid_lens():
    mha = d2l.MultiHeadAttention(16, 4, dropout=0.5).eval()
    queries, kv = torch.randn(2, 3, 10), torch.randn(2, 5, 7)
    out = mha(queries, kv, kv, torch.tensor([[1, 2, 3], [5, 4, 0]]))
    assert out.shape == (2, 3, 16)
    w = mha.attention.attention_weights
    assert w.shape == (8, 3, 5)
    w = w.unflatten(0, (2, 4))                     # (B, h, n, m)
    assert (w[0, :, 0, 1:] == 0).all() and (w[1, :, 2] == 0).all()
    assert torch.allclose(w[1, :, 1].sum(-1), torch.ones(4))


def test_matches_heads_computed_one_at_a_time():
    mha = built(12, 3)
    q, kv = torch.randn(2, 4, 12, dtype=torch.float64), torch.randn(
        2, 6, 12, dtype=torch.float64)
    lens = torch.tensor([6, 2])
    heads = []
    for i in range(3):
        r = slice(4 * i, 4 * i + 4)
        Q, K, V = (x @ W.weight[r].T for x, W in
                   ((q, mha.W_q), (kv, mha.W_k), (kv, mha.W_v)))
        s = Q @ K.transpose(1, 2) / math.sqrt(4)     # per-head width: 4
        s[1, :, 2:] = -math.inf
        heads.append(torch.softmax(s, -1) @ V)
    expected = torch.cat(heads, -1) @ mha.W_o.weight.T
    with torch.no_grad():
        assert torch.allclose(mha(q, kv, kv, lens), expected, atol=1e-12)


@pytest.mark.parametrize('bias', [False, True])
def test_matches_nn_multiheadattention_with_copied_weights(bias):
    torch.manual_seed(0)
    d, h, B, n, m = 24, 4, 3, 5, 7
    ours = d2l.MultiHeadAttention(d, h, dropout=0.0, bias=bias)
    theirs = nn.MultiheadAttention(d, h, bias=bias, batch_first=True)
    X, Y = torch.randn(B, n, d), torch.randn(B, m, d)
    lens = torch.tensor([7, 3, 1])
    ours(X, Y, Y, lens)
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat(
            [ours.W_q.weight, ours.W_k.weight, ours.W_v.weight]))
        theirs.out_proj.weight.copy_(ours.W_o.weight)
        if bias:
            theirs.in_proj_bias.copy_(torch.cat(
                [ours.W_q.bias, ours.W_k.bias, ours.W_v.bias]))
            theirs.out_proj.bias.copy_(ours.W_o.bias)
    ours.eval(), theirs.eval()
    with torch.no_grad():
        out = ours(X, Y, Y, lens)
        ref, ref_w = theirs(X, Y, Y,
                            key_padding_mask=torch.arange(m) >= lens[:, None])
    assert (out - ref).abs().max() < 1e-5
    w = ours.attention.attention_weights.unflatten(0, (B, h)).mean(1)
    assert (w - ref_w).abs().max() < 1e-5


def test_2d_valid_lens_match_nn_multiheadattention_attn_mask():
    torch.manual_seed(1)
    d, h, B, n, m = 8, 2, 2, 3, 4
    ours = d2l.MultiHeadAttention(d, h, dropout=0.0).eval()
    theirs = nn.MultiheadAttention(d, h, bias=False, batch_first=True).eval()
    X, Y = torch.randn(B, n, d), torch.randn(B, m, d)
    lens = torch.tensor([[1, 2, 4], [3, 3, 2]])
    ours(X, Y, Y, lens)
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat(
            [ours.W_q.weight, ours.W_k.weight, ours.W_v.weight]))
        theirs.out_proj.weight.copy_(ours.W_o.weight)
        mask = torch.arange(m) >= lens[..., None]          # (B, n, m)
        mask = mask.repeat_interleave(h, dim=0)            # (B*h, n, m)
        ref, _ = theirs(X, Y, Y, attn_mask=mask)
        assert (ours(X, Y, Y, lens) - ref).abs().max() < 1e-5


def test_parameter_count_does_not_depend_on_heads():
    for h in (1, 2, 5, 10):
        mha = built(20, h)
        assert sum(p.numel() for p in mha.parameters()) == 4 * 20 * 20


def test_dropout_acts_only_in_training():
    mha = built(8, 2, dtype=torch.float32)
    mha.attention.dropout.p = 0.9
    X = torch.randn(2, 5, 8)
    mha.eval()
    assert torch.equal(mha(X, X, X, None), mha(X, X, X, None))
    mha.train()
    torch.manual_seed(0)
    assert not torch.allclose(mha(X, X, X, None), mha.eval()(X, X, X, None))


def test_constructor_checks_and_kwargs_go_to_module():
    with pytest.raises(ValueError, match=r'num_hiddens \(10\) must be a '
                                         r'multiple of num_heads \(4\)'):
        d2l.MultiHeadAttention(10, 4, 0.1)
    with pytest.raises(ValueError, match='num_heads must be an integer >= 1'):
        d2l.MultiHeadAttention(10, 0, 0.1)
    with pytest.raises(TypeError, match='num_hiddens must be an integer'):
        d2l.MultiHeadAttention(10.0, 2, 0.1)
    with pytest.raises(ValueError, match='dropout must be a number <= 1'):
        d2l.MultiHeadAttention(10, 2, 1.5)
    mha = d2l.MultiHeadAttention(8, 2, 0.0, plot_train_per_epoch=4)
    assert mha.plot_train_per_epoch == 4 and isinstance(mha, d2l.Module)
    with pytest.raises(TypeError):
        d2l.MultiHeadAttention(8, 2, 0.0, no_such_option=1)


def test_forward_rejects_bad_inputs():
    mha = d2l.MultiHeadAttention(8, 2, dropout=0.0)
    X = torch.randn(2, 3, 8)
    with pytest.raises(ValueError, match='queries must be 3-D'):
        mha(torch.randn(3, 8), X, X, None)
    with pytest.raises(ValueError, match='one value per key'):
        mha(X, X, torch.randn(2, 4, 8), None)
    with pytest.raises(ValueError, match=r'valid_lens needs one entry per '
                                         r'example \(2\), got shape \(3,\)'):
        mha(X, X, X, torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match=r'got shape \(\)'):
        mha(X, X, X, torch.tensor(2))


def test_valid_length_zero_gives_zeros_not_nan():
    mha = d2l.MultiHeadAttention(8, 2, dropout=0.0)
    X, Y = torch.randn(2, 3, 8), torch.randn(2, 4, 8)
    out = mha(X, Y, Y, torch.tensor([4, 0]))
    assert not out.isnan().any()
    assert torch.equal(out[1], torch.zeros(3, 8))
    assert (mha.attention.attention_weights[2:] == 0).all()


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA GPU')
def test_on_gpu_matches_cpu():
    mha = built(16, 4, dtype=torch.float32)
    X, Y = torch.randn(2, 3, 16), torch.randn(2, 5, 16)
    lens = torch.tensor([5, 2])
    with torch.no_grad():
        cpu = mha(X, Y, Y, lens)
        gpu = mha.to('cuda')(X.cuda(), Y.cuda(), Y.cuda(), lens.cuda())
    assert torch.allclose(gpu.cpu(), cpu, atol=1e-5)
