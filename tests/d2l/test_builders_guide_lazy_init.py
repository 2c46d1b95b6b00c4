"""Tests of Section 6.4: d2l.Module.apply_init."""
import math

import pytest
import torch
from torch import nn

from d2l import torch as d2l


class _Lazy(d2l.Module):
    """A d2l.Module whose net is lazy: 400 inputs -> 256 -> 10."""
    def __init__(self, extra=None):
        super().__init__()
        self.net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(),
                                 nn.LazyLinear(10))
        if extra is not None:
            self.extra = extra


def _init_normal(module):
    """The too-strict initializer of the section (exact class test)."""
    if type(module) == nn.Linear:
        nn.init.normal_(module.weight, mean=0, std=0.01)
        nn.init.zeros_(module.bias)


def test_apply_init_creates_shapes_from_the_dry_run():
    model = _Lazy()
    model.apply_init([torch.zeros(3, 400)])
    shapes = [tuple(p.shape) for p in model.parameters()]
    assert shapes == [(256, 400), (256,), (10, 256), (10,)]


def test_apply_init_really_initializes_the_weights():
    torch.manual_seed(0)
    model = _Lazy()
    model.apply_init([torch.randn(2, 400)], _init_normal)
    w = model.net[0].weight.detach().flatten()           # 102,400 draws
    assert abs(w.std().item() - 0.01) < 0.0003           # default: ~0.029
    assert abs(w.mean().item()) < 0.0002
    # share within one standard deviation of a normal: 0.6827
    assert abs((w.abs() < 0.01).float().mean().item() - 0.6827) < 0.01
    assert torch.equal(model.net[0].bias, torch.zeros(256))
    assert torch.equal(model.net[2].bias, torch.zeros(10))


def test_init_before_the_first_forward_is_a_no_op():
    """The pitfall the section shows: without apply_init nothing happens."""
    torch.manual_seed(0)
    model = _Lazy()
    model.net.apply(_init_normal)                         # still LazyLinear
    model(torch.randn(2, 400))
    std = model.net[0].weight.std().item()
    assert std == pytest.approx(1 / math.sqrt(3 * 400), rel=0.05)


def test_apply_init_without_init_keeps_the_default_distribution():
    torch.manual_seed(0)
    model = _Lazy()
    model.apply_init([torch.randn(2, 400)])
    bound = 1 / math.sqrt(400)
    assert model.net[0].weight.abs().max() <= bound


def test_dry_run_changes_no_state_and_keeps_the_mode():
    model = _Lazy()
    model.net.append(nn.LazyBatchNorm1d())
    model.train()
    model.apply_init([torch.randn(8, 400) + 5])
    assert model.training and model.net[0].training
    bn = model.net[3]
    assert torch.equal(bn.running_mean, torch.zeros(10))  # no update
    assert bn.num_batches_tracked.item() == 0
    model.eval()
    model.apply_init([torch.randn(8, 400)])
    assert not model.training


def test_apply_init_builds_no_graph():
    model = _Lazy()
    X = torch.randn(2, 400, requires_grad=True)
    model.apply_init([X], _init_normal)
    assert X.grad is None


def test_apply_init_passes_several_arguments_to_forward():
    class Two(d2l.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.LazyLinear(3)

        def forward(self, X, Y):
            return self.net(torch.cat([X, Y], dim=1))

    model = Two()
    model.apply_init((torch.ones(2, 4), torch.ones(2, 1)))
    assert model.net.weight.shape == (3, 5)


def test_apply_init_applies_to_the_whole_model_without_net():
    class NoNet(d2l.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.LazyLinear(4)

        def forward(self, X):
            return self.a(X)

    model = NoNet()
    model.apply_init([torch.ones(2, 3)], _init_normal)
    assert torch.equal(model.a.bias, torch.zeros(4))


def test_a_tensor_instead_of_a_list_is_refused():
    with pytest.raises(TypeError, match=r'list or tuple .* e\.g\. \[X\]'):
        _Lazy().apply_init(torch.zeros(2, 400))


def test_an_unused_lazy_layer_is_reported_when_init_is_given():
    model = _Lazy(extra=nn.LazyLinear(5))
    with pytest.raises(ValueError, match=r"did not create \['extra\.weight'"):
        model.apply_init([torch.zeros(2, 400)], _init_normal)
    model.apply_init([torch.zeros(2, 400)])              # no init: fine


def test_apply_init_restores_the_mode_when_the_dry_run_fails():
    model = _Lazy()
    model.apply_init([torch.zeros(2, 400)])
    model.train()
    with pytest.raises(RuntimeError):
        model.apply_init([torch.zeros(2, 300)])          # wrong width
    assert model.training and all(m.training for m in model.modules())
    model.eval()
    with pytest.raises(RuntimeError):
        model.apply_init([torch.zeros(2, 300)])
    assert not any(m.training for m in model.modules())
