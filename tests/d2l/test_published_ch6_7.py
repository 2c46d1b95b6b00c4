"""Code in the style of the published d2l book (chapters 6 and 7, d2l 1.0.3)
runs unchanged on our package.

Every snippet is written the way a reader of that book writes it:
`from d2l import torch as d2l`, the framework-neutral aliases (`d2l.zeros`,
`d2l.reduce_sum`, `d2l.reshape`), `apply_init` with a one-element list,
`d2l.init_cnn` through `apply` (also inside a constructor, on lazy layers,
as the published chapter 8 does), `num_gpus=1` on a machine without a GPU,
NumPy integers for sizes, and results read back from
`model.board.data[...][-1].y`. Only the assertions were added.
"""
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l


@pytest.fixture(autouse=True)
def _setup(full):
    """Full mode, a non-interactive backend, a fixed seed."""
    import matplotlib
    matplotlib.use('Agg')
    torch.manual_seed(0)


# ---------------------------------------------------------- 6.4 lazy init
def test_ch6_apply_init_materializes_and_initializes():
    class MLP(d2l.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(),
                                     nn.LazyLinear(10))

    def init_normal(module):
        if type(module) == nn.Linear:
            nn.init.normal_(module.weight, mean=0, std=0.01)
            nn.init.zeros_(module.bias)

    model = MLP()
    model.apply_init([d2l.rand(2, 20)], init_normal)
    assert model.net[0].weight.shape == (256, 20)
    assert d2l.reduce_sum(d2l.abs(model.net[2].bias)).item() == 0
    assert model.net[0].weight.std().item() < 0.02


def test_ch6_apply_init_without_an_initializer():
    class Net(d2l.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.LazyLinear(3)

    model = Net()
    model.apply_init([torch.ones(4, 5)])
    assert model.net.weight.shape == (3, 5)


# ---------------------------------------------------------- 6.6 file I/O
def test_ch6_state_dict_round_trip(tmp_path):
    class TwoLayer(nn.Module):
        def __init__(self, width=64):
            super().__init__()
            self.first = nn.LazyLinear(width)
            self.last = nn.LazyLinear(3)

        def forward(self, inputs):
            return self.last(torch.relu(self.first(inputs)))

    net = TwoLayer()
    X = d2l.normal(0, 1, (4, 7))
    expected = net(X)
    torch.save(net.state_dict(), tmp_path / 'two.params')
    copy = TwoLayer()
    copy.load_state_dict(torch.load(tmp_path / 'two.params'))
    copy.eval()
    assert torch.equal(copy(X), expected)


# ---------------------------------------------------------- 6.7 GPUs
def test_ch6_device_helpers_and_trainer_without_gpu():
    assert d2l.cpu() == torch.device('cpu')
    assert d2l.gpu() == torch.device('cuda:0')
    assert d2l.try_gpu(10) == d2l.cpu()
    assert len(d2l.try_all_gpus()) >= 1
    trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
    if d2l.num_gpus() == 0:
        assert trainer.gpus == []


# ---------------------------------------------------------- 7.2 conv layer
def test_ch7_corr2d_example_and_edge_detection():
    X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    assert d2l.corr2d(X, K).tolist() == [[19.0, 25.0], [37.0, 43.0]]
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    K = torch.tensor([[1.0, -1.0]])
    Y = d2l.corr2d(X, K)
    assert Y.shape == (6, 7) and Y[0, 1] == 1 and Y[0, 5] == -1
    assert float(d2l.reduce_sum(d2l.abs(d2l.corr2d(X.t(), K)))) == 0


def test_ch7_book_conv2d_module_on_corr2d():
    class HandConv(nn.Module):
        """A reader's own single-channel layer on top of d2l.corr2d."""
        def __init__(self, kernel_size):
            super().__init__()
            self.bias = nn.Parameter(d2l.zeros(1))
            self.weight = nn.Parameter(d2l.rand(*kernel_size))

        def forward(self, image):
            return self.bias + d2l.corr2d(image, self.weight)

    layer = HandConv(kernel_size=(1, 2))
    out = layer(d2l.ones(6, 8))
    out.sum().backward()
    assert out.shape == (6, 7) and layer.weight.grad.shape == (1, 2)


def test_ch7_learning_a_kernel_loop():
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    Y = d2l.corr2d(X, torch.tensor([[1.0, -1.0]]))
    conv2d = nn.LazyConv2d(1, kernel_size=(1, 2), bias=False)
    X = X.reshape((1, 1, 6, 8))
    Y = Y.reshape((1, 1, 6, 7))
    lr = 3e-2
    for i in range(10):
        Y_hat = conv2d(X)
        l = (Y_hat - Y) ** 2
        conv2d.zero_grad()
        l.sum().backward()
        conv2d.weight.data[:] -= lr * conv2d.weight.grad
    w = conv2d.weight.data.reshape((1, 2))
    assert torch.allclose(w, torch.tensor([[1.0, -1.0]]), atol=0.2)


# ---------------------------------------------------------- 7.4 channels
def test_ch7_multi_channel_helpers_on_d2l_corr2d():
    def corr2d_multi_in(X, K):
        return sum(d2l.corr2d(x, k) for x, k in zip(X, K))

    def corr2d_multi_in_out(X, K):
        return torch.stack([corr2d_multi_in(X, k) for k in K], 0)

    X = torch.tensor([[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                      [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]])
    K = torch.tensor([[[0.0, 1.0], [2.0, 3.0]], [[1.0, 2.0], [3.0, 4.0]]])
    assert corr2d_multi_in(X, K).tolist() == [[56.0, 72.0], [104.0, 120.0]]
    K = torch.stack((K, K + 1, K + 2), 0)
    assert corr2d_multi_in_out(X, K)[2].tolist() == [[96.0, 128.0],
                                                      [192.0, 224.0]]


# ---------------------------------------------------------- 7.6 LeNet
def test_ch7_lenet_summary_and_init_cnn(capsys):
    model = d2l.LeNet()
    model.layer_summary((1, 1, 28, 28))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 12
    assert lines[0].startswith('Conv2d') and lines[-1].startswith('Linear')
    assert lines[-1].replace(' ', '').endswith('10)')
    model.net.apply(d2l.init_cnn)        # after the summary's dry run
    assert model.net[0].weight.abs().max() <= (6 / (25 + 150)) ** 0.5


def test_ch7_lenet_with_numpy_sizes():
    model = d2l.LeNet(lr=0.1, num_classes=np.int64(10))
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)


def test_ch7_lenet_training_loop_as_in_the_book(quick):
    trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
    data = d2l.FashionMNIST(batch_size=128)
    model = d2l.LeNet(lr=0.1)
    model.apply_init([next(iter(data.get_dataloader(True)))[0]],
                     d2l.init_cnn)
    trainer.fit(model, data)
    acc = model.board.data['val_acc'][-1].y
    assert 0 <= acc <= 1
    assert 'train_loss' in model.board.data


# ------------------------------------- 7.6 init_cnn as chapter 8 uses it
class AlexNet(d2l.Classifier):
    """AlexNet's layers, built lazily, with init_cnn applied in the
    constructor as the published chapter 8 does (a silent no-op in 1.0.3)."""
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        layers = []
        for i, (width, k, s, p) in enumerate([(96, 11, 4, 1), (256, 5, 1, 2),
                                              (384, 3, 1, 1), (384, 3, 1, 1),
                                              (256, 3, 1, 1)]):
            layers += [nn.LazyConv2d(width, k, stride=s, padding=p),
                       nn.ReLU()]
            if i in (0, 1, 4):
                layers.append(nn.MaxPool2d(3, stride=2))
        layers.append(nn.Flatten())
        for _ in range(2):
            layers += [nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5)]
        self.net = nn.Sequential(*layers, nn.LazyLinear(num_classes))
        self.net.apply(d2l.init_cnn)         # every layer is still lazy


