"""Tests of Section 13.6: d2l.resnet18, the small-image ResNet-18."""
import copy

import pytest
import torch
from torch import nn

from d2l import torch as d2l


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.fixture(scope='module')
def net():
    return d2l.resnet18(10)


def test_resnet18_has_no_lazy_parameters(net):
    assert not any(isinstance(p, nn.parameter.UninitializedParameter)
                   for p in net.parameters())
    assert not any(isinstance(m, nn.modules.lazy.LazyModuleMixin)
                   for m in net.modules())


def test_resnet18_parameter_count(net):
    # hand count: stem 1*64*9 + 64 + 2*64 (BN); the rest is ResNet-18's body
    # of Section 8.6, whose 7x7 stem had 64*49 + 64 weights and biases
    assert sum(p.numel() for p in net.parameters()) == 11_175_818
    resnet_96 = 11_178_378                   # Section 8.6, 7x7 stem
    assert resnet_96 - 11_175_818 == 64 * (49 - 9)


def test_resnet18_children_have_the_published_names(net):
    names = [name for name, _ in net.named_children()]
    assert names == ['0', '1', '2', 'resnet_block1', 'resnet_block2',
                     'resnet_block3', 'resnet_block4', 'global_avg_pool',
                     'fc']
    assert isinstance(net[0], nn.Conv2d) and net[0].kernel_size == (3, 3)
    assert isinstance(net[1], nn.BatchNorm2d) and isinstance(net[2], nn.ReLU)
    assert isinstance(net.global_avg_pool, nn.AdaptiveAvgPool2d)
    assert isinstance(net.fc[0], nn.Flatten)
    assert (net.fc[1].in_features, net.fc[1].out_features) == (512, 10)
    assert len(net.resnet_block1) == 2


def test_resnet18_fc_can_be_replaced():
    net = d2l.resnet18(10).eval()
    net.fc = nn.Sequential(nn.Flatten(), nn.Linear(512, 3))
    assert net(torch.zeros(2, 1, 28, 28)).shape == (2, 3)


@pytest.mark.parametrize('in_channels, size, maps', [
    (1, 28, [(64, 28), (64, 28), (128, 14), (256, 7), (512, 4)]),
    (3, 32, [(64, 32), (64, 32), (128, 16), (256, 8), (512, 4)]),
])
def test_resnet18_stage_shapes(in_channels, size, maps):
    net = d2l.resnet18(7, in_channels=in_channels).eval()
    X = torch.zeros(2, in_channels, size, size)
    parts = [net[:3], net.resnet_block1, net.resnet_block2,
             net.resnet_block3, net.resnet_block4]
    for part, (c, s) in zip(parts, maps):
        X = part(X)
        assert X.shape == (2, c, s, s)
    X = net.global_avg_pool(X)
    assert X.shape == (2, 512, 1, 1)
    assert net.fc(X).shape == (2, 7)


def test_resnet18_dry_run_leaves_batch_norm_statistics_alone(net):
    bn = [m for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
    assert len(bn) == 1 + 4 * 2 * 2            # stem + two per block
    for m in bn:
        assert torch.equal(m.running_mean, torch.zeros_like(m.running_mean))
        assert torch.equal(m.running_var, torch.ones_like(m.running_var))
        assert m.num_batches_tracked.item() == 0
    assert net.training


def test_resnet18_init_reaches_every_conv():
    net = d2l.resnet18(10)
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 1 + 16 + 3            # stem, blocks, 1x1 shortcuts
    for m in convs:
        nn.init.zeros_(m.weight)
    net.apply(d2l.init_cnn)
    assert all(m.weight.abs().sum() > 0 for m in convs)


def test_resnet18_trains_a_step_and_copies(net):
    model = copy.deepcopy(net)
    optim = torch.optim.SGD(model.parameters(), lr=0.1)
    X, y = torch.rand(4, 1, 12, 12), torch.tensor([0, 1, 2, 3])
    before = model.fc[-1].weight.clone()
    nn.functional.cross_entropy(model(X), y).backward()
    optim.step()
    assert not torch.equal(before, model.fc[-1].weight)
    assert torch.equal(before, net.fc[-1].weight)   # the copy is separate


@pytest.mark.parametrize('args, kind, message', [
    ((0,), ValueError, 'num_classes'),
    ((10.5,), TypeError, 'num_classes'),
    ((10, 0), ValueError, 'in_channels'),
    ((10, True), TypeError, 'in_channels'),
])
def test_resnet18_rejects_bad_arguments(args, kind, message):
    with pytest.raises(kind, match=message):
        d2l.resnet18(*args)
