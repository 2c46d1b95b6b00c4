"""Code in the style of the published d2l book (chapters 2 and 3, d2l 1.0.3)
runs unchanged on our package.

Every snippet below is written the way a reader of that book writes it:
`from d2l import torch as d2l`, the framework-neutral aliases, plain tensors
as parameters, optimizers without `torch.no_grad()`, NumPy integers for sizes,
and results read back from `model.board.data[...][-1].y`. Only assertions
were added.
"""
import numpy as np
import pytest
import torch
from torch import nn

from d2l import torch as d2l


@pytest.fixture(autouse=True)
def _setup(full):
    """Full mode, a non-interactive backend, a fixed seed."""
    import matplotlib
    matplotlib.use('Agg')
    torch.manual_seed(0)


# ---------------------------------------------------------- 2.4 calculus
def test_ch2_plot_a_function_and_its_tangent():
    def f(x):
        return 3 * x ** 2 - 4 * x

    x = d2l.arange(0, 3, 0.1)
    d2l.plot(x, [f(x), 2 * x - 3], 'x', 'f(x)',
             legend=['f(x)', 'Tangent line (x=1)'])
    lines = d2l.plt.gca().get_lines()
    assert len(lines) == 2 and len(lines[0].get_xdata()) == 30


def test_ch2_plot_a_loss_history_of_scalar_tensors():
    w = torch.tensor(2.0, requires_grad=True)
    losses = [(w * i - 1) ** 2 for i in range(5)]        # 0-d, with grad
    d2l.plot(losses, xlabel='step', ylabel='loss')
    assert list(d2l.plt.gca().get_lines()[0].get_ydata()) == [1, 1, 9, 25, 49]


def test_ch2_plot_a_range_and_the_helpers():
    d2l.use_svg_display()
    d2l.set_figsize((4.5, 2.5))
    d2l.plot(range(5), [range(5), [v ** 2 for v in range(5)]],
             fmts=['-', 'r:'], legend=['x', 'x^2'])
    assert [len(l.get_xdata()) for l in d2l.plt.gca().get_lines()] == [5, 5]
    with pytest.raises(ValueError, match='fmts must hold at least one'):
        d2l.plot(range(5), fmts=[])


# ---------------------------------------------------------- 3.2 oo-design
def test_ch3_add_to_class_and_hyperparameters(capsys):
    class Counter:
        def __init__(self):
            self.count = 3

    counter = Counter()

    @d2l.add_to_class(Counter)
    def show(self):
        print('count:', self.count)

    counter.show()

    class Settings(d2l.HyperParameters):
        def __init__(self, width, depth, seed):
            self.save_hyperparameters(ignore=['seed'])
            print(self.width * self.depth, hasattr(self, 'seed'))

    Settings(width=4, depth=5, seed=0)
    assert capsys.readouterr().out == 'count: 3\n20 False\n'


def test_ch3_progress_board_demo_with_numpy_values():
    board = d2l.ProgressBoard('x')
    for x in np.arange(0, 10, 0.1):
        board.draw(x, np.sin(x), 'sin', every_n=2)
        board.draw(x, np.cos(x), 'cos', every_n=10)
    assert len(board.data['sin']) == 50 and len(board.data['cos']) == 10
    last = board.data['cos'][-1]
    assert last.x == pytest.approx(9.45)
    assert last.y == pytest.approx(np.cos(np.arange(90, 100) / 10).mean())


# -------------------------------------------------- 3.3 synthetic data
def test_ch3_synthetic_data_and_its_loaders():
    data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
    print('features:', data.X[0], '\nlabel:', data.y[0])
    X, y = next(iter(data.train_dataloader()))
    assert X.shape == (32, 2) and y.shape == (32, 1)
    assert len(data.train_dataloader()) == 32


