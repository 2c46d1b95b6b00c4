"""Tests of Section 14.10 (transposed-conv): the notebook's from-scratch
transposed convolution against nn.ConvTranspose2d / F.conv_transpose2d,
the output-shape formula with padding, stride and output_padding, the
matrix view (transposed convolution == multiplication by the transpose of
the convolution matrix, and == the convolution's backward pass), and the
section's figures.

The section saves no code: the definitions are executed from the
notebook's own cells, found by their first line.
"""
import importlib.util
import pathlib

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l
from notebook_cells import notebook_code

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECTION = ROOT / 'chapters' / 'computer-vision' / 'transposed-conv.md'
FIGURES = SECTION.parent / 'img' / 'transposed_conv_figures.py'
DEFINES = ('def trans_conv(', 'def trans_conv_sp(', 'def tconv_out_size(',
           'def conv_matrix(')


NB = notebook_code('computer-vision/transposed-conv.md', DEFINES, F=F)
X_EX = torch.tensor([[2.0, -1.0], [1.0, 3.0]])
K_EX = torch.tensor([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.0]])


def rand(*shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=torch.float64)


def torch_tconv(X, K, s=1, p=0):
    return F.conv_transpose2d(X[None, None], K[None, None], stride=s,
                              padding=p)[0, 0]


# --- scatter-add against PyTorch ---------------------------------------------

def test_worked_examples():
    assert NB['trans_conv'](X_EX, K_EX).tolist() == [
        [2, -1, 4, -2], [-1, 6, 1, 6], [-1, -2, 3, 0]]
    assert NB['trans_conv_sp'](X_EX, K_EX, s=2).tolist() == [
        [2, 0, 3, 0, -2], [-2, 2, 1, -1, 0], [1, 0, 5, 0, 6],
        [-1, 1, -3, 3, 0]]
    assert NB['trans_conv_sp'](X_EX, K_EX, p=1).tolist() == [[6, 1]]


@pytest.mark.parametrize('seed', range(40))
def test_trans_conv_matches_conv_transpose2d(seed):
    g = torch.Generator().manual_seed(seed)
    n_h, n_w, k_h, k_w = [int(v) for v in torch.randint(1, 6, (4,),
                                                          generator=g)]
    X, K = rand(n_h, n_w, seed=seed), rand(k_h, k_w, seed=seed + 100)
    Y = NB['trans_conv'](X, K)
    assert Y.dtype == torch.float64
    assert torch.allclose(Y, torch_tconv(X, K))


@pytest.mark.parametrize('seed', range(60))
def test_trans_conv_sp_matches_with_stride_and_padding(seed):
    g = torch.Generator().manual_seed(seed)
    n_h, n_w, k_h, k_w, s = [int(v) for v in torch.randint(1, 5, (5,),
                                                             generator=g)]
    p = int(torch.randint(0, min(k_h, k_w), (), generator=g))
    if min(NB['tconv_out_size'](n_h, k_h, s, p),
           NB['tconv_out_size'](n_w, k_w, s, p)) < 1:
        return                          # empty output: nothing to test
    X, K = rand(n_h, n_w, seed=seed), rand(k_h, k_w, seed=seed + 100)
    assert torch.allclose(NB['trans_conv_sp'](X, K, s=s, p=p),
                          torch_tconv(X, K, s, p))


def test_multichannel_sum_over_input_channels():
    tconv = nn.ConvTranspose2d(3, 2, (2, 3), stride=2, bias=False).double()
    X = rand(3, 4, 5, seed=7)
    W = tconv.weight.detach()                          # (c_i, c_o, kh, kw)
    Y = torch.stack([sum(NB['trans_conv_sp'](X[c], W[c, o], s=2)
                         for c in range(3)) for o in range(2)])
    assert W.shape == (3, 2, 2, 3)
    assert torch.allclose(Y, tconv(X[None])[0])


# --- shapes ----------------------------------------------------------------

@pytest.mark.parametrize('seed', range(50))
def test_shape_formula_with_output_padding(seed):
    g = torch.Generator().manual_seed(seed)
    n, k, s = [int(v) for v in torch.randint(1, 7, (3,), generator=g)]
    p = int(torch.randint(0, k, (), generator=g))
    o = int(torch.randint(0, s, (), generator=g))
    expected = NB['tconv_out_size'](n, k, s, p, o)
    layer = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p,
                               output_padding=o)
    if expected < 1:      # no output pixels: PyTorch raises or returns 0
        return                          # empty output: nothing to test
    assert layer(torch.zeros(1, 1, n, n)).shape[-1] == expected


