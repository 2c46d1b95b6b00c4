"""Tests of Section 11.3: masked_softmax, DotProductAttention and
AdditiveAttention (and their shared input check)."""
import math

import pytest
import torch
from torch.nn import functional as F

from d2l import torch as d2l


# --- masked_softmax ----------------------------------------------------------

def test_masked_softmax_hand_checked_values():
    X = torch.zeros(1, 2, 4)
    X[0, 1, 1] = math.log(3.0)                   # e^s = 3 for one key
    W = d2l.masked_softmax(X, torch.tensor([2]))
    expected = torch.tensor([[[0.5, 0.5, 0, 0], [0.25, 0.75, 0, 0]]])
    torch.testing.assert_close(W, expected)


def test_masked_softmax_without_lengths_is_softmax():
    X = torch.randn(2, 3, 5)
    torch.testing.assert_close(d2l.masked_softmax(X, None),
                               F.softmax(X, dim=-1))


def test_masked_softmax_1d_and_2d_lengths_agree_when_repeated():
    torch.manual_seed(0)
    X = torch.randn(3, 4, 6)
    lens = torch.tensor([1, 6, 3])
    W1 = d2l.masked_softmax(X, lens)
    W2 = d2l.masked_softmax(X, lens[:, None].repeat(1, 4))
    assert W1.shape == (3, 4, 6)
    torch.testing.assert_close(W1, W2)
    for b, n in enumerate(lens.tolist()):
        assert torch.all(W1[b, :, n:] == 0)
        torch.testing.assert_close(W1[b, :, :n], F.softmax(X[b, :, :n], -1))


def test_masked_softmax_2d_lengths_per_query():
    X = torch.zeros(1, 3, 4)
    W = d2l.masked_softmax(X, torch.tensor([[1, 2, 4]]))
    torch.testing.assert_close(W[0], torch.tensor([[1.0, 0, 0, 0],
                                                    [0.5, 0.5, 0, 0],
                                                    [0.25] * 4]))


@pytest.mark.parametrize('lens', [torch.tensor([0, 2]),
                                  torch.tensor([[0, 3], [2, 0]])])
def test_zero_valid_length_gives_zero_weights_not_nan_nor_uniform(lens):
    X = torch.randn(2, 2, 3, requires_grad=True)
    W = d2l.masked_softmax(X, lens)
    assert not torch.isnan(W).any()
    zero_rows = W.sum(-1) == 0
    expected = (lens == 0) if lens.dim() == 2 else (lens == 0)[:, None]
    assert torch.equal(zero_rows, expected.expand(2, 2))
    torch.testing.assert_close(W.sum(-1)[~zero_rows],
                               torch.ones(int((~zero_rows).sum())))
    (W * torch.randn(2, 2, 3)).sum().backward()  # finite gradients
    assert torch.isfinite(X.grad).all()


def test_zero_length_output_matches_sdpa_fully_masked_row():
    q, k, v = torch.randn(1, 2, 3), torch.randn(1, 4, 3), torch.randn(1, 4, 5)
    lens = torch.tensor([[2, 0]])
    ours = d2l.DotProductAttention(0).eval()(q, k, v, lens)
    keep = torch.arange(4) < lens[..., None]
    torch.testing.assert_close(ours, F.scaled_dot_product_attention(
        q, k, v, attn_mask=keep))
    assert torch.equal(ours[0, 1], torch.zeros(5))


def test_masked_softmax_lengths_beyond_keys_keep_all_and_floats_work():
    X = torch.randn(2, 2, 3)
    full = F.softmax(X, dim=-1)
    torch.testing.assert_close(d2l.masked_softmax(X, torch.tensor([3, 9])),
                               full)
    torch.testing.assert_close(                 # BERT-style float lengths
        d2l.masked_softmax(X, torch.tensor([3.0, 3.0])), full)
    torch.testing.assert_close(d2l.masked_softmax(X, [3, 3]), full)


def test_masked_softmax_does_not_modify_its_input():
    X = torch.randn(2, 2, 3)
    before = X.clone()
    d2l.masked_softmax(X, torch.tensor([1, 2]))
    assert torch.equal(X, before)


def test_masked_softmax_far_negative_scores_and_half_precision():
    X = torch.full((1, 1, 3), -1e30)
    W = d2l.masked_softmax(X, torch.tensor([2]))
    torch.testing.assert_close(W, torch.tensor([[[0.5, 0.5, 0.0]]]))
    Xh = torch.randn(1, 2, 3).half()
    Wh = d2l.masked_softmax(Xh, torch.tensor([0]))
    assert Wh.dtype == torch.float16 and torch.equal(Wh, torch.zeros_like(Wh))


