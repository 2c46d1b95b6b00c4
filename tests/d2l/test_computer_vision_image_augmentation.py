"""Tests of Section 14.1: train_batch_ch13, train_ch13 and the cat photo."""
import inspect

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from d2l import torch as d2l

CPU = torch.device('cpu')


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def _two_blobs(n=64):
    """Two well separated classes in 2-D: (X, y), n points each."""
    X = torch.cat([torch.randn(n, 2) + 3, torch.randn(n, 2) - 3])
    y = torch.cat([torch.zeros(n), torch.ones(n)]).long()
    return X, y


def test_train_batch_hand_checked():
    # one logit pair per example, all weights zero: both classes score 0,
    # so every per-example loss is log 2 and argmax picks class 0
    net = nn.Linear(2, 2)
    nn.init.zeros_(net.weight)
    nn.init.zeros_(net.bias)
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = torch.tensor([0, 1, 0])
    trainer = torch.optim.SGD(net.parameters(), lr=1.0)
    loss = nn.CrossEntropyLoss(reduction='none')
    l, correct = d2l.train_batch_ch13(net, X, y, loss, trainer, [CPU])
    assert l == pytest.approx(3 * torch.log(torch.tensor(2.0)).item())
    assert correct == 2.0
    # the gradient of the summed loss wrt the bias is sum(softmax - onehot):
    # (0.5 - 1) + 0.5 + (0.5 - 1) = -0.5 for class 0, +0.5 for class 1
    assert torch.allclose(net.bias.detach(), torch.tensor([0.5, -0.5]))
    assert isinstance(l, float) and isinstance(correct, float)


def test_train_batch_takes_a_list_of_inputs():
    class Sum(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(3, 4)

        def forward(self, inputs):                 # a list, as BERT's
            a, b = inputs
            return self.linear(a + b)              # (B, 4)

    net = Sum()
    X = [torch.randn(5, 3), torch.randn(5, 3)]
    y = torch.randint(0, 4, (5,))
    trainer = torch.optim.SGD(net.parameters(), lr=0.1)
    loss = nn.CrossEntropyLoss(reduction='none')
    l, correct = d2l.train_batch_ch13(net, X, y, loss, trainer, [CPU])
    assert l > 0 and 0 <= correct <= 5


def test_train_batch_accepts_a_reduced_loss():
    net = nn.Linear(2, 2)
    X, y = torch.randn(4, 2), torch.tensor([0, 1, 1, 0])
    expected = nn.functional.cross_entropy(net(X), y).item()
    trainer = torch.optim.SGD(net.parameters(), lr=0.0)
    l, _ = d2l.train_batch_ch13(net, X, y, nn.CrossEntropyLoss(), trainer,
                                [CPU])
    assert l == pytest.approx(expected)


def test_train_batch_names_the_empty_device_list():
    net = nn.Linear(2, 2)
    trainer = torch.optim.SGD(net.parameters(), lr=0.1)
    with pytest.raises(ValueError, match='at least one device, got'):
        d2l.train_batch_ch13(net, torch.zeros(1, 2), torch.zeros(1).long(),
                             nn.CrossEntropyLoss(), trainer, [])


def _fit(num_epochs=3, devices=None):
    X, y = _two_blobs()
    train_iter = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
    test_iter = DataLoader(TensorDataset(X, y), batch_size=32)
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    trainer = torch.optim.Adam(net.parameters(), lr=0.05)
    loss = nn.CrossEntropyLoss(reduction='none')
    args = (net, train_iter, test_iter, loss, trainer, num_epochs)
    if devices is None:
        return d2l.train_ch13(*args)
    return d2l.train_ch13(*args, devices)


def test_train_ch13_learns_separable_blobs(capsys):
    train_loss, train_acc, test_acc = _fit()
    assert train_loss < 0.3
    assert train_acc > 0.9 and test_acc > 0.95
    out = capsys.readouterr().out
    assert f'test acc {test_acc:.3f}' in out
    assert "examples/sec on ['cpu']" in out


def test_train_ch13_default_devices_are_looked_up_at_call_time(monkeypatch):
    sig = inspect.signature(d2l.train_ch13)
    assert repr(sig.parameters['devices'].default) == 'd2l.try_all_gpus()'
    calls = []

    def fake():
        calls.append(1)
        return [CPU]
    monkeypatch.setattr(d2l, 'try_all_gpus', fake)
    _fit(num_epochs=1)
    assert calls == [1]


def test_train_ch13_counts_predictions_apart_from_examples(capsys):
    # a per-pixel classifier: 2 examples, 3 x 3 predictions each
    X = torch.randn(2, 1, 3, 3)
    y = torch.zeros(2, 3, 3).long()
    net = nn.Conv2d(1, 2, kernel_size=1)
    nn.init.zeros_(net.weight)
    with torch.no_grad():
        net.bias.copy_(torch.tensor([1.0, 0.0]))   # always class 0: right
    trainer = torch.optim.SGD(net.parameters(), lr=0.0)
    loss = nn.CrossEntropyLoss(reduction='none')  # (B, 3, 3)

    class PixelLoss(nn.Module):                   # summed per example
        def forward(self, y_hat, y):
            return loss(y_hat, y).sum(dim=(1, 2))  # (B,)

    data = DataLoader(TensorDataset(X, y), batch_size=2)
    train_loss, train_acc, test_acc = d2l.train_ch13(
        net, data, data, PixelLoss(), trainer, 1, [CPU])
    per_pixel = nn.functional.cross_entropy(
        torch.tensor([[1.0, 0.0]]), torch.tensor([0])).item()
    assert train_loss == pytest.approx(9 * per_pixel)   # per example
    assert train_acc == 1.0 and test_acc == 1.0


def test_train_ch13_names_bad_devices_and_epochs():
    with pytest.raises(ValueError, match='must all be CUDA GPUs'):
        _fit(devices=[CPU, CPU])
    with pytest.raises(ValueError, match='at least one device'):
        _fit(devices=[])
    with pytest.raises(ValueError, match='num_epochs'):
        _fit(num_epochs=0)


def test_cat_photo_from_the_mirror(mirror, tmp_path):
    url, sha1 = d2l.DATA_HUB['cat1']
    assert url.endswith('/cat1.jpg') and len(sha1) == 40
    img = d2l.plt.imread(d2l.download(url, str(tmp_path), sha1))
    assert img.shape == (400, 500, 3)


def test_train_ch13_takes_a_tuple_and_caps_quick_epochs(monkeypatch):
    monkeypatch.setenv('D2L_QUICK', '1')
    X, y = torch.randn(50, 2), torch.randint(0, 2, (50,))
    data = DataLoader(TensorDataset(X, y), batch_size=1)   # 50 minibatches
    net = nn.Linear(2, 2)
    steps = []

    class CountingSGD(torch.optim.SGD):
        def step(self, closure=None):
            steps.append(1)
            return super().step(closure)
    trainer = CountingSGD(net.parameters(), lr=0.01)
    d2l.train_ch13(net, data, data, nn.CrossEntropyLoss(reduction='none'),
                   trainer, 2, (CPU,))
    assert len(steps) == 2 * d2l.quickmode.LIMITS['max_train_batches']
