"""Tests of Section 8.5 (batch-norm): the notebook's from-scratch batch norm.

`batch_norm`, `BatchNorm` and the two BN-LeNets are notebook-local, so the
tests execute the notebook's own cells that define them (found by their
first line) instead of restating the code.
"""
import pytest
import torch
from torch import nn

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('def batch_norm(', 'class BatchNorm(', 'class BNLeNetScratch(',
           'class BNLeNet(')


NB = notebook_code('convolutional-modern/batch-norm.md', DEFINES)
batch_norm, BatchNorm = NB['batch_norm'], NB['BatchNorm']


def _pair(num_features, num_dims):
    """Our layer and PyTorch's with the same average, in float64."""
    torch_cls = nn.BatchNorm2d if num_dims == 4 else nn.BatchNorm1d
    return (BatchNorm(num_features, num_dims).double(),
            torch_cls(num_features).double())        # momentum=0.1


def test_value_on_a_hand_checkable_batch():
    """Two examples 1 and 3: mean 2, biased variance 1."""
    X = torch.tensor([[1.0], [3.0]])
    gamma, beta = torch.tensor([[2.0]]), torch.tensor([[0.5]])
    Y, mean, var = batch_norm(X, gamma, beta, torch.zeros(1, 1),
                              torch.ones(1, 1), eps=0.0, momentum=0.9)
    assert torch.allclose(Y, torch.tensor([[-1.5], [2.5]]))
    assert torch.allclose(mean, torch.tensor([[0.2]]))      # 0.9*0 + 0.1*2
    assert torch.allclose(var, torch.tensor([[1.0]]))       # 0.9*1 + 0.1*1


def test_prediction_mode_uses_the_running_statistics():
    X = torch.tensor([[1.0], [3.0]])
    mean, var = torch.tensor([[1.0]]), torch.tensor([[4.0]])
    Y, m, v = batch_norm(X, torch.ones(1, 1), torch.zeros(1, 1), mean, var,
                         eps=0.0, momentum=0.9, training=False)
    assert torch.allclose(Y, torch.tensor([[0.0], [1.0]]))  # (x - 1) / 2
    assert m is mean and v is var                            # not updated


@pytest.mark.parametrize('shape', [(8, 3, 5, 5), (8, 3)])
def test_shapes_of_output_and_statistics(shape):
    layer = BatchNorm(3, len(shape))
    Y = layer(torch.randn(*shape))
    assert Y.shape == shape
    stat_shape = (1, 3, 1, 1) if len(shape) == 4 else (1, 3)
    assert layer.moving_mean.shape == layer.moving_var.shape == stat_shape
    assert layer.gamma.shape == layer.beta.shape == stat_shape


def test_training_mode_matches_batchnorm2d_with_running_mean():
    torch.manual_seed(0)
    ours, theirs = _pair(3, 4)
    for _ in range(4):
        X = 2 + 4 * torch.randn(8, 3, 5, 5, dtype=torch.float64)
        assert torch.allclose(ours(X), theirs(X))
    assert torch.allclose(ours.moving_mean.flatten(), theirs.running_mean)


def test_torch_running_variance_is_unbiased():
    """One step from 1: the increments over 0.9 differ by n / (n - 1)."""
    torch.manual_seed(1)
    ours, theirs = _pair(3, 4)
    X = torch.randn(4, 3, 2, 3, dtype=torch.float64)
    ours(X), theirs(X)
    n = 4 * 2 * 3
    ratio = (theirs.running_var - 0.9) / (ours.moving_var.flatten() - 0.9)
    assert torch.allclose(ratio, torch.full((3,), n / (n - 1),
                                            dtype=torch.float64))
    unbiased = X.var(dim=(0, 2, 3), unbiased=True)
    assert torch.allclose(theirs.running_var, 0.9 + 0.1 * unbiased)


def test_evaluation_mode_matches_batchnorm2d_with_the_same_statistics():
    torch.manual_seed(2)
    ours, theirs = _pair(3, 4)
    for _ in range(3):
        X = 1 + 3 * torch.randn(6, 3, 4, 4, dtype=torch.float64)
        ours(X), theirs(X)
    with torch.no_grad():
        theirs.running_var.copy_(ours.moving_var.flatten())
        theirs.weight.copy_(torch.tensor([0.5, 2.0, -1.0]))
        theirs.bias.copy_(torch.tensor([0.1, -0.3, 2.0]))
        ours.gamma.copy_(theirs.weight.reshape(1, 3, 1, 1))
        ours.beta.copy_(theirs.bias.reshape(1, 3, 1, 1))
    ours.eval(), theirs.eval()
    X = torch.randn(2, 3, 4, 4, dtype=torch.float64)
    expected = ((X - theirs.running_mean.reshape(1, 3, 1, 1)) /
                torch.sqrt(theirs.running_var.reshape(1, 3, 1, 1) + 1e-5)
                * theirs.weight.reshape(1, 3, 1, 1)
                + theirs.bias.reshape(1, 3, 1, 1))
    assert torch.allclose(ours(X), theirs(X))
    assert torch.allclose(ours(X), expected)


