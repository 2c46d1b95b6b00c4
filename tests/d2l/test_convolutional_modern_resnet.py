"""Tests of Section 8.6: d2l.Residual and d2l.ResNeXtBlock."""
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def bn_eval(bn, X):
    """Batch norm in evaluation mode, written out."""
    shape = (1, -1, 1, 1)
    return ((X - bn.running_mean.reshape(shape))
            / torch.sqrt(bn.running_var.reshape(shape) + bn.eps)
            * bn.weight.reshape(shape) + bn.bias.reshape(shape))


def randomize_bn(block):
    """Give every batch norm of `block` non-trivial statistics and affine."""
    for m in block.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)


# ---------------------------------------------------------------- Residual

@pytest.mark.parametrize('args, kwargs, shape', [
    ((3,), {}, (4, 3, 6, 6)),
    ((6,), {'use_1x1conv': True, 'strides': 2}, (4, 6, 3, 3)),
    ((6, True, 2), {}, (4, 6, 3, 3)),                 # positional, as published
    ((5,), {'use_1x1conv': True}, (4, 5, 6, 6)),      # channels only
    ((3,), {'use_1x1conv': True, 'strides': 3}, (4, 3, 2, 2)),
])
def test_residual_shapes(args, kwargs, shape):
    assert d2l.Residual(*args, **kwargs)(torch.randn(4, 3, 6, 6)).shape \
        == shape


def test_residual_computes_relu_of_layers_plus_shortcut():
    blk = d2l.Residual(4, use_1x1conv=True, strides=2).double()
    X = torch.randn(2, 3, 7, 7, dtype=torch.float64)
    blk(X)                                             # create the weights
    blk = blk.double()
    randomize_bn(blk)
    blk.eval()
    Y = F.relu(bn_eval(blk.bn1, F.conv2d(X, blk.conv1.weight, blk.conv1.bias,
                                         stride=2, padding=1)))
    Y = bn_eval(blk.bn2, F.conv2d(Y, blk.conv2.weight, blk.conv2.bias,
                                  padding=1))
    S = F.conv2d(X, blk.conv3.weight, blk.conv3.bias, stride=2)
    assert torch.allclose(blk(X), F.relu(Y + S))


def test_residual_with_zeroed_last_norm_is_relu_of_identity():
    blk = d2l.Residual(3)
    X = torch.randn(2, 3, 5, 5)
    blk(X)
    with torch.no_grad():
        blk.bn2.weight.zero_()
        blk.bn2.bias.zero_()
    assert torch.equal(blk(X), F.relu(X))              # in training mode too


def test_residual_shortcut_has_no_norm_and_identity_has_no_conv():
    assert d2l.Residual(3).conv3 is None
    blk = d2l.Residual(8, use_1x1conv=True)
    assert isinstance(blk.conv3, nn.LazyConv2d)
    assert [n for n, _ in blk.named_children()] == ['conv1', 'conv2',
                                                    'conv3', 'bn1', 'bn2']


def test_residual_gradients_reach_the_input_through_the_shortcut():
    blk = d2l.Residual(3)
    X = torch.randn(2, 3, 4, 4, requires_grad=True)
    blk(X)
    with torch.no_grad():
        for p in blk.parameters():
            p.zero_()                                 # layers contribute 0
    blk(X).sum().backward()
    assert torch.equal(X.grad, (X > 0).float())


def test_residual_names_a_shape_mismatch():
    with pytest.raises(ValueError, match=r'shortcut has shape \(2, 3, 6, 6\)'
                                         r' but the block computes '
                                         r'\(2, 6, 6, 6\); pass use_1x1conv'):
        d2l.Residual(6)(torch.randn(2, 3, 6, 6))


@pytest.mark.parametrize('kwargs, error, message', [
    ({'num_channels': 0}, ValueError, 'num_channels must be an integer >= 1'),
    ({'num_channels': 2.5}, TypeError, 'num_channels must be an integer'),
    ({'num_channels': 3, 'use_1x1conv': 1}, TypeError,
     'use_1x1conv must be bool'),
    ({'num_channels': 3, 'strides': 0}, ValueError,
     'strides must be an integer >= 1'),
])
def test_residual_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        d2l.Residual(**kwargs)


def test_residual_accepts_numpy_sizes():
    blk = d2l.Residual(np.int64(4), strides=np.int32(1), use_1x1conv=True)
    assert blk(torch.randn(1, 2, 3, 3)).shape == (1, 4, 3, 3)


# ------------------------------------------------------------ ResNeXtBlock

def per_group_conv(X, conv):
    """A grouped convolution computed one group at a time, then concatenated."""
    g = conv.groups
    outs = []
    for Xg, Wg, bg in zip(X.chunk(g, dim=1), conv.weight.chunk(g, dim=0),
                          conv.bias.chunk(g, dim=0)):
        outs.append(F.conv2d(Xg, Wg, bg, stride=conv.stride,
                             padding=conv.padding))
    return torch.cat(outs, dim=1)


