"""Tests of Section 7.6: d2l.init_cnn, d2l.LeNet, Classifier.layer_summary."""
import math

import numpy as np
import pytest
import torch
from torch import nn

from d2l import torch as d2l

SUMMARY = """\
Conv2d      (2, 6, 28, 28)
Sigmoid     (2, 6, 28, 28)
AvgPool2d   (2, 6, 14, 14)
Conv2d      (2, 16, 10, 10)
Sigmoid     (2, 16, 10, 10)
AvgPool2d   (2, 16, 5, 5)
Flatten     (2, 400)
Linear      (2, 120)
Sigmoid     (2, 120)
Linear      (2, 84)
Sigmoid     (2, 84)
Linear      (2, 10)
"""


def test_init_cnn_draws_xavier_uniform_weights():
    torch.manual_seed(0)
    conv = nn.Conv2d(64, 64, 3)             # fan_in = fan_out = 576
    linear = nn.Linear(500, 300)
    bias = conv.bias.detach().clone()
    conv.apply(d2l.init_cnn)
    linear.apply(d2l.init_cnn)
    for layer, n_in, n_out in [(conv, 576, 576), (linear, 500, 300)]:
        bound = math.sqrt(6 / (n_in + n_out))
        w = layer.weight.detach()
        assert w.abs().max() <= bound
        assert w.std().item() == pytest.approx(bound / math.sqrt(3),
                                               rel=0.02)
    assert torch.equal(conv.bias, bias)     # biases are left alone


def test_init_cnn_ignores_other_layers():
    bn = nn.BatchNorm2d(3)
    d2l.init_cnn(bn)
    assert torch.equal(bn.weight, torch.ones(3))


def test_init_cnn_skips_a_lazy_layer_with_a_warning():
    layer = nn.LazyConv2d(4, 3)
    with pytest.warns(UserWarning, match=r'init_cnn is a no-op for '
                                         r'LazyConv2d, .*apply_init'):
        layer.apply(d2l.init_cnn)
    assert isinstance(layer.weight, nn.parameter.UninitializedParameter)
    layer(torch.zeros(1, 2, 5, 5))          # still usable afterwards
    assert layer.weight.shape == (4, 2, 3, 3)


def test_init_cnn_warns_once_per_lazy_layer_and_initializes_the_rest():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(20, 30), nn.ReLU(), nn.LazyLinear(5))
    with pytest.warns(UserWarning) as record:
        net.apply(d2l.init_cnn)
    assert [str(w.message).split(',')[0] for w in record] == [
        'init_cnn is a no-op for LazyLinear']
    assert net[0].weight.abs().max() <= math.sqrt(6 / 50)
    assert net[0].weight.abs().max() > 0.9 * math.sqrt(6 / 50)


def test_apply_init_with_init_cnn_initializes_every_lenet_layer():
    torch.manual_seed(0)
    model = d2l.LeNet()
    model.apply_init([torch.zeros(2, 1, 28, 28)], d2l.init_cnn)
    fans = [(25, 150), (150, 400), (400, 120), (120, 84), (84, 10)]
    layers = [m for m in model.net if isinstance(m, (nn.Conv2d, nn.Linear))]
    for layer, (n_in, n_out) in zip(layers, fans):
        bound = math.sqrt(6 / (n_in + n_out))
        assert layer.weight.abs().max() <= bound
        # the default init would be bounded by 1/sqrt(n_in), much larger
        # for the conv layers; Xavier's spread is close to its bound
        assert layer.weight.abs().max() > 0.9 * bound


def test_lenet_shapes_and_parameter_count():
    model = d2l.LeNet()
    Y = model(torch.zeros(3, 1, 28, 28))
    assert Y.shape == (3, 10)
    assert sum(p.numel() for p in model.parameters()) == 61706


def test_lenet_value_with_constant_weights():
    """All-zero weights and biases: every logit is 0, loss is log 10."""
    model = d2l.LeNet()
    model(torch.zeros(1, 1, 28, 28))
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
    X, y = torch.rand(4, 1, 28, 28), torch.tensor([0, 1, 2, 3])
    assert torch.equal(model(X), torch.zeros(4, 10))
    assert model.loss(model(X), y).item() == pytest.approx(math.log(10))


def test_lenet_hyperparameters_and_optimizer():
    model = d2l.LeNet(lr=np.float32(0.05), num_classes=np.int64(7))
    assert model.lr == pytest.approx(0.05) and model.num_classes == 7
    assert type(model.num_classes) is int
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 7)
    opt = model.configure_optimizers()
    assert isinstance(opt, torch.optim.SGD)
    assert opt.param_groups[0]['lr'] == pytest.approx(0.05)


