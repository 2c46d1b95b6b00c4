"""Tests of Section 7.2: d2l.corr2d."""
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l


def test_value_by_hand():
    X = torch.tensor([[3.0, 1, 0], [2, 5, 1], [0, 2, 4]])
    K = torch.tensor([[2.0, 0], [1, -1]])
    # 3*2+1*0+2*1+5*(-1) = 3, then 6, 2, 8 (the section's worked example)
    assert torch.equal(d2l.corr2d(X, K),
                       torch.tensor([[3.0, 6.0], [2.0, 8.0]]))


@pytest.mark.parametrize('shape, kshape', [((7, 9), (3, 4)), ((5, 5), (5, 5)),
                                           ((4, 6), (1, 1)), ((6, 3), (2, 3))])
def test_matches_torch_conv2d_on_random_inputs(shape, kshape):
    torch.manual_seed(0)
    X = torch.randn(*shape, dtype=torch.float64)
    K = torch.randn(*kshape, dtype=torch.float64)
    ref = F.conv2d(X[None, None], K[None, None])[0, 0]   # PyTorch as oracle
    Y = d2l.corr2d(X, K)
    assert Y.dtype == torch.float64
    assert torch.allclose(Y, ref, atol=1e-12)


def test_shape_is_valid_output_size():
    Y = d2l.corr2d(torch.zeros(6, 8), torch.zeros(2, 3))
    assert Y.shape == (5, 6)


def test_convolution_is_correlation_with_the_flipped_kernel():
    torch.manual_seed(1)
    X, K = torch.randn(5, 6, dtype=torch.float64), torch.randn(
        2, 3, dtype=torch.float64)
    strict = torch.tensor(np.array([[sum(
        X[i + 1 - a, j + 2 - b].item() * K[a, b].item()
        for a in range(2) for b in range(3)) for j in range(4)]
        for i in range(4)]))
    assert torch.allclose(d2l.corr2d(X, K.flip(0, 1)), strict)
    assert not torch.allclose(d2l.corr2d(X, K), strict)


def test_integer_inputs_give_a_float_output():
    Y = d2l.corr2d(torch.tensor([[3, 1, 0], [2, 5, 1], [0, 2, 4]]),
                   torch.tensor([[2, 0], [1, -1]]))
    assert Y.dtype == torch.get_default_dtype()
    assert Y.tolist() == [[3.0, 6.0], [2.0, 8.0]]


def test_array_likes_are_accepted():
    Y = d2l.corr2d(np.ones((3, 3)), [[1.0, -1.0]])
    assert torch.equal(Y, torch.zeros(3, 2, dtype=torch.float64))


def test_gradient_reaches_the_kernel():
    X = torch.randn(4, 4)
    K = torch.randn(2, 2, requires_grad=True)
    d2l.corr2d(X, K).sum().backward()
    # d/dK[a, b] of the sum of outputs = sum of the shifted slice
    expected = torch.stack([torch.stack([X[a:a + 3, b:b + 3].sum()
                                         for b in range(2)])
                            for a in range(2)])
    assert torch.allclose(K.grad, expected)


def test_learning_a_kernel_converges_to_the_generating_kernel():
    torch.manual_seed(0)
    X = torch.zeros(5, 9)
    X[:, 5:7] = 1                      # the section's bright stripe
    K = torch.tensor([[-1.0, 1.0]])
    Y = d2l.corr2d(X, K)
    conv = nn.LazyConv2d(1, kernel_size=(1, 2), bias=False)
    for _ in range(80):
        loss = ((conv(X.reshape(1, 1, 5, 9)) - Y.reshape(1, 1, 5, 8)) ** 2
                ).sum()
        conv.zero_grad()
        loss.backward()
        with torch.no_grad():
            conv.weight -= 2e-2 * conv.weight.grad
    assert torch.allclose(conv.weight.reshape(1, 2), K, atol=1e-4)


def test_learning_with_random_kernel_and_image():
    """Same with a random 3x3 kernel: the learned one equals the truth."""
    torch.manual_seed(2)
    X, K = torch.randn(12, 12), torch.randn(3, 3)
    Y = d2l.corr2d(X, K)
    W = torch.zeros(3, 3, requires_grad=True)
    optimizer = torch.optim.SGD([W], lr=0.4)
    for _ in range(40):
        loss = ((d2l.corr2d(X, W) - Y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert torch.allclose(W.detach(), K, atol=1e-5)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r'must be 2-D, got shapes '
                                         r'\(1, 3, 3\) and \(2, 2\)'):
        d2l.corr2d(torch.zeros(1, 3, 3), torch.zeros(2, 2))
    with pytest.raises(ValueError, match='kernel of size 4x1 does not fit '
                                         'in input of size 3x3'):
        d2l.corr2d(torch.zeros(3, 3), torch.zeros(4, 1))
    with pytest.raises(ValueError, match='kernel of size 0x2'):
        d2l.corr2d(torch.zeros(3, 3), torch.zeros(0, 2))
