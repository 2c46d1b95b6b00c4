"""Tests of Section 3.5: d2l.LinearRegression."""
import pytest
import torch
from torch import nn

from d2l import torch as d2l


def _fitted(weight, bias):
    """A LinearRegression whose lazy layer is materialized and then set."""
    model = d2l.LinearRegression(lr=0.1)
    model(torch.zeros(1, len(weight)))                # creates the weights
    with torch.no_grad():
        model.net.weight.copy_(torch.tensor([weight]))
        model.net.bias.fill_(bias)
    return model


def test_forward_value_by_hand():
    model = _fitted([2.0, -1.0], 0.5)
    X = torch.tensor([[1.0, 1.0], [3.0, 2.0]])
    # 2*1 - 1*1 + 0.5 = 1.5 and 2*3 - 1*2 + 0.5 = 4.5
    assert torch.allclose(model(X), torch.tensor([[1.5], [4.5]]))


def test_loss_is_mean_squared_error_without_half():
    model = d2l.LinearRegression(lr=0.1)
    y_hat, y = torch.tensor([[1.0], [3.0]]), torch.tensor([[0.0], [1.0]])
    # ((1-0)^2 + (3-1)^2) / 2 = 2.5
    assert model.loss(y_hat, y).item() == pytest.approx(2.5)


def test_init_runs_after_lazy_materialization():
    torch.manual_seed(0)
    model = d2l.LinearRegression(lr=0.1)
    assert isinstance(model.net.weight, nn.parameter.UninitializedParameter)
    model(torch.randn(3, 500))
    w, b = model.get_w_b()
    assert torch.equal(b, torch.zeros(1))
    # N(0, 0.01^2), not PyTorch's default U(-1/sqrt(500), 1/sqrt(500))
    assert 0.008 < w.std().item() < 0.012
    assert len(model.net._forward_pre_hooks) == 0     # the hook removed itself


def test_shapes_of_forward_and_get_w_b():
    model = d2l.LinearRegression(lr=0.1)
    assert model(torch.randn(5, 3)).shape == (5, 1)
    w, b = model.get_w_b()
    assert w.shape == (1, 3) and b.shape == (1,)
    assert not w.requires_grad and not b.requires_grad


def test_optimizer_updates_lazy_parameters():
    model = d2l.LinearRegression(lr=0.5)
    optim = model.configure_optimizers()             # before materialization
    assert isinstance(optim, torch.optim.SGD)
    X, y = torch.ones(4, 2), torch.ones(4, 1)
    loss = model.loss(model(X), y)
    optim.zero_grad()
    loss.backward()
    optim.step()
    # bias starts at 0 with gradient 2 * mean(y_hat - y) ~ -2: step to ~1
    assert model.get_w_b()[1].item() == pytest.approx(1.0, abs=0.05)


def test_bad_learning_rate():
    with pytest.raises(ValueError, match='lr must be a number >= 0, got -0.1'):
        d2l.LinearRegression(lr=-0.1)


def test_loss_rejects_mismatched_shapes():
    model = d2l.LinearRegression(lr=0.1)
    with pytest.raises(ValueError, match=r'shape \(4, 1\) but y has \(4,\)'):
        model.loss(torch.zeros(4, 1), torch.zeros(4))


def test_get_w_b_before_first_forward():
    model = d2l.LinearRegression(lr=0.1)
    with pytest.raises(RuntimeError, match='no weights yet'):
        model.get_w_b()


def test_a_loaded_checkpoint_survives_the_first_forward():
    model = d2l.LinearRegression(lr=0.1)
    model.load_state_dict({'net.weight': torch.full((1, 2), 5.0),
                           'net.bias': torch.tensor([7.0])})
    y_hat = model(torch.ones(3, 2))                  # 5 + 5 + 7
    assert torch.equal(y_hat, torch.full((3, 1), 17.0))
    w, b = model.get_w_b()
    assert torch.equal(w, torch.full((1, 2), 5.0)) and b.item() == 7.0
    assert len(model.net._forward_pre_hooks) == 0


def test_a_checkpoint_of_a_trained_model_round_trips():
    torch.manual_seed(0)
    trained = d2l.LinearRegression(lr=0.1)
    trained(torch.randn(4, 3))
    with torch.no_grad():
        trained.net.weight.fill_(2.0)
    fresh = d2l.LinearRegression(lr=0.1)
    fresh.load_state_dict(trained.state_dict())
    X = torch.randn(5, 3)
    assert torch.equal(fresh(X), trained(X))


def test_learning_rate_of_any_real_type():
    import numpy as np
    assert d2l.LinearRegression(lr=np.float64(0.1)).lr == 0.1
    with pytest.raises(TypeError, match='lr must be a real number'):
        d2l.LinearRegression(lr=None)
