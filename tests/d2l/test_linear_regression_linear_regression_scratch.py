"""Tests of the scratch model, SGD and the training loop of Section 3.4."""
import pytest
import torch

from d2l import torch as d2l


@pytest.fixture
def model():
    torch.manual_seed(0)
    m = d2l.LinearRegressionScratch(2, lr=0.03)
    m.board.display = False
    return m


def test_forward_values_and_shape(model):
    with torch.no_grad():
        model.w.copy_(torch.tensor([[1.0], [2.0]]))
        model.b.fill_(0.5)
    X = torch.tensor([[1.0, 1.0], [0.0, -1.0], [2.0, 0.0]])   # (3, 2)
    y_hat = model(X)
    assert y_hat.shape == (3, 1)
    assert y_hat.flatten().tolist() == [3.5, -1.5, 2.5]


def test_parameters_are_registered(model):
    assert [p.shape for p in model.parameters()] == [(2, 1), (1,)]
    assert model.b.item() == 0.0 and abs(model.w).max() < 0.1


def test_forward_rejects_wrong_width(model):
    with pytest.raises(ValueError, match=r'expected X of shape \(B, 2\), '
                                         r'got \(4, 3\)'):
        model(torch.zeros(4, 3))


def test_loss_value(model):
    y_hat = torch.tensor([[1.0], [3.0]])
    y = torch.tensor([[0.0], [1.0]])
    assert model.loss(y_hat, y).item() == pytest.approx((1 + 4) / 2 / 2)


def test_loss_rejects_broadcasting_shapes(model):
    with pytest.raises(ValueError, match=r'y_hat has shape \(3, 1\) but y '
                                         r'has \(3,\)'):
        model.loss(torch.zeros(3, 1), torch.zeros(3))


def test_sgd_step_and_zero_grad():
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = d2l.SGD([p], lr=0.5)
    (p ** 2).sum().backward()                     # grad = 2p = [2, 4]
    opt.step()
    assert p.tolist() == [0.0, 0.0] and p.shape == (2,)
    opt.zero_grad()
    assert p.grad.tolist() == [0.0, 0.0]


def test_sgd_rejects_a_negative_rate():
    with pytest.raises(ValueError, match='lr must be a number >= 0, got -0.5'):
        d2l.SGD([], lr=-0.5)


def test_configure_optimizers_uses_w_and_b(model):
    opt = model.configure_optimizers()
    assert opt.params[0] is model.w and opt.params[1] is model.b
    assert opt.lr == 0.03


def test_prepare_batch_is_identity_on_cpu():
    batch = (torch.ones(2, 2), torch.ones(2, 1))
    out = d2l.Trainer(max_epochs=1).prepare_batch(batch)
    assert all(torch.equal(a, b) for a, b in zip(out, batch))


def test_fit_recovers_the_parameters(model, full):
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    d2l.Trainer(max_epochs=3).fit(model, data)
    w = model.w.detach().flatten()
    assert torch.allclose(w, torch.tensor([2, -3.4]), atol=0.4)
    assert abs(model.b.item() - 4.2) < 0.4
    assert model.board.data['val_loss'][-1][1] < 0.2


def test_fit_epoch_clips_gradients(model, full):
    # one minibatch, lr 1: the step equals the clipped gradient
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2,
                                       num_train=32, num_val=32)
    model.lr = 1.0
    start = [p.detach().clone() for p in model.parameters()]
    d2l.Trainer(max_epochs=1, gradient_clip_val=0.1).fit(model, data)
    step = torch.cat([(s - p.detach()).flatten()
                      for s, p in zip(start, model.parameters())])
    assert step.norm().item() == pytest.approx(0.1, rel=1e-4)


class BookSGD:
    """An optimizer written the quick way: no torch.no_grad() of its own."""
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def zero_grad(self):
        for t in self.params:
            t.grad = None

    def step(self):
        for t in self.params:
            t -= t.grad * self.lr       # fails if autograd is recording


def test_fit_epoch_steps_a_hand_written_optimizer_without_no_grad(full):
    torch.manual_seed(0)
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    model.board.display = False
    model.configure_optimizers = lambda: BookSGD([model.w, model.b], 0.03)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    d2l.Trainer(max_epochs=3, gradient_clip_val=100).fit(model, data)
    assert torch.allclose(model.w.detach().flatten(),
                          torch.tensor([2, -3.4]), atol=0.4)


def test_fit_epoch_stops_on_a_nan_loss_naming_epoch_and_batch(full):
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    model.board.display = False
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2,
                                       num_train=64, num_val=32)
    data.y[40] = float('nan')               # in the second minibatch
    data.get_dataloader = lambda train: data.get_tensorloader(
        (data.X, data.y), False, slice(0, 64) if train else slice(64, None))
    with pytest.raises(FloatingPointError,
                       match='loss is nan in epoch 1, minibatch 2: lower lr'):
        d2l.Trainer(max_epochs=2).fit(model, data)
    assert model.trainer.train_batch_idx == 1   # no step on the bad batch


def test_sgd_takes_a_single_tensor_as_one_parameter():
    # list(w) would give the rows of w, copies that SGD could not update
    w = torch.ones(3, 1, requires_grad=True)
    opt = d2l.SGD(w, lr=0.5)
    assert len(opt.params) == 1 and opt.params[0] is w
    (w ** 2).sum().backward()
    opt.step()
    assert w.flatten().tolist() == [0.0, 0.0, 0.0]


def test_sgd_names_a_learning_rate_of_the_wrong_type():
    w = torch.zeros(3, 1, requires_grad=True)
    with pytest.raises(TypeError, match='lr must be a real number, got str'):
        d2l.SGD([w], lr='0.1')


def test_scratch_model_accepts_any_integer_width():
    import numpy as np
    model = d2l.LinearRegressionScratch(np.int64(3), lr=np.float32(0.1))
    assert model.w.shape == (3, 1) and model.num_inputs == 3
    with pytest.raises(TypeError, match='num_inputs must be an integer'):
        d2l.LinearRegressionScratch(2.5, lr=0.1)


def test_validation_runs_in_eval_mode_without_autograd(full):
    seen = []

    class Spy(d2l.LinearRegressionScratch):
        def validation_step(self, batch):
            seen.append((self.training, torch.is_grad_enabled()))
            return super().validation_step(batch)

    model = Spy(2, lr=0.03)
    model.board.display = False
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2,
                                       num_train=64, num_val=64)
    d2l.Trainer(max_epochs=1).fit(model, data)
    assert seen and set(seen) == {(False, False)}
