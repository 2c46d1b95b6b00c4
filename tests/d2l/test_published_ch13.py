"""Chapter 13 code that calls our package the way the published book (d2l
1.0.3) calls it.

The reader-side code here is our own, written for these tests; what it keeps
from the published book is exactly its use of the d2l API: `d2l.Benchmark`
as a context manager that prints "<description>: <seconds> sec", devices
from `d2l.try_gpu` and `d2l.try_all_gpus`, data-parallel training written
with plain tensors (`d2l.split_batch(X, y, devices)` unpacked into shard
lists, `d2l.sgd`, `d2l.Timer` with `start`/`stop`/`avg`, `d2l.Animator`
whose `Y` holds the curves, `d2l.evaluate_accuracy_gpu` with a closure and
a device, `d2l.load_data_fashion_mnist`), and `d2l.resnet18(10)` wrapped in
`nn.DataParallel`. Where the published code calls CUDA-only functions
(`torch.cuda.synchronize`, `nn.parallel.scatter`) these tests guard them,
as a reader without a GPU must.
"""
import re

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l

matplotlib.use('Agg')

BENCH_LINE = re.compile(r'^(.+): (\d+\.\d{4}) sec$')


@pytest.fixture(autouse=True)
def close_figures():
    yield
    d2l.plt.close('all')


def sync(device):
    """torch.cuda.synchronize, skipped where there is nothing to wait for."""
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def bench_lines(text):
    return [BENCH_LINE.match(line).groups() for line in text.splitlines()]


# --- 13.1 and 13.2: Benchmark --------------------------------------------------

def test_benchmark_prints_description_and_seconds(capsys):
    mlp = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))
    x = torch.randn(1, 64)
    with d2l.Benchmark('eager mlp'):
        for _ in range(20):
            mlp(x)
    with d2l.Benchmark():                    # the default description
        mlp(x)
    (name1, sec1), (name2, sec2) = bench_lines(capsys.readouterr().out)
    assert (name1, name2) == ('eager mlp', 'Done')
    assert float(sec1) >= 0 and float(sec2) >= 0


def test_benchmark_numpy_against_torch_on_the_default_device(capsys):
    device = d2l.try_gpu()
    a = torch.randn(size=(200, 200), device=device)
    b = torch.mm(a, a)                        # warm-up
    with d2l.Benchmark('numpy'):
        for _ in range(3):
            m = np.random.normal(size=(200, 200))
            m = m.dot(m)
    with d2l.Benchmark('torch'):
        for _ in range(3):
            m = torch.randn(size=(200, 200), device=device)
            m = torch.mm(m, m)
        sync(device)
    names = [name for name, _ in bench_lines(capsys.readouterr().out)]
    assert names == ['numpy', 'torch']
    assert m.shape == b.shape == (200, 200)


def test_benchmark_over_all_devices_and_a_copy_back(capsys):
    devices = d2l.try_all_gpus()
    x = torch.rand(size=(100, 100), device=devices[0])

    def run(x):
        return [torch.mm(x, x.T) for _ in range(5)]

    with d2l.Benchmark('first device'):
        ys = run(x)
        sync(devices[0])
    if len(devices) > 1:                      # guard every use of devices[1]
        with d2l.Benchmark('second device'):
            run(x.to(devices[1]))
            sync(devices[1])
    with d2l.Benchmark('copy to CPU'):
        on_cpu = [y.to('cpu', non_blocking=False) for y in ys]
    lines = bench_lines(capsys.readouterr().out)
    assert len(lines) == 2 + (len(devices) > 1)
    assert all(y.device.type == 'cpu' for y in on_cpu)


# --- 13.5: data parallelism from scratch ----------------------------------------

def init_weights(seed=0):
    gen = torch.Generator().manual_seed(seed)
    return [0.1 * torch.randn(8, 1, 5, 5, generator=gen), torch.zeros(8),
            0.1 * torch.randn(8 * 12 * 12, 10, generator=gen), torch.zeros(10)]


def small_cnn(X, params):
    W1, b1, W2, b2 = params
    H = F.max_pool2d(F.relu(F.conv2d(X, W1, b1)), 2)   # (B, 8, 12, 12)
    return H.reshape(H.shape[0], -1) @ W2 + b2


loss = nn.CrossEntropyLoss(reduction='none')


def get_params(params, device):
    return [p.detach().to(device).clone().requires_grad_() for p in params]


def allreduce(data):
    total = sum(d.to(data[0].device) for d in data)
    for d in data:
        d[:] = total.to(d.device)


