"""Tests of Section 11.8 (vision-transformer): `to_patches`, `PatchEmbedding`,
`ViTMLP`, `ViTBlock` and `ViT`.

They are notebook-local, so the tests execute the notebook's own cells that
define them (found by their first line). F.unfold is the oracle for the
patches; a linear map of the hand-cut patches is the oracle for the
convolutional patch embedding.
"""
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('def to_patches(', 'class PatchEmbedding(', 'class ViTMLP(',
           'class ViTBlock(', 'class ViT(', '@d2l.add_to_class(ViT)')

NB = notebook_code('attention-mechanisms-and-transformers/vision-transformer.md',
                   DEFINES)
to_patches, PatchEmbedding = NB['to_patches'], NB['PatchEmbedding']
ViTMLP, ViTBlock, ViT = NB['ViTMLP'], NB['ViTBlock'], NB['ViT']


def _vit(img_size=28, patch_size=7, d=16, d_mlp=32, heads=4, blks=2):
    """A small ViT with its lazy parameters created, in eval mode."""
    torch.manual_seed(0)
    vit = ViT(img_size, patch_size, d, d_mlp, heads, blks, emb_dropout=0.1,
              blk_dropout=0.1)
    vit(torch.zeros(1, 1, img_size, img_size))
    return vit.eval()


def test_to_patches_matches_unfold():
    X = torch.randn(2, 3, 8, 12, dtype=torch.float64)
    ref = F.unfold(X, kernel_size=4, stride=4).transpose(1, 2)
    assert torch.equal(to_patches(X, 4), ref)


def test_to_patches_reading_order():
    X = torch.arange(16.0).reshape(1, 1, 4, 4)
    assert to_patches(X, 2).tolist() == [[[0, 1, 4, 5], [2, 3, 6, 7],
                                          [8, 9, 12, 13], [10, 11, 14, 15]]]


def test_to_patches_names_the_bad_size():
    with pytest.raises(ValueError, match='10x8 is not a multiple of patch '
                                         'size 4'):
        to_patches(torch.zeros(1, 3, 10, 8), 4)


@pytest.mark.parametrize('size,p,C,d,N', [(96, 16, 3, 512, 36),
                                          (28, 7, 1, 6, 16),
                                          (8, 8, 2, 5, 1)])
def test_patch_embedding_shape(size, p, C, d, N):
    emb = PatchEmbedding(img_size=size, patch_size=p, num_hiddens=d)
    assert emb.num_patches == N
    assert emb(torch.zeros(4, C, size, size)).shape == (4, N, d)


def test_patch_embedding_is_a_linear_map_of_the_patches():
    torch.manual_seed(0)
    emb = PatchEmbedding(img_size=12, patch_size=4, num_hiddens=5).double()
    X = torch.randn(3, 2, 12, 12, dtype=torch.float64)
    tokens = emb(X)                                   # (3, 9, 5)
    E = emb.conv.weight.reshape(5, -1)                # (d, C*p*p)
    assert torch.allclose(tokens, to_patches(X, 4) @ E.T + emb.conv.bias)


def test_patch_embedding_refuses_a_patch_that_does_not_tile():
    with pytest.raises(ValueError, match='img_size 30 is not a multiple of '
                                         'patch_size 7'):
        PatchEmbedding(img_size=30, patch_size=7)


def test_patch_embedding_refuses_images_of_another_size():
    emb = PatchEmbedding(img_size=28, patch_size=7, num_hiddens=4)
    with pytest.raises(ValueError, match='expected 28x28 images, got 32x32'):
        emb(torch.zeros(1, 1, 32, 32))


def test_patch_embedding_refuses_a_non_integer_size():
    with pytest.raises(TypeError, match='img_size'):
        PatchEmbedding(img_size=28.0, patch_size=7)
    with pytest.raises(ValueError, match='patch_size'):
        PatchEmbedding(img_size=28, patch_size=0)


def test_vit_mlp_shape_and_values():
    torch.manual_seed(0)
    mlp = ViTMLP(mlp_num_hiddens=8, mlp_num_outputs=3, dropout=0.5).eval()
    X = torch.randn(2, 5, 4)
    Y = mlp(X)
    first, _, _, second, _ = mlp.net
    expected = second(F.gelu(first(X)))               # dropout off in eval
    assert Y.shape == (2, 5, 3) and torch.allclose(Y, expected)