def test_masked_softmax_bad_inputs():
    X = torch.randn(2, 3, 4)
    with pytest.raises(ValueError, match=r'shape \(2,\) or \(2, 3\), got '
                                         r'\(3,\)'):
        d2l.masked_softmax(X, torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match=r'got \(2, 4\)'):
        d2l.masked_softmax(X, torch.ones(2, 4))
    with pytest.raises(ValueError, match=r'valid_lens must be >= 0, got -1'):
        d2l.masked_softmax(X, torch.tensor([2, -1]))
    with pytest.raises(TypeError, match='valid_lens must hold numbers'):
        d2l.masked_softmax(X, torch.tensor([True, False]))
    with pytest.raises(ValueError, match=r'3-D float tensor .* \(3, 4\)'):
        d2l.masked_softmax(torch.randn(3, 4), torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match='3-D float tensor'):
        d2l.masked_softmax(torch.ones(2, 3, 4, dtype=torch.long),
                           torch.tensor([1, 2]))


# --- DotProductAttention -----------------------------------------------------

def test_dot_product_attention_hand_checked_value():
    attention = d2l.DotProductAttention(dropout=0)
    q = torch.tensor([[[1.0, 1.0]]])                      # d = 2
    k = torch.tensor([[[1.0, 1.0], [0.0, 0.0], [5.0, 5.0]]])
    v = torch.tensor([[[1.0], [0.0], [100.0]]])
    out = attention(q, k, v, torch.tensor([2]))           # third key hidden
    a = math.exp(2 / math.sqrt(2))                         # score of key 1
    torch.testing.assert_close(out, torch.tensor([[[a / (a + 1)]]]))
    torch.testing.assert_close(attention.attention_weights,
                               torch.tensor([[[a / (a + 1), 1 / (a + 1),
                                               0.0]]]))


@pytest.mark.parametrize('lens', [None, torch.tensor([3, 7]),
                                  torch.tensor([[1, 7, 4], [0, 2, 5]])])
def test_dot_product_attention_matches_sdpa(lens):
    torch.manual_seed(0)
    q = torch.randn(2, 3, 5, dtype=torch.float64)
    k = torch.randn(2, 7, 5, dtype=torch.float64)
    v = torch.randn(2, 7, 4, dtype=torch.float64)
    attention = d2l.DotProductAttention(dropout=0.5).eval()
    ours = attention(q, k, v, lens)
    mask = None
    if lens is not None:
        mask = torch.arange(7) < (lens[:, None, None] if lens.dim() == 1
                                  else lens[..., None])
    ref = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert ours.shape == (2, 3, 4)
    torch.testing.assert_close(ours, ref, atol=1e-5, rtol=1e-5)


def test_dot_product_attention_float32_matches_sdpa_to_1e5():
    torch.manual_seed(1)
    q, k, v = torch.randn(4, 6, 16), torch.randn(4, 9, 16), torch.randn(4, 9, 8)
    lens = torch.tensor([9, 1, 5, 3])
    ours = d2l.DotProductAttention(0.1).eval()(q, k, v, lens)
    ref = F.scaled_dot_product_attention(
        q, k, v, attn_mask=torch.arange(9) < lens[:, None, None])
    assert (ours - ref).abs().max() < 1e-5


def test_dot_product_attention_dropout_only_in_training():
    torch.manual_seed(0)
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.ones(2, 5, 6)
    attention = d2l.DotProductAttention(dropout=0.5)
    out = attention(q, k, v)                   # training: weights dropped
    assert not torch.allclose(out, torch.ones(2, 3, 6))
    attention.eval()
    torch.testing.assert_close(attention(q, k, v), torch.ones(2, 3, 6))
    torch.testing.assert_close(attention.attention_weights.sum(-1),
                               torch.ones(2, 3))


def test_dot_product_attention_bad_inputs():
    with pytest.raises(ValueError, match=r'dropout must be a number <= 1'):
        d2l.DotProductAttention(1.5)
    with pytest.raises(TypeError, match='dropout must be a real number'):
        d2l.DotProductAttention('0.1')
    attention = d2l.DotProductAttention(0)
    q, k, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.randn(2, 5, 6)
    with pytest.raises(ValueError, match=r'same width, got 4 and 3'):
        attention(q, torch.randn(2, 5, 3), torch.randn(2, 5, 6))
    with pytest.raises(ValueError, match=r'queries must be 3-D .* \(3, 4\)'):
        attention(q[0], k, v)
    with pytest.raises(ValueError, match=r'one value per key, got 5 keys '
                                         r'and 4 values'):
        attention(q, k, v[:, :4])
    with pytest.raises(ValueError, match=r'batch sizes differ: queries 2, '
                                         r'keys 1'):
        attention(q, k[:1], v)