def test_lenet_bad_arguments():
    with pytest.raises(TypeError, match='num_classes must be an integer'):
        d2l.LeNet(num_classes=2.5)
    with pytest.raises(ValueError, match='num_classes must be an integer '
                                         '>= 1, got 0'):
        d2l.LeNet(num_classes=0)
    with pytest.raises(ValueError, match='lr must be a number >= 0'):
        d2l.LeNet(lr=-0.1)


def test_lenet_learns_a_few_steps():
    torch.manual_seed(0)
    model = d2l.LeNet(lr=0.5)
    X, y = torch.rand(32, 1, 28, 28), torch.randint(0, 10, (32,))
    model.apply_init([X], d2l.init_cnn)
    opt = model.configure_optimizers()
    first = model.loss(model(X), y).item()
    for _ in range(30):
        loss = model.loss(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < first


def test_layer_summary_prints_every_layer(capsys):
    model = d2l.LeNet()
    model.layer_summary((2, 1, 28, 28))
    assert capsys.readouterr().out == SUMMARY


def test_layer_summary_accepts_integral_types_and_keeps_the_mode(capsys):
    model = d2l.LeNet()
    model.train()
    model.layer_summary(torch.Size([np.int64(2), 1, torch.tensor(28), 28]))
    assert capsys.readouterr().out == SUMMARY
    assert model.training
    model.eval()
    model.layer_summary([2, 1, 28, 28])
    assert not model.training


def test_layer_summary_changes_no_state():
    class BN(d2l.Classifier):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.LazyConv2d(2, 3), nn.LazyBatchNorm2d())

    model = BN()
    model.layer_summary((4, 1, 8, 8))
    assert torch.equal(model.net[1].running_mean, torch.zeros(2))


def test_layer_summary_bad_input():
    model = d2l.LeNet()
    with pytest.raises(TypeError, match=r'X_shape must be a sequence of '
                                        r'sizes such as \(1, 1, 28, 28\)'):
        model.layer_summary(28)
    with pytest.raises(ValueError, match='X_shape entry must be an integer '
                                         '>= 1, got 0'):
        model.layer_summary((0, 1, 28, 28))
    model.layer_summary((1, 1, 28, 28))       # the first width fixes 400
    with pytest.raises(ValueError, match=r'layer 7 \(Linear\) fails on input '
                                         r'shape \(1, 576\)'):
        model.layer_summary((1, 1, 32, 32))   # 16 * 6 * 6 = 576 features


def test_layer_summary_needs_a_sequential_net():
    class Plain(d2l.Classifier):
        def __init__(self):
            super().__init__()
            self.net = nn.LazyLinear(3)

    with pytest.raises(TypeError, match='needs self.net to be a Sequential, '
                                        'got LazyLinear'):
        Plain().layer_summary((1, 4))


def test_layer_summary_of_a_net_without_parameters_runs_on_the_cpu(capsys):
    class Pool(d2l.Classifier):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.MaxPool2d(2), nn.Flatten())

    Pool().layer_summary((2, 3, 4, 4))
    assert capsys.readouterr().out.splitlines() == [
        'MaxPool2d   (2, 3, 2, 2)', 'Flatten     (2, 12)']


def test_layer_summary_separates_a_long_layer_name_from_its_shape(capsys):
    class Long(d2l.Classifier):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.LazyConv2d(8, 3),
                                     nn.AdaptiveAvgPool2d(1), nn.Flatten())

    Long().layer_summary((1, 1, 6, 6))
    lines = capsys.readouterr().out.splitlines()
    assert lines == ['Conv2d      (1, 8, 4, 4)',
                     'AdaptiveAvgPool2d (1, 8, 1, 1)',
                     'Flatten     (1, 8)']
    for line in lines:                       # name, space, shape
        name, shape = line.split(maxsplit=1)
        assert shape.startswith('(') and not name.endswith(')')


def test_layer_summary_restores_the_mode_after_a_failing_layer():
    model = d2l.LeNet()
    model.layer_summary((1, 1, 28, 28))       # the first width fixes 400
    model.train()
    with pytest.raises(ValueError, match=r'layer 7 \(Linear\) fails'):
        model.layer_summary((1, 1, 32, 32))
    assert model.training and all(m.training for m in model.modules())
    model.eval()
    with pytest.raises(ValueError):
        model.layer_summary((1, 1, 32, 32))
    assert not any(m.training for m in model.modules())


def test_init_cnn_warning_points_at_the_callers_line():
    net = nn.Sequential(nn.Sequential(nn.LazyLinear(5)))   # nested apply
    with pytest.warns(UserWarning) as record:
        net.apply(d2l.init_cnn)
    assert record[0].filename == __file__
    with pytest.warns(UserWarning) as record:
        d2l.init_cnn(nn.LazyConv2d(2, 3))                   # direct call
    assert record[0].filename == __file__
