"""Tests of what Section 3.7 (weight decay) relies on.

The section saves nothing: its Data, l2_penalty, WeightDecayScratch and
WeightDecay stay in the notebook. These tests pin down the behaviour of the
saved classes it builds on: subclassing d2l.LinearRegressionScratch with a
penalized loss, and d2l.LinearRegression with optimizer parameter groups.
"""
import pytest
import torch

from d2l import torch as d2l


class _PenalizedScratch(d2l.LinearRegressionScratch):
    """The notebook's WeightDecayScratch, in miniature."""
    def __init__(self, num_inputs, lambd, lr, sigma=0.01):
        super().__init__(num_inputs, lr=lr, sigma=sigma)
        self.lambd = lambd

    def loss(self, y_hat, y):
        penalty = (self.w ** 2).sum() / 2
        return self.lambd * penalty + super().loss(y_hat, y)


class _DecayedConcise(d2l.LinearRegression):
    """The notebook's WeightDecay, in miniature."""
    def __init__(self, wd, lr):
        super().__init__(lr)
        self.save_hyperparameters()

    def configure_optimizers(self):
        return torch.optim.SGD([
            {'params': self.net.weight, 'weight_decay': self.wd},
            {'params': self.net.bias}], lr=self.lr)


def test_penalized_loss_value_by_hand():
    model = _PenalizedScratch(2, lambd=3.0, lr=0.1)
    with torch.no_grad():
        model.w.copy_(torch.tensor([[1.0], [-2.0]]))
    y_hat, y = torch.tensor([[1.0]]), torch.tensor([[0.0]])
    # half squared error 0.5 plus 3 * (1 + 4) / 2 = 7.5
    assert model.loss(y_hat, y).item() == pytest.approx(8.0)


def test_scratch_step_shrinks_weights_by_one_minus_eta_lambda():
    model = _PenalizedScratch(3, lambd=2.0, lr=0.1)
    w0 = model.w.detach().clone()
    X = torch.zeros(4, 3)                 # no data gradient on w
    loss = model.loss(model(X), torch.zeros(4, 1))
    optim = model.configure_optimizers()
    optim.zero_grad()
    loss.backward()
    optim.step()
    assert torch.allclose(model.w.detach(), (1 - 0.1 * 2.0) * w0)
    assert model.w.shape == (3, 1)


def test_parameter_groups_decay_weight_not_bias():
    model = _DecayedConcise(wd=2.0, lr=0.1)
    X = torch.zeros(4, 3)                 # no data gradient on the weight
    model(X)                              # materialize the lazy layer
    with torch.no_grad():
        model.net.weight.fill_(1.0)
        model.net.bias.fill_(1.0)
    optim = model.configure_optimizers()
    optim.zero_grad()
    model.loss(model(X), torch.ones(4, 1)).backward()   # residual 0
    optim.step()
    w, b = model.get_w_b()
    assert w.shape == (1, 3) and b.shape == (1,)
    assert torch.allclose(w, torch.full((1, 3), 0.8))    # (1 - 0.1 * 2) * 1
    assert torch.equal(b, torch.ones(1))                 # no decay on b


def test_penalized_scratch_rejects_wrong_feature_count():
    model = _PenalizedScratch(2, lambd=1.0, lr=0.1)
    with pytest.raises(ValueError, match=r'expected X of shape \(B, 2\), '
                                         r'got \(4, 3\)'):
        model(torch.zeros(4, 3))


def test_decayed_concise_rejects_bad_lr():
    with pytest.raises(ValueError, match='lr must be a number >= 0, got -1'):
        _DecayedConcise(wd=1.0, lr=-1)