@pytest.mark.parametrize('num_channels, groups, bot_mul, num_groups', [
    (32, 16, 1, 2), (32, 8, 1, 4), (64, 16, 0.5, 2), (48, 4, 0.25, 3),
    (16, 16, 1, 1), (16, 1, 1, 16)])
def test_resnext_groups_is_the_group_width(num_channels, groups, bot_mul,
                                           num_groups):
    blk = d2l.ResNeXtBlock(num_channels, groups, bot_mul)
    blk(torch.randn(2, num_channels, 5, 5))
    b = round(num_channels * bot_mul)
    assert blk.conv2.groups == num_groups == b // groups
    assert blk.conv2.weight.shape == (b, groups, 3, 3)  # each sees `groups`


@pytest.mark.parametrize('strides', [1, 2])
def test_resnext_grouped_conv_matches_an_explicit_per_group_computation(
        strides):
    blk = d2l.ResNeXtBlock(24, 6, 1, use_1x1conv=True, strides=strides)
    X = torch.randn(2, 24, 8, 8, dtype=torch.float64)
    blk(X.float())
    blk = blk.double()
    Y = F.relu(blk.bn1(blk.conv1(X)))
    assert torch.allclose(blk.conv2(Y), per_group_conv(Y, blk.conv2))
    # one group's outputs ignore the inputs of every other group
    Y2 = Y.clone()
    Y2[:, 6:] += torch.randn_like(Y2[:, 6:])
    assert torch.equal(blk.conv2(Y2)[:, :6], blk.conv2(Y)[:, :6])


def test_resnext_block_computes_its_formula():
    blk = d2l.ResNeXtBlock(16, 4, 0.5, use_1x1conv=True, strides=2)
    X = torch.randn(2, 8, 9, 9, dtype=torch.float64)
    blk(X.float())
    blk = blk.double()
    randomize_bn(blk)
    blk.eval()
    Y = F.relu(bn_eval(blk.bn1, F.conv2d(X, blk.conv1.weight,
                                         blk.conv1.bias)))
    Y = F.relu(bn_eval(blk.bn2, per_group_conv(Y, blk.conv2)))
    Y = bn_eval(blk.bn3, F.conv2d(Y, blk.conv3.weight, blk.conv3.bias))
    S = bn_eval(blk.bn4, F.conv2d(X, blk.conv4.weight, blk.conv4.bias,
                                  stride=2))
    assert torch.allclose(blk(X), F.relu(Y + S))


@pytest.mark.parametrize('args, kwargs, shape', [
    ((32, 16, 1), {}, (4, 32, 96, 96)),
    ((32, 16, 1, True, 2), {}, (4, 32, 48, 48)),       # positional, published
    ((64, 16, 0.5), {'use_1x1conv': True, 'strides': 2}, (4, 64, 48, 48)),
])
def test_resnext_shapes(args, kwargs, shape):
    X = torch.randn(4, 32, 96, 96)
    assert d2l.ResNeXtBlock(*args, **kwargs)(X).shape == shape


def test_resnext_shortcut_projection_is_normalized():
    blk = d2l.ResNeXtBlock(8, 4, 1, use_1x1conv=True)
    assert isinstance(blk.bn4, nn.LazyBatchNorm2d)
    plain = d2l.ResNeXtBlock(8, 4, 1)
    assert plain.conv4 is None and plain.bn4 is None


def test_resnext_names_a_shape_mismatch():
    with pytest.raises(ValueError, match='pass use_1x1conv=True'):
        d2l.ResNeXtBlock(16, 4, 1)(torch.randn(1, 8, 4, 4))


@pytest.mark.parametrize('args, error, message', [
    ((32, 12, 1), ValueError, r'group width groups=12 must divide the 32 '
                              r'bottleneck channels'),
    ((32, 16, 0.01), ValueError, 'must divide the 0 bottleneck channels'),
    ((32, 0, 1), ValueError, 'groups must be an integer >= 1'),
    ((32, 16, -1), ValueError, 'bot_mul must be a number >= 0'),
    ((32, 16, '1'), TypeError, 'bot_mul must be a real number'),
    ((0, 16, 1), ValueError, 'num_channels must be an integer >= 1'),
])
def test_resnext_checks_its_arguments(args, error, message):
    with pytest.raises(error, match=message):
        d2l.ResNeXtBlock(*args)


def test_resnext_with_32_groups_is_cheaper_than_residual():
    X = torch.zeros(1, 256, 6, 6)
    res = d2l.count_macs(d2l.Residual(256), X)
    wide = d2l.count_macs(d2l.ResNeXtBlock(256, 256, 1), X)
    grouped = d2l.count_macs(d2l.ResNeXtBlock(256, 8, 1), X)
    assert res == 2 * 256 * 256 * 9 * 36
    assert wide - grouped == 256 * 256 * 9 * 36 * (1 - 1 / 32)
    assert grouped < res / 7