def test_ch3_a_data_module_of_numpy_arrays():
    class Data(d2l.DataModule):
        def __init__(self, batch_size=np.int64(8)):
            super().__init__()
            self.save_hyperparameters()
            self.X = np.random.randn(40, 3).astype(np.float32)
            self.y = self.X @ np.ones((3, 1), dtype=np.float32)

        def get_dataloader(self, train):
            i = slice(0, 32) if train else slice(32, None)
            return self.get_tensorloader((self.X, self.y), train, i)

    X, y = next(iter(Data().val_dataloader()))
    assert X.shape == (8, 3) and X.dtype == torch.float32


# ------------------------------------------ 3.4 scratch, book style
class HandLinReg(d2l.Module):
    """Plain tensors as parameters, as the published chapter keeps them."""
    def __init__(self, n_features, lr, init_std=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.bias = d2l.zeros(1, requires_grad=True)
        self.weight = d2l.normal(0, init_std, (n_features, 1),
                                 requires_grad=True)

    def forward(self, X):
        return self.bias + d2l.matmul(X, self.weight)

    def loss(self, y_hat, y):
        diff = d2l.reshape(y, y_hat.shape) - y_hat
        return d2l.reduce_mean(0.5 * diff ** 2)

    def configure_optimizers(self):
        return NaiveSGD([self.weight, self.bias], self.lr)


class NaiveSGD(d2l.HyperParameters):
    """No torch.no_grad() here: the Trainer's loop must provide it."""
    def __init__(self, params, lr):
        self.save_hyperparameters()

    def zero_grad(self):
        for t in self.params:
            if t.grad is not None:
                t.grad.zero_()

    def step(self):
        for t in self.params:
            t -= t.grad * self.lr        # in place, on a leaf tensor


def test_ch3_scratch_model_with_a_hand_written_sgd():
    data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
    net = HandLinReg(2, lr=0.03)
    d2l.Trainer(max_epochs=3).fit(net, data)
    with torch.no_grad():
        gap = data.w - d2l.reshape(net.weight, data.w.shape)
        bias_gap = float(data.b - net.bias)
    assert d2l.numpy(d2l.abs(gap)).max() < 0.4 and abs(bias_gap) < 0.4
    assert net.board.data['val_loss'][-1].y < 0.2


def test_ch3_package_scratch_model_with_numpy_epochs():
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
    trainer = d2l.Trainer(max_epochs=np.int64(3), num_gpus=np.int64(0))
    trainer.fit(model, data)
    assert trainer.train_batch_idx == 96
    assert [p.x for p in model.board.data['val_loss']] == [1, 2, 3]
    assert model.board.data['train_loss'][-1].y < 0.2


def test_ch3_package_sgd_inside_a_custom_model():
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    model.configure_optimizers = lambda: d2l.SGD([model.w, model.b], 0.03)
    data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
    d2l.Trainer(max_epochs=2, gradient_clip_val=10).fit(model, data)
    assert model.board.data['val_loss'][-1].y < 1


# --------------------------------------------------- 3.5 concise
def test_ch3_concise_model_and_get_w_b():
    data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
    model = d2l.LinearRegression(lr=0.03)
    d2l.Trainer(max_epochs=3).fit(model, data)
    w, b = model.get_w_b()
    w_err, b_err = data.w - d2l.reshape(w, data.w.shape), data.b - b
    assert d2l.numpy(w_err).shape == (2,) and abs(float(b_err)) < 0.1
    assert model.board.data['val_loss'][-1].y < 0.01


def test_ch3_concise_checkpoint_round_trip(tmp_path):
    model = d2l.LinearRegression(lr=0.03)
    data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
    d2l.Trainer(max_epochs=1).fit(model, data)
    torch.save(model.state_dict(), tmp_path / 'linreg.params')
    clone = d2l.LinearRegression(lr=0.03)
    clone.load_state_dict(torch.load(tmp_path / 'linreg.params'))
    X = d2l.randn(4, 2)
    assert torch.equal(clone(X), model(X))


# ---------------------------------------------------- 3.7 weight decay
def half_sq_norm(v):
    return 0.5 * d2l.reduce_sum(v * v)


class RidgeScratch(d2l.LinearRegressionScratch):
    def __init__(self, num_inputs, lambd, lr, sigma=0.01):
        super().__init__(num_inputs, lr=lr, sigma=sigma)
        self.save_hyperparameters()

    def loss(self, y_hat, y):
        return self.lambd * half_sq_norm(self.w) + super().loss(y_hat, y)


class RidgeConcise(d2l.LinearRegression):
    def __init__(self, wd, lr):
        super().__init__(lr)
        self.save_hyperparameters()

    def configure_optimizers(self):
        groups = [dict(params=[self.net.bias]),
                  dict(params=[self.net.weight], weight_decay=self.wd)]
        return torch.optim.SGD(groups, lr=self.lr)


class Wide(d2l.DataModule):
    def __init__(self, num_train=20, num_val=100, num_inputs=200,
                 batch_size=5):
        super().__init__()
        self.save_hyperparameters()
        rows = num_train + num_val
        self.X = d2l.randn(rows, num_inputs)
        self.y = (d2l.matmul(self.X, d2l.ones((num_inputs, 1)) * 0.01)
                  + 0.05 + 0.01 * d2l.randn(rows, 1))

    def get_dataloader(self, train):
        part = (slice(None, self.num_train) if train
                else slice(self.num_train, None))
        return self.get_tensorloader((self.X, self.y), train, part)


def test_ch3_weight_decay_scratch_and_concise():
    data, trainer, sizes = Wide(), d2l.Trainer(max_epochs=10), []
    for lambd in (0, 3):
        net = RidgeScratch(200, lambd, lr=0.01)
        net.board.yscale = 'log'
        trainer.fit(net, data)
        sizes.append(float(half_sq_norm(net.w.detach())))
    assert sizes[1] < sizes[0] / 3
    net = RidgeConcise(wd=3, lr=0.01)
    net.board.yscale = 'log'
    trainer.fit(net, data)
    assert float(half_sq_norm(net.get_w_b()[0])) < sizes[0]


# -------------------------------------------------- aliases and B.7
def test_aliases_in_published_style():
    x = d2l.arange(12, dtype=d2l.float32)
    X = d2l.reshape(x, (3, 4))
    assert d2l.size(X) == 12
    assert d2l.numpy(d2l.reduce_sum(X, axis=0)).tolist() == [12, 15, 18, 21]
    assert d2l.argmax(X, axis=1).tolist() == [3, 3, 3]
    assert d2l.astype(X, d2l.int32).dtype == torch.int32
    assert d2l.transpose(X).shape == (4, 3)
    assert d2l.expand_dims(x, 0).shape == (1, 12)
    assert d2l.concat((X, X), dim=0).shape == (6, 4)
    assert d2l.numpy(d2l.ones(2, requires_grad=True) * 2).tolist() == [2, 2]
    assert float(d2l.reduce_mean(d2l.abs(d2l.tensor([-1.0, 3.0])))) == 2.0


def test_functional_regression_of_appendix_b7():
    true_w, true_b = d2l.tensor([2, -3.4]), 4.2
    features, labels = d2l.synthetic_data(true_w, true_b, np.int64(1000))
    data_iter = d2l.load_array((features, labels), np.int64(10))
    w = d2l.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = d2l.zeros(1, requires_grad=True)
    for epoch in range(3):
        for X, y in data_iter:
            l = d2l.squared_loss(d2l.linreg(X, w, b), y)
            l.sum().backward()
            d2l.sgd([w, b], 0.03, np.int64(10))
    assert d2l.numpy(abs(true_w - w.reshape(true_w.shape))).max() < 0.01


def test_animator_and_accumulator_of_appendix_b7():
    animator = d2l.Animator(xlabel='epoch', xlim=[1, 3],
                            legend=['train loss', 'train acc', 'test acc'])
    animator.display = False
    metric = d2l.Accumulator(np.int64(2))
    for epoch in range(3):
        metric.add(1.0, 4)
        animator.add(epoch + 1, (metric[0] / metric[1], 0.5, None))
    animator.add(3, (None, None, 0.75))
    assert animator.Y == [[0.25] * 3, [0.5] * 3, [0.75]]