def test_output_padding_must_be_below_the_stride():
    layer = nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=2)
    with pytest.raises((RuntimeError, ValueError)):
        layer(torch.zeros(1, 1, 4, 4))


@pytest.mark.parametrize('n, k, s, p', [(16, 4, 2, 1), (15, 4, 2, 1),
                                        (16, 5, 3, 2), (17, 5, 3, 2),
                                        (9, 3, 1, 1), (10, 7, 4, 3)])
def test_output_padding_restores_the_conv_input_shape(n, k, s, p):
    m = (n + 2 * p - k) // s + 1                      # conv output size
    o = (n + 2 * p - k) % s                           # what the floor lost
    assert NB['tconv_out_size'](m, k, s, p, o) == n
    conv = nn.Conv2d(2, 3, k, stride=s, padding=p)
    tconv = nn.ConvTranspose2d(3, 2, k, stride=s, padding=p,
                               output_padding=o)
    X = torch.zeros(1, 2, n, n)
    assert tconv(conv(X)).shape == X.shape


@pytest.mark.parametrize('s', [2, 4, 8, 32])
def test_kernel_2s_padding_half_s_upsamples_by_s(s):
    assert NB['tconv_out_size'](7, 2 * s, s, s // 2) == 7 * s


# --- the matrix view -------------------------------------------------------

@pytest.mark.parametrize('n_h, n_w, k_h, k_w', [(3, 4, 2, 3), (3, 3, 2, 2),
                                                (5, 4, 3, 1), (4, 6, 4, 2)])
def test_conv_matrix_is_the_jacobian_of_corr2d(n_h, n_w, k_h, k_w):
    K = rand(k_h, k_w, seed=1)
    X = rand(n_h, n_w, seed=2)
    W = NB['conv_matrix'](K, n_h, n_w)
    jac = torch.autograd.functional.jacobian(
        lambda x: d2l.corr2d(x.reshape(n_h, n_w), K).reshape(-1),
        X.reshape(-1))
    assert torch.allclose(W, jac)
    assert torch.allclose(W @ X.reshape(-1), d2l.corr2d(X, K).reshape(-1))


@pytest.mark.parametrize('n_h, n_w, k_h, k_w', [(3, 4, 2, 3), (5, 5, 3, 3),
                                                (4, 7, 2, 5)])
def test_transpose_of_conv_matrix_is_the_transposed_conv(n_h, n_w, k_h, k_w):
    K = rand(k_h, k_w, seed=3)
    W = NB['conv_matrix'](K, n_h, n_w)
    Y = rand(n_h - k_h + 1, n_w - k_w + 1, seed=4)
    assert torch.allclose((W.T @ Y.reshape(-1)).reshape(n_h, n_w),
                          NB['trans_conv'](Y, K))


def test_backward_of_conv_is_transposed_conv_and_vice_versa():
    K = rand(2, 3, seed=5)
    X = rand(4, 6, seed=6).requires_grad_()
    G = rand(3, 4, seed=7)
    (grad_X,) = torch.autograd.grad(d2l.corr2d(X, K), X, G)
    assert torch.allclose(grad_X, NB['trans_conv'](G, K))
    Y = rand(3, 4, seed=8).requires_grad_()
    H = rand(4, 6, seed=9)
    (grad_Y,) = torch.autograd.grad(NB['trans_conv'](Y, K), Y, H)
    assert torch.allclose(grad_Y, d2l.corr2d(H, K))


def test_transposed_conv_is_not_the_inverse():
    """The section's claim: Z has X's shape but other values."""
    X = torch.arange(1.0, 13.0).reshape(3, 4)
    W = NB['conv_matrix'](K_EX, 3, 4)
    Z = NB['trans_conv'](d2l.corr2d(X, K_EX), K_EX)
    assert Z.shape == X.shape and not torch.allclose(Z, X)
    assert torch.linalg.matrix_rank(W.T @ W) == 4


# --- the figures show the section's numbers ---------------------------------

def test_figure_values_are_the_notebooks():
    spec = importlib.util.spec_from_file_location('tconv_figs', FIGURES)
    figs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figs)
    X, K = torch.tensor(figs.X, dtype=torch.float32), torch.tensor(
        figs.K, dtype=torch.float32)
    assert torch.equal(X, X_EX) and torch.equal(K, K_EX)
    for s in (1, 2):
        copies, total = figs.scatter(s)
        assert torch.equal(torch.tensor(total, dtype=torch.float32),
                           NB['trans_conv_sp'](X, K, s=s))
        assert len(copies) == X.numel()