def test_fully_connected_matches_batchnorm1d_in_both_modes():
    torch.manual_seed(3)
    ours, theirs = _pair(4, 2)
    biased = unbiased = torch.ones(4, dtype=torch.float64)
    for _ in range(3):
        X = 3 + 2 * torch.randn(16, 4, dtype=torch.float64)
        assert torch.allclose(ours(X), theirs(X))
        biased = 0.9 * biased + 0.1 * X.var(dim=0, unbiased=False)
        unbiased = 0.9 * unbiased + 0.1 * X.var(dim=0, unbiased=True)
    assert torch.allclose(ours.moving_mean.flatten(), theirs.running_mean)
    assert torch.allclose(ours.moving_var.flatten(), biased)
    assert torch.allclose(theirs.running_var, unbiased)
    with torch.no_grad():
        theirs.running_var.copy_(ours.moving_var.flatten())
    ours.eval(), theirs.eval()
    X = torch.randn(5, 4, dtype=torch.float64)
    assert torch.allclose(ours(X), theirs(X))


@pytest.mark.parametrize('rho', [0.9, 0.5, 0.1])
def test_our_momentum_rho_is_torch_momentum_one_minus_rho(rho):
    torch.manual_seed(4)
    ours = BatchNorm(2, 2, momentum=rho).double()
    theirs = nn.BatchNorm1d(2, momentum=1 - rho).double()
    for step in range(10):
        X = step + torch.randn(8, 2, dtype=torch.float64)
        ours(X), theirs(X)
    assert torch.allclose(ours.moving_mean.flatten(), theirs.running_mean)


def test_mode_follows_train_and_eval_not_autograd():
    torch.manual_seed(5)
    layer = BatchNorm(2, 2)
    X = 5 + torch.randn(6, 2)
    with torch.no_grad():                       # training mode, no autograd
        Y = layer(X)
    assert torch.allclose(Y.mean(dim=0), torch.zeros(2), atol=1e-6)
    assert not torch.equal(layer.moving_mean, torch.zeros(1, 2))
    layer.eval()
    before = layer.moving_mean.clone()
    Y = layer(X.requires_grad_())               # eval mode, autograd on
    assert torch.equal(layer.moving_mean, before)
    expected = (X - before) / torch.sqrt(layer.moving_var + 1e-5)
    assert torch.allclose(Y, expected)


def test_statistics_are_buffers_not_parameters():
    layer = BatchNorm(3, 4)
    assert {name for name, _ in layer.named_parameters()} == {'gamma',
                                                              'beta'}
    layer(torch.randn(4, 3, 2, 2))
    state = layer.state_dict()
    assert torch.equal(state['moving_mean'], layer.moving_mean)
    assert not layer.moving_mean.requires_grad
    layer.double()                              # buffers follow .to/.double
    assert layer.moving_var.dtype == torch.float64


def test_bad_inputs_name_what_was_expected():
    with pytest.raises(ValueError, match=r'expected \(B, C\) or '
                                         r'\(B, C, H, W\) input, got shape '
                                         r'\(2, 3, 4\)'):
        BatchNorm(3, 4)(torch.randn(2, 3, 4))
    with pytest.raises(ValueError, match=r'num_dims must be one of \[2, 4\]'):
        BatchNorm(3, 3)
    with pytest.raises(ValueError, match='num_features must be an integer'):
        BatchNorm(0, 2)


@pytest.mark.parametrize('name', ['BNLeNetScratch', 'BNLeNet'])
def test_bn_lenets_shapes_and_parameter_count(name):
    torch.manual_seed(6)
    model = NB[name]()
    model.apply_init([torch.randn(4, 1, 28, 28)], d2l.init_cnn)
    assert model(torch.randn(3, 1, 28, 28)).shape == (3, 10)
    assert sum(p.numel() for p in model.parameters()) == 44878
    assert d2l.count_macs(model, torch.zeros(1, 1, 28, 28)) == 281640
    norms = [m for m in model.net if 'BatchNorm' in type(m).__name__]
    assert len(norms) == 4
    assert sum(p.numel() for m in norms for p in m.parameters()) == 452


def test_scratch_and_concise_lenet_compute_the_same_function():
    """Same weights in both networks give the same outputs, in both modes."""
    torch.manual_seed(7)
    scratch, concise = NB['BNLeNetScratch'](), NB['BNLeNet']()
    X = torch.randn(16, 1, 28, 28)
    scratch.apply_init([X]), concise.apply_init([X])
    for a, b in zip(scratch.net, concise.net):
        if isinstance(b, (nn.Conv2d, nn.Linear)):
            b.load_state_dict(a.state_dict())
    scratch.train(), concise.train()
    assert torch.allclose(scratch(X), concise(X), atol=1e-5)
    scratch.eval(), concise.eval()
    bns = [m for m in scratch.net if isinstance(m, BatchNorm)]
    tbns = [m for m in concise.net if isinstance(m, nn.modules.batchnorm
                                                 ._BatchNorm)]
    with torch.no_grad():
        for a, b in zip(bns, tbns):
            b.running_mean.copy_(a.moving_mean.flatten())
            b.running_var.copy_(a.moving_var.flatten())
    assert torch.allclose(scratch(X), concise(X), atol=1e-5)