def test_ch8_init_cnn_in_a_lazy_constructor_warns_and_changes_nothing():
    with pytest.warns(UserWarning, match='init_cnn is a no-op for '
                                         'Lazy.*apply_init') as record:
        model = AlexNet()
    assert len(record) == 8                    # one per lazy layer
    assert sum('LazyLinear' in str(w.message) for w in record) == 3
    assert all('apply_init' in str(w.message) for w in record)
    assert all(isinstance(p, nn.parameter.UninitializedParameter)
               for p in model.parameters())


def test_ch8_published_alexnet_forwards_and_trains(quick, monkeypatch):
    monkeypatch.setitem(d2l.quickmode.LIMITS, 'max_train_batches', 2)
    monkeypatch.setitem(d2l.quickmode.LIMITS, 'max_val_batches', 1)
    with pytest.warns(UserWarning):
        model = AlexNet(lr=0.01)
    # 67 x 67 instead of the book's 224 x 224 keeps the test cheap: the
    # encoder ends in 256 x 1 x 1 instead of 256 x 5 x 5
    data = d2l.FashionMNIST(batch_size=16, resize=(67, 67))
    X = next(iter(data.get_dataloader(True)))[0]
    assert model(X).shape == (16, 10)          # the forward pass as built
    model.apply_init([X], d2l.init_cnn)        # as the book does next
    conv = model.net[0]
    assert conv.weight.abs().max() <= (6 / (121 + 96 * 121)) ** 0.5
    trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
    trainer.fit(model, data)
    assert torch.isfinite(torch.tensor(model.board.data['train_loss'][-1].y))
    assert 0 <= model.board.data['val_acc'][-1].y <= 1