# --- AdditiveAttention -------------------------------------------------------

def test_additive_attention_formula_by_hand():
    torch.manual_seed(0)
    attention = d2l.AdditiveAttention(num_hiddens=3, dropout=0).eval()
    q, k = torch.randn(1, 2, 4), torch.randn(1, 5, 6)
    v = torch.randn(1, 5, 2)
    out = attention(q, k, v, torch.tensor([[5, 3]]))
    Wq, Wk = attention.W_q.weight, attention.W_k.weight   # (3, 4), (3, 6)
    wv = attention.w_v.weight[0]                          # (3,)
    scores = torch.stack([torch.stack([wv @ torch.tanh(Wq @ q[0, i] +
                                                        Wk @ k[0, j])
                                       for j in range(5)]) for i in range(2)])
    W = F.softmax(scores, -1)
    W[1] = torch.cat([F.softmax(scores[1, :3], -1), torch.zeros(2)])
    torch.testing.assert_close(attention.attention_weights[0], W)
    torch.testing.assert_close(out[0], W @ v[0])


def test_additive_attention_shapes_mismatched_widths_and_zero_length():
    attention = d2l.AdditiveAttention(8, 0.1).eval()
    q, k, v = torch.randn(2, 1, 20), torch.randn(2, 10, 2), torch.randn(2, 10, 4)
    out = attention(q, k, v, torch.tensor([2, 0]))
    assert out.shape == (2, 1, 4)
    assert attention.attention_weights.shape == (2, 1, 10)
    assert torch.equal(out[1], torch.zeros(1, 4))
    assert sum(p.numel() for p in attention.parameters()) == 8 * (20 + 2 + 1)


def test_additive_attention_bad_inputs():
    with pytest.raises(ValueError, match=r'num_hiddens must be an integer '
                                         r'>= 1, got 0'):
        d2l.AdditiveAttention(0, 0.1)
    with pytest.raises(TypeError, match='num_hiddens must be an integer'):
        d2l.AdditiveAttention(2.5, 0.1)
    with pytest.raises(ValueError, match='dropout must be a number >= 0'):
        d2l.AdditiveAttention(4, -0.1)
    attention = d2l.AdditiveAttention(4, 0)
    with pytest.raises(ValueError, match='values must be 3-D'):
        attention(torch.randn(2, 1, 3), torch.randn(2, 5, 3),
                  torch.randn(5, 2), None)


# --- on a GPU ----------------------------------------------------------------

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(),
                                reason='needs a CUDA GPU')


@needs_cuda
def test_on_gpu_with_cpu_lengths_matches_sdpa_and_cpu():
    torch.manual_seed(0)
    q, k, v = torch.randn(3, 5, 8), torch.randn(3, 9, 8), torch.randn(3, 9, 4)
    lens = torch.tensor([[9, 0, 4, 1, 2], [3, 3, 3, 3, 3], [0, 9, 9, 9, 9]])
    attention = d2l.DotProductAttention(0.2).eval()
    cpu = attention(q, k, v, lens)
    gpu = attention(q.cuda(), k.cuda(), v.cuda(), lens)  # lengths on the CPU
    assert gpu.device.type == 'cuda'
    keep = (torch.arange(9) < lens[..., None]).cuda()
    fused = F.scaled_dot_product_attention(q.cuda(), k.cuda(), v.cuda(),
                                           attn_mask=keep)
    some = (lens > 0).cuda()          # GPU kernels differ on empty rows
    assert (gpu - fused)[some].abs().max() < 1e-5
    assert torch.equal(gpu[~some].cpu(), torch.zeros(2, 4))
    torch.testing.assert_close(gpu.cpu(), cpu, atol=1e-5, rtol=1e-5)
    additive = d2l.AdditiveAttention(6, 0).cuda().eval()
    out = additive(torch.randn(3, 5, 7).cuda(), k.cuda(), v.cuda(), lens)
    assert out.shape == (3, 5, 4) and torch.equal(out[0, 1].cpu(),
                                                  torch.zeros(4))
