"""Tests of Section 4.5: SoftmaxRegression and Classifier.loss."""
import math

import pytest
import torch
from torch.nn import functional as F

from d2l import torch as d2l


def test_loss_value_by_hand():
    # logits log(0.1, 0.3, 0.6) and log(0.3, 0.2, 0.5); labels 0 and 2
    Y_hat = torch.log(torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]))
    Y = torch.tensor([0, 2])
    model = d2l.Classifier()
    expected = -(math.log(0.1) + math.log(0.5)) / 2
    assert model.loss(Y_hat, Y).item() == pytest.approx(expected, rel=1e-6)
    per_example = model.loss(Y_hat, Y, averaged=False)
    assert per_example.tolist() == pytest.approx(
        [-math.log(0.1), -math.log(0.5)], rel=1e-6)


def test_loss_is_finite_for_extreme_logits():
    Y_hat = torch.tensor([[1000.0, -1000.0], [0.0, -120.0]])
    loss = d2l.Classifier().loss(Y_hat, torch.tensor([1, 1]), averaged=False)
    assert torch.isfinite(loss).all()
    assert loss.tolist() == pytest.approx([2000.0, 120.0])


def test_loss_matches_torch_on_float64_and_flattens():
    torch.manual_seed(0)
    Y_hat = torch.randn(3, 4, 5, dtype=torch.float64)   # (B, T, q)
    Y = torch.randint(0, 5, (3, 4))                     # (B, T)
    ref = F.cross_entropy(Y_hat.reshape(-1, 5), Y.reshape(-1))
    out = d2l.Classifier().loss(Y_hat, Y)
    assert out.shape == () and torch.allclose(out, ref)
    assert d2l.Classifier().loss(Y_hat, Y, averaged=False).shape == (12,)


def test_loss_rejects_mismatched_labels():
    with pytest.raises(ValueError, match='6 rows but 5 labels'):
        d2l.Classifier().loss(torch.zeros(6, 3), torch.zeros(5).long())


def test_softmax_regression_shapes_and_hyperparameters():
    model = d2l.SoftmaxRegression(num_outputs=10, lr=0.1)
    assert model(torch.zeros(4, 1, 28, 28)).shape == (4, 10)   # logits
    assert model.net[1].weight.shape == (10, 784)
    optim = model.configure_optimizers()
    assert optim.param_groups[0]['lr'] == 0.1


def test_softmax_regression_outputs_affine_logits():
    model = d2l.SoftmaxRegression(num_outputs=3, lr=0.1)
    X = torch.randn(2, 1, 2, 2)
    out = model(X)
    W, b = model.net[1].weight, model.net[1].bias
    assert torch.allclose(out, X.reshape(2, 4) @ W.T + b)


def test_softmax_regression_rejects_wrong_input_width():
    model = d2l.SoftmaxRegression(num_outputs=3, lr=0.1)
    model(torch.zeros(1, 1, 2, 2))                      # fixes 4 inputs
    with pytest.raises(RuntimeError, match='shapes cannot be multiplied'):
        model(torch.zeros(1, 1, 3, 3))


def test_softmax_regression_accepts_any_integral_num_outputs():
    import numpy as np
    for n in (np.int64(3), torch.tensor(3)):
        model = d2l.SoftmaxRegression(num_outputs=n, lr=np.float32(0.5))
        assert model.num_outputs == 3 and type(model.num_outputs) is int
        assert model(torch.zeros(2, 4)).shape == (2, 3)
        assert model.configure_optimizers().param_groups[0]['lr'] == 0.5


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(num_outputs=0, lr=0.1), ValueError,
     'num_outputs must be an integer >= 1, got 0'),
    (dict(num_outputs=2.0, lr=0.1), TypeError,
     'num_outputs must be an integer'),
    (dict(num_outputs=True, lr=0.1), TypeError,
     'num_outputs must be an integer'),
    (dict(num_outputs=2, lr=-0.1), ValueError, 'lr must be a number >= 0'),
    (dict(num_outputs=2, lr='0.1'), TypeError, 'lr must be a real number'),
])
def test_softmax_regression_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        d2l.SoftmaxRegression(**kwargs)
