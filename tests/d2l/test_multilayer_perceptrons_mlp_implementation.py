"""Tests of the saved code of Section 5.2 (relu, MLPScratch)."""
import numpy as np
import pytest
import torch

from d2l import torch as d2l


def test_relu_values():
    X = torch.tensor([[-2.0, 0.0, 3.0]])
    assert torch.equal(d2l.relu(X), torch.tensor([[0.0, 0.0, 3.0]]))


def test_relu_matches_torch_and_keeps_shape():
    X = torch.randn(3, 4, 5, dtype=torch.float64)
    assert torch.equal(d2l.relu(X), torch.relu(X))


def test_mlp_scratch_shapes():
    torch.manual_seed(0)
    model = d2l.MLPScratch(num_inputs=12, num_outputs=3, num_hiddens=8,
                           lr=0.1)
    assert [tuple(p.shape) for p in model.parameters()] == [
        (12, 8), (1, 8), (8, 3), (1, 3)]
    assert model(torch.zeros(5, 1, 3, 4)).shape == (5, 3)


def test_mlp_scratch_value_by_hand():
    model = d2l.MLPScratch(num_inputs=2, num_outputs=1, num_hiddens=2,
                           lr=0.1)
    with torch.no_grad():
        model.W1.copy_(torch.tensor([[1.0, -1.0], [2.0, 1.0]]))
        model.b1.copy_(torch.tensor([0.0, -10.0]))
        model.W2.copy_(torch.tensor([[3.0], [5.0]]))
        model.b2.fill_(1.0)
    X = torch.tensor([[1.0, 1.0]])        # hidden: relu([3, -10]) = [3, 0]
    assert model(X).item() == 3 * 3 + 1


def test_mlp_scratch_initial_scale():
    torch.manual_seed(0)
    model = d2l.MLPScratch(784, 10, 256, lr=0.1, sigma=0.01)
    assert model.W1.std().item() == pytest.approx(0.01, rel=0.05)
    assert model.b1.abs().sum().item() == 0


def test_mlp_scratch_rejects_bad_sizes():
    with pytest.raises(ValueError,
                       match='num_hiddens must be an integer >= 1, got 0'):
        d2l.MLPScratch(784, 10, 0, lr=0.1)


@pytest.mark.parametrize('size', [np.int64(6), np.int32(6), torch.tensor(6),
                                  np.uint8(6)])
def test_mlp_scratch_accepts_any_integer_type(size):
    model = d2l.MLPScratch(num_inputs=size, num_outputs=size,
                           num_hiddens=size, lr=0.1)
    assert model.num_hiddens == 6 and model.hparams['num_outputs'] == 6
    assert all(type(model.hparams[name]) is int
               for name in ('num_inputs', 'num_outputs', 'num_hiddens'))
    assert type(model.num_inputs) is int
    assert model.W1.shape == (6, 6) and model.b2.shape == (1, 6)
    assert model(torch.zeros(3, 2, 3)).shape == (3, 6)


@pytest.mark.parametrize('bad, shown', [(True, 'bool True'),
                                        (2.0, 'float 2.0'),
                                        ('8', "str '8'")])
def test_mlp_scratch_rejects_non_integers(bad, shown):
    with pytest.raises(TypeError,
                       match=f'num_inputs must be an integer, got {shown}'):
        d2l.MLPScratch(num_inputs=bad, num_outputs=10, num_hiddens=8,
                       lr=0.1)


def test_mlp_scratch_rejects_wrong_input_width():
    model = d2l.MLPScratch(784, 10, 16, lr=0.1)
    with pytest.raises(ValueError, match='expected 784 values per example, '
                                         'got 100'):
        model(torch.zeros(2, 10, 10))


@pytest.mark.parametrize('lr, sigma', [(np.float32(0.5), torch.tensor(0.5)),
                                       (torch.tensor(0.5), np.float64(0.5)),
                                       (0.5, 0.5)])
def test_mlp_scratch_stores_plain_floats(lr, sigma):
    model = d2l.MLPScratch(4, 2, 3, lr=lr, sigma=sigma)
    assert type(model.lr) is float and model.lr == 0.5
    assert type(model.hparams['lr']) is float
    assert type(model.hparams['sigma']) is float and model.sigma == 0.5


def test_mlp_scratch_integer_lr_becomes_float():
    model = d2l.MLPScratch(4, 2, 3, lr=1, sigma=0)
    assert type(model.lr) is float and model.lr == 1.0
    assert model.W1.abs().sum().item() == 0          # sigma = 0: all zeros


@pytest.mark.parametrize('kwargs, error, message', [
    ({'lr': -1}, ValueError, 'lr must be a number >= 0, got -1.0'),
    ({'lr': float('nan')}, ValueError, 'lr must be a finite number, got nan'),
    ({'lr': '0.1'}, TypeError, "lr must be a real number, got str '0.1'"),
    ({'lr': 0.1, 'sigma': -0.01}, ValueError,
     'sigma must be a number >= 0, got -0.01'),
])
def test_mlp_scratch_rejects_bad_lr_and_sigma(kwargs, error, message):
    with pytest.raises(error, match=message):
        d2l.MLPScratch(4, 2, 3, **kwargs)


def test_mlp_scratch_checks_run_before_saving():
    with pytest.raises(ValueError):
        d2l.MLPScratch(4, 2, 3, lr=-1)
    model = d2l.MLPScratch(np.int64(4), torch.tensor(2), np.int32(3), lr=0)
    mine = {name: model.hparams[name] for name in (
        'num_inputs', 'num_outputs', 'num_hiddens', 'lr', 'sigma')}
    assert mine == {'num_inputs': 4, 'num_outputs': 2, 'num_hiddens': 3,
                    'lr': 0.0, 'sigma': 0.01}
    assert [type(v) for v in mine.values()] == [int, int, int, float, float]