def train_batch(X, y, device_params, devices, lr):
    X_shards, y_shards = d2l.split_batch(X, y, devices)
    for X_j, y_j, W in zip(X_shards, y_shards, device_params):
        loss(small_cnn(X_j, W), y_j).sum().backward()
    with torch.no_grad():
        for grads in zip(*[[w.grad for w in W] for W in device_params]):
            allreduce(list(grads))
    for W in device_params:
        d2l.sgd(W, lr, len(y))


def test_allreduce_over_two_tensors():
    data = [torch.ones((1, 2)) * (i + 1) for i in range(2)]
    allreduce(data)
    assert [d.tolist() for d in data] == [[[3.0, 3.0]], [[3.0, 3.0]]]


def test_split_batch_where_the_book_scatters():
    devices = [d2l.try_gpu(i) for i in range(2)]
    data = torch.arange(20).reshape(4, 5)
    X_shards, y_shards = d2l.split_batch(data, torch.arange(4), devices)
    assert [s.cpu().tolist() for s in X_shards] == [
        [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]],
        [[10, 11, 12, 13, 14], [15, 16, 17, 18, 19]]]
    assert [s.device for s in y_shards] == devices


def test_two_replicas_take_the_one_device_step():
    torch.manual_seed(1)
    X, y = torch.randn(12, 1, 28, 28), torch.randint(0, 10, (12,))
    one = [d2l.try_gpu()]
    two = [d2l.try_gpu(0), d2l.try_gpu(0)]
    single = [get_params(init_weights(), one[0])]
    double = [get_params(init_weights(), d) for d in two]
    train_batch(X, y, single, one, lr=0.5)
    train_batch(X, y, double, two, lr=0.5)
    for replica in double:
        for p, q in zip(replica, single[0]):
            torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)


def test_scratch_training_loop_on_fashion_mnist(mirror, quick, capsys):
    num_gpus, batch_size, lr, num_epochs = 1, 256, 0.2, 2
    train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)
    devices = [d2l.try_gpu(i) for i in range(num_gpus)]
    device_params = [get_params(init_weights(), d) for d in devices]
    animator = d2l.Animator('epoch', 'test acc', xlim=[1, num_epochs])
    timer = d2l.Timer()
    for epoch in range(num_epochs):
        timer.start()
        for X, y in train_iter:
            train_batch(X, y, device_params, devices, lr)
            sync(devices[0])
        timer.stop()
        animator.add(epoch + 1, (d2l.evaluate_accuracy_gpu(
            lambda x: small_cnn(x, device_params[0]), test_iter,
            devices[0]),))
    print(f'accuracy {animator.Y[0][-1]:.2f} after {num_epochs} epochs, '
          f'{timer.avg():.1f} s per epoch, devices {devices}')
    out = capsys.readouterr().out
    assert re.search(r'accuracy \d\.\d\d after 2 epochs, \d+\.\d s', out)
    assert len(animator.Y[0]) == num_epochs and len(timer.times) == 2
    assert animator.Y[0][-1] > 0.5           # well above chance (0.1)


# --- 13.6: resnet18 and nn.DataParallel -----------------------------------------

@pytest.fixture
def resnet18():
    if not hasattr(d2l, 'resnet18'):
        pytest.skip('d2l.resnet18 (Section 13.6) not saved yet')
    return d2l.resnet18


def test_resnet18_on_fashion_sized_images(resnet18):
    torch.manual_seed(0)
    net = resnet18(10)
    X = torch.rand(size=(2, 1, 28, 28))
    assert net(X).shape == (2, 10)
    assert resnet18(10, in_channels=3)(torch.rand(2, 3, 32, 32)).shape == \
        (2, 10)


def test_resnet18_trains_one_step_through_data_parallel(resnet18):
    torch.manual_seed(0)
    net = resnet18(10)
    devices = [d2l.try_gpu()]

    def init_weights(m):
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.normal_(m.weight, 0.0, 0.01)

    net.apply(init_weights)
    net = nn.DataParallel(net, device_ids=devices)
    net.to(devices[0])
    trainer = torch.optim.SGD(net.parameters(), lr=0.1)
    X, y = torch.rand(4, 1, 28, 28), torch.tensor([0, 1, 2, 3])
    before = [p.detach().clone() for p in net.parameters()]
    trainer.zero_grad()
    X, y = X.to(devices[0]), y.to(devices[0])
    l = nn.CrossEntropyLoss()(net(X), y)
    l.backward()
    trainer.step()
    assert torch.isfinite(l)
    assert any(not torch.equal(p, q)
               for p, q in zip(net.parameters(), before))
    acc = d2l.evaluate_accuracy_gpu(net, [(X, y)])
    assert 0.0 <= acc <= 1.0