def test_gelu_is_x_times_the_normal_cdf():
    x = torch.linspace(-4, 4, 33, dtype=torch.float64)
    cdf = torch.distributions.Normal(0.0, 1.0).cdf(x)
    assert torch.allclose(nn.GELU()(x), x * cdf)


def test_vit_block_keeps_the_shape():
    blk = ViTBlock(num_hiddens=48, norm_shape=48, mlp_num_hiddens=96,
                   num_heads=6, dropout=0.5).eval()
    assert blk(torch.randn(3, 17, 48)).shape == (3, 17, 48)


def test_vit_block_with_silent_sublayers_is_the_identity():
    """Pre-normalization: with zero attention and zero MLP output the
    residual path returns the tokens unchanged (post-norm would not)."""
    torch.manual_seed(0)
    blk = ViTBlock(8, 8, 16, 2, dropout=0.0)
    X = 3 + 5 * torch.randn(2, 4, 8)
    blk(X)                                            # create lazy weights
    with torch.no_grad():
        for p in blk.attention.parameters():
            p.zero_()
        last = blk.mlp.net[3]
        last.weight.zero_()
        last.bias.zero_()
    assert torch.allclose(blk(X), X)


def test_vit_block_residual_adds_the_sublayers():
    torch.manual_seed(0)
    blk = ViTBlock(8, 8, 16, 2, dropout=0.0).eval()
    X = torch.randn(2, 4, 8)
    Y = blk(X)
    H = X + blk.attention(blk.attn_norm(X), blk.attn_norm(X), blk.attn_norm(X), None)
    assert torch.allclose(Y, H + blk.mlp(blk.mlp_norm(H)), atol=1e-6)


@pytest.mark.parametrize('size,p,T', [(28, 7, 17), (96, 16, 37),
                                      (32, 8, 17)])
def test_vit_output_shape(size, p, T):
    vit = _vit(img_size=size, patch_size=p)
    assert vit.pos_embedding.shape == (1, T, 16)
    assert vit(torch.randn(3, 1, size, size)).shape == (3, 10)


def test_vit_parameter_count():
    """Patch conv, <cls>, positions, 2 blocks (4 d^2 attention weights
    without biases, MLP, 2 layer norms), head."""
    d, m, c, p, T, k = 16, 32, 1, 7, 17, 10
    vit = _vit(d=d, d_mlp=m)
    block = 4 * d * d + (d * m + m + m * d + d) + 2 * 2 * d
    expected = (d * c * p * p + d) + d + T * d + 2 * block + 2 * d + d * k + k
    assert sum(q.numel() for q in vit.parameters()) == expected


def test_vit_classifies_each_image_on_its_own():
    vit = _vit()
    X = torch.randn(4, 1, 28, 28)
    assert torch.allclose(vit(X)[1:2], vit(X[1:2]), atol=1e-5)


def test_vit_output_depends_on_the_cls_token():
    vit = _vit()
    X = torch.randn(2, 1, 28, 28)
    before = vit(X)
    with torch.no_grad():   # not a constant: layer norm would remove it
        vit.cls_token.add_(torch.randn(vit.cls_token.shape))
    assert not torch.allclose(before, vit(X))


def test_vit_gradient_reaches_cls_token_and_positions():
    vit = _vit().train()
    X, y = torch.randn(4, 1, 28, 28), torch.tensor([0, 1, 2, 3])
    vit.loss(vit(X), y).backward()
    assert vit.cls_token.grad.abs().sum() > 0
    assert vit.pos_embedding.grad.abs().sum() > 0


def test_vit_refuses_images_of_another_size():
    vit = _vit()
    with pytest.raises(ValueError, match='expected 28x28 images, got 96x96'):
        vit(torch.zeros(1, 1, 96, 96))


def test_vit_refuses_a_patch_that_does_not_tile():
    with pytest.raises(ValueError, match='not a multiple of patch_size 16'):
        ViT(28, 16, 16, 32, 4, 1, 0.1, 0.1)
