"""Chapter 12 code that calls our package the way the published book (d2l
1.0.3) calls it.

The reader-side code here is our own, written for these tests; what it keeps
from the published book is exactly its use of the d2l API: `annotate` copied
locally or called as `d2l.annotate`, curves drawn with `d2l.plot` (lists of
tensors, of floats, `fmts=`, `axes=`), two-dimensional optimizers of the
signature ``(x1, x2, s1, s2[, f_grad])`` run by `d2l.train_2d` and drawn by
`d2l.show_trace_2d`, from-scratch optimizers of the signature
``(params, states, hyperparams)`` that update their states in place and zero
the gradients themselves, driven by `d2l.train_ch11`, `torch.optim` classes
driven by `d2l.train_concise_ch11`, and a hand-written training loop with
`d2l.Animator`, `d2l.Accumulator`, `d2l.accuracy` and
`d2l.evaluate_accuracy_gpu` under learning-rate schedulers.
"""
import math
import re

import matplotlib
import numpy as np
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')


@pytest.fixture(autouse=True)
def close_figures():
    yield
    d2l.plt.close('all')


# --- 12.1 --------------------------------------------------------------------

def test_risk_curves_with_annotations():
    def risk(x):
        return x * torch.cos(np.pi * x)

    def empirical_risk(x):                  # the risk plus a wiggle
        return risk(x) + 0.2 * torch.cos(5 * np.pi * x)

    xs = torch.arange(0.5, 1.5, 0.01)
    d2l.set_figsize((4.5, 2.5))
    d2l.plot(xs, [risk(xs), empirical_risk(xs)], 'x', 'risk')
    d2l.annotate('empirical\nminimum', (1.0, -1.2), (0.5, -1.1))
    d2l.annotate('true minimum', (1.1, -1.05), (0.95, -0.5))
    ax = d2l.plt.gca()
    assert [t.get_text() for t in ax.texts] == ['empirical\nminimum',
                                                'true minimum']
    assert len(ax.lines) == 2 and ax.get_xlabel() == 'x'


def test_saddle_wireframe_and_tanh():
    grid = torch.linspace(-1.0, 1.0, 21)
    u, v = torch.meshgrid(grid, grid, indexing='ij')
    panel = d2l.plt.figure().add_subplot(111, projection='3d')
    panel.plot_wireframe(u, v, u * u - v * v, rstride=4, cstride=4)
    panel.plot([0], [0], [0], 'rx')         # the saddle point
    for set_ticks in (d2l.plt.xticks, d2l.plt.yticks, panel.set_zticks):
        set_ticks([-1, 0, 1])
    d2l.plt.xlabel('x')
    d2l.plt.ylabel('y')
    assert list(panel.get_zticks()) == [-1, 0, 1]
    d2l.plt.close('all')
    xs = torch.arange(-2.0, 5.0, 0.05)
    d2l.plot(xs, [torch.tanh(xs)], 'x', 'f(x)')
    d2l.annotate('flat: tiny gradient', (4, 1), (2, 0.0))
    ax = d2l.plt.gca()
    assert len(ax.texts) == 1
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.tanh(xs.numpy()),
                               rtol=1e-6)


# --- 12.2 --------------------------------------------------------------------

def test_convex_function_panels():
    shapes = [lambda t: 0.5 * t ** 2,
              lambda t: torch.cos(np.pi * t),
              lambda t: torch.exp(0.5 * t)]
    xs = torch.linspace(-2, 2, 41)
    chord_ends = torch.tensor([-1.5, 1.0])
    d2l.use_svg_display()
    _, panels = d2l.plt.subplots(1, 3, figsize=(9, 3))
    for panel, shape in zip(panels, shapes):
        d2l.plot([xs, chord_ends], [shape(xs), shape(chord_ends)], axes=panel)
    for panel, shape in zip(panels, shapes):
        curve, chord = panel.lines
        assert len(curve.get_xdata()) == 41
        np.testing.assert_allclose(chord.get_ydata(),
                                   shape(chord_ends).numpy(), rtol=1e-6)


# --- 12.3 --------------------------------------------------------------------

def descend(step, x0=10.0, num_steps=10):
    """Iterate x <- x - step(x) from x0; print the end point like the book's
    helpers; return every iterate as a Python float."""
    x, visited = x0, [x0]
    for _ in range(num_steps):
        x = x - step(x)
        visited.append(float(x))
    print(f'epoch {num_steps}, x: {float(x):f}')
    return visited


def draw_path_on_curve(path, f):
    """The curve f over a symmetric range covering the path, and the path."""
    half_width = max(abs(p) for p in path)
    support = torch.arange(-half_width, half_width, 0.01)
    d2l.set_figsize()
    d2l.plot([support, path], [[f(s) for s in support], [f(p) for p in path]],
             'x', 'f(x)', fmts=['-', '-o'])
    return d2l.plt.gca()


def test_one_dimensional_gd(capsys):
    square = lambda x: x * x  # noqa: E731
    slow = descend(lambda x: 0.2 * (2 * x))     # x shrinks by 0.6 per step
    ax = draw_path_on_curve(slow, square)
    np.testing.assert_allclose(ax.lines[1].get_xdata(), slow)
    fast = descend(lambda x: 1.1 * (2 * x))     # x flips and grows by 1.2
    draw_path_on_curve(fast, square)
    assert slow[-1] == pytest.approx(10 * 0.6 ** 10)
    assert fast[-1] == pytest.approx(10 * 1.2 ** 10)
    assert capsys.readouterr().out == ('epoch 10, x: 0.060466\n'
                                       'epoch 10, x: 61.917364\n')


def test_two_dimensional_gd(capsys):
    def bowl(x1, x2):
        return x1 ** 2 + 2 * x2 ** 2

    def bowl_grad(x1, x2):
        return (2 * x1, 4 * x2)

    def plain_step(x1, x2, s1, s2, f_grad):
        d1, d2 = f_grad(x1, x2)
        return (x1 - lr * d1, x2 - lr * d2, 0, 0)

    lr = 0.1
    path = d2l.train_2d(plain_step, f_grad=bowl_grad)
    d2l.show_trace_2d(bowl, path)
    assert len(path) == 21 and path[0] == (-5.0, -2.0)
    assert path[-1][0] == pytest.approx(-5 * 0.8 ** 20)
    assert capsys.readouterr().out == ('epoch 20, x1: -0.057646, '
                                       'x2: -0.000073\n')


def test_newton_on_cosh():
    c = torch.tensor(0.5)

    def f(x):
        return torch.cosh(c * x)

    def newton_step(x):                 # f'(x) / f''(x) = tanh(c x) / c
        return (c * torch.sinh(c * x)) / (c ** 2 * torch.cosh(c * x))

    path = descend(newton_step)
    draw_path_on_curve(path, f)
    assert all(isinstance(p, float) for p in path)
    assert abs(path[-1]) < 1e-6 and abs(path[1]) < abs(path[0])


# --- 12.4 --------------------------------------------------------------------

def test_sgd_with_schedules(capsys):
    def bowl(x1, x2):
        return x1 ** 2 + 2 * x2 ** 2

    def bowl_grad(x1, x2):
        return 2 * x1, 4 * x2

    calls = [0]                          # how often a schedule was asked

    def noisy_step(x1, x2, s1, s2, f_grad):
        d1, d2 = f_grad(x1, x2)
        noise = torch.normal(0.0, 1, (2,))
        rate = base_rate * schedule()
        return (x1 - rate * (d1 + noise[0].item()),
                x2 - rate * (d2 + noise[1].item()), 0, 0)

    def fixed():
        return 1

    def decaying_exponentially():
        calls[0] += 1
        return math.exp(-0.1 * (calls[0] + 1))

    def decaying_polynomially():
        calls[0] += 1
        return (1 + 0.1 * (calls[0] + 1)) ** (-0.5)

    torch.manual_seed(0)
    base_rate, schedule = 0.1, fixed
    d2l.show_trace_2d(bowl, d2l.train_2d(noisy_step, steps=50,
                                         f_grad=bowl_grad))
    schedule = decaying_exponentially
    frozen = d2l.train_2d(noisy_step, steps=300, f_grad=bowl_grad)
    d2l.show_trace_2d(bowl, frozen)
    assert calls[0] == 300
    assert frozen[-1] == pytest.approx(frozen[-2], abs=1e-9)   # rate e^-30
    calls[0], schedule = 0, decaying_polynomially
    path = d2l.train_2d(noisy_step, steps=50, f_grad=bowl_grad)
    d2l.show_trace_2d(bowl, path)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(',')[0] for line in lines] == ['epoch 50', 'epoch 300',
                                                      'epoch 50']
    assert len(path) == 51 and math.hypot(*path[-1]) < 2


# --- 12.5 --------------------------------------------------------------------

def test_timer_on_matrix_products():
    n = 16
    left, right = torch.randn(n, n), torch.randn(n, n)
    product = torch.empty(n, n)
    clock = d2l.Timer()
    clock.start()                                # entry by entry
    for r in range(n):
        for col in range(n):
            product[r, col] = left[r] @ right[:, col]
    clock.stop()
    clock.start()                                # column by column
    for col in range(n):
        product[:, col] = torch.mv(left, right[:, col])
    clock.stop()
    clock.start()                                # one call
    whole = torch.mm(left, right)
    clock.stop()
    assert len(clock.times) == 3 and all(s >= 0 for s in clock.times)
    assert clock.sum() == pytest.approx(clock.cumsum()[-1])
    torch.testing.assert_close(product, whole)


def scratch_sgd(params, states, hyperparams):
    with torch.no_grad():
        for param in params:
            param -= hyperparams['lr'] * param.grad
            param.grad.zero_()


def test_airfoil_file_by_its_hub_name(mirror):
    """The published loader reads the file through ``d2l.download`` with the
    bare DATA_HUB name, then standardizes every column."""
    table = np.genfromtxt(d2l.download('airfoil'), dtype=np.float32,
                          delimiter='\t')
    assert table.shape == (1503, 6)
    scaled = (table - table.mean(axis=0)) / table.std(axis=0)
    assert np.abs(scaled.mean(axis=0)).max() < 1e-4


def fit_airfoil(lr, batch_size, num_epochs=2):
    data_iter, feature_dim = d2l.get_data_ch11(batch_size)
    return d2l.train_ch11(scratch_sgd, None, {'lr': lr}, data_iter,
                          feature_dim, num_epochs)


def test_minibatch_sgd_on_airfoil(mirror, capsys):
    full_batch = fit_airfoil(1, 1500, 2)
    minibatch = fit_airfoil(.4, 100)
    times, losses = [list(pair) for pair in zip(full_batch, minibatch)]
    d2l.set_figsize([6, 3])
    d2l.plot(times, losses, 'time (sec)', 'loss', xlim=[1e-2, 10],
             legend=['gd', 'batch size=100'])
    d2l.plt.gca().set_xscale('log')
    assert all(len(t) == len(loss) for t, loss in zip(times, losses))
    out = capsys.readouterr().out
    assert out.count('loss: ') == 2 and 'sec/epoch' in out
    final = float(out.splitlines()[-1].split('loss: ')[1].split(',')[0])
    assert final < 0.3                      # standardized targets: var 1/2
    assert final == pytest.approx(losses[1][-1], abs=5e-4)


def test_concise_sgd_on_airfoil(mirror, capsys):
    data_iter, _ = d2l.get_data_ch11(10)
    d2l.train_concise_ch11(torch.optim.SGD, {'lr': 0.01}, data_iter,
                           num_epochs=1)
    out = capsys.readouterr().out
    assert float(out.split('loss: ')[1].split(',')[0]) < 0.3


# --- 12.6 --------------------------------------------------------------------

def test_momentum_in_two_dimensions(capsys):
    def stretched(x1, x2):
        return 0.1 * x1 ** 2 + 2 * x2 ** 2

    def gd_step(x1, x2, s1, s2):
        return (x1 * (1 - 0.2 * step), x2 * (1 - 4 * step), 0, 0)

    def heavy_ball(x1, x2, v1, v2):
        v1, v2 = mu * v1 + 0.2 * x1, mu * v2 + 4 * x2
        return x1 - step * v1, x2 - step * v2, v1, v2

    step = 0.4
    d2l.show_trace_2d(stretched, d2l.train_2d(gd_step))
    step, mu = 0.6, 0.5
    d2l.show_trace_2d(stretched, d2l.train_2d(heavy_ball))
    assert capsys.readouterr().out.splitlines() == [
        'epoch 20, x1: -0.943467, x2: -0.000073',
        'epoch 20, x1: 0.007188, x2: 0.002553']


def zeros_like_params(feature_dim):
    """One state tensor per parameter: (w, b)."""
    return (torch.zeros((feature_dim, 1)), torch.zeros(1))


def two_zeros_like_params(feature_dim):
    """Two state tensors per parameter: ((w1, w2), (b1, b2))."""
    w_states, b_states = zip(zeros_like_params(feature_dim),
                             zeros_like_params(feature_dim))
    return (w_states, b_states)


def test_momentum_on_airfoil(mirror):
    def scratch_momentum(params, states, hyperparams):
        with torch.no_grad():
            for param, velocity in zip(params, states):
                velocity.mul_(hyperparams['momentum']).add_(param.grad)
                param -= hyperparams['lr'] * velocity
                param.grad.zero_()

    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    velocities = zeros_like_params(feature_dim)
    _, losses = d2l.train_ch11(scratch_momentum, velocities,
                               {'lr': 0.02, 'momentum': 0.5}, data_iter,
                               feature_dim, num_epochs=1)
    assert losses[-1] < 0.3
    assert velocities[0].abs().sum() > 0     # train_ch11 kept our tensors
    d2l.train_concise_ch11(torch.optim.SGD, {'lr': 0.005, 'momentum': 0.9},
                           data_iter, num_epochs=1)


# --- 12.7 and 12.8 ----------------------------------------------------------

def test_adagrad_and_rmsprop_in_two_dimensions(capsys):
    def stretched(x1, x2):
        return 0.1 * x1 ** 2 + 2 * x2 ** 2

    def adaptive(decay):
        """A 2-D trainer dividing each step by the root of s, where s
        accumulates squared gradients (decay None) or averages them."""
        def trainer(x1, x2, s1, s2):
            d1, d2 = 0.2 * x1, 4 * x2
            if decay is None:
                s1, s2 = s1 + d1 * d1, s2 + d2 * d2
            else:
                s1 = decay * s1 + (1 - decay) * d1 * d1
                s2 = decay * s2 + (1 - decay) * d2 * d2
            return (x1 - lr * d1 / math.sqrt(s1 + 1e-6),
                    x2 - lr * d2 / math.sqrt(s2 + 1e-6), s1, s2)
        return trainer

    lr = 0.4
    d2l.show_trace_2d(stretched, d2l.train_2d(adaptive(None)))
    lr = 2
    d2l.show_trace_2d(stretched, d2l.train_2d(adaptive(None)))
    lr = 0.4
    d2l.show_trace_2d(stretched, d2l.train_2d(adaptive(0.9)))
    assert capsys.readouterr().out.splitlines() == [
        'epoch 20, x1: -2.382563, x2: -0.158591',
        'epoch 20, x1: -0.002295, x2: -0.000000',
        'epoch 20, x1: -0.010599, x2: 0.000000']


def test_adagrad_rmsprop_adadelta_adam_on_airfoil(mirror):
    eps = 1e-6

    def scratch_adagrad(params, states, hyperparams):
        with torch.no_grad():
            for param, total in zip(params, states):
                total.add_(param.grad ** 2)
                param -= hyperparams['lr'] * param.grad / (total + eps).sqrt()
                param.grad.zero_()

    def scratch_rmsprop(params, states, hyperparams):
        keep = hyperparams['gamma']
        with torch.no_grad():
            for param, mean_sq in zip(params, states):
                mean_sq.mul_(keep).add_((1 - keep) * param.grad ** 2)
                scale = (mean_sq + eps).sqrt()
                param -= hyperparams['lr'] * param.grad / scale
                param.grad.zero_()

    def scratch_adadelta(params, states, hyperparams):
        keep = hyperparams['rho']
        with torch.no_grad():
            for param, (mean_sq, mean_update) in zip(params, states):
                mean_sq.mul_(keep).add_((1 - keep) * param.grad ** 2)
                update = param.grad * ((mean_update + 1e-5).sqrt()
                                       / (mean_sq + 1e-5).sqrt())
                param -= update
                mean_update.mul_(keep).add_((1 - keep) * update ** 2)
                param.grad.zero_()

    def scratch_adam(params, states, hyperparams):
        b1, b2, step = 0.9, 0.999, hyperparams['t']
        with torch.no_grad():
            for param, (first, second) in zip(params, states):
                first.lerp_(param.grad, 1 - b1)
                second.lerp_(param.grad ** 2, 1 - b2)
                unbiased1 = first / (1 - b1 ** step)
                unbiased2 = second / (1 - b2 ** step)
                param -= hyperparams['lr'] * unbiased1 / (unbiased2.sqrt()
                                                          + eps)
                param.grad.zero_()
        hyperparams['t'] = step + 1

    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10, n=500)
    adam_hyperparams = {'lr': 0.01, 't': 1}
    runs = [(scratch_adagrad, zeros_like_params, {'lr': 0.1}),
            (scratch_rmsprop, zeros_like_params, {'lr': 0.01, 'gamma': 0.9}),
            (scratch_adadelta, two_zeros_like_params, {'rho': 0.9}),
            (scratch_adam, two_zeros_like_params, adam_hyperparams)]
    for fn, make_states, hyperparams in runs:
        _, losses = d2l.train_ch11(fn, make_states(feature_dim), hyperparams,
                                   data_iter, feature_dim, num_epochs=1)
        assert losses[-1] < 0.4, fn.__name__
    # train_ch11 handed the same dict to every call: one count per minibatch
    assert adam_hyperparams['t'] == len(data_iter) + 1
    for trainer, hyperparams in [(torch.optim.Adagrad, {'lr': 0.1}),
                                 (torch.optim.RMSprop,
                                  {'lr': 0.01, 'alpha': 0.9}),
                                 (torch.optim.Adadelta, {'rho': 0.9}),
                                 (torch.optim.Adam, {'lr': 0.01})]:
        d2l.train_concise_ch11(trainer, hyperparams, data_iter, num_epochs=1)


# --- 12.11 -----------------------------------------------------------------

def test_schedulers_and_the_training_loop(capsys):
    from torch import nn
    from torch.optim import lr_scheduler

    def small_cnn():                     # a LeNet stand-in, cheap on CPU
        return nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=4), nn.Flatten(),
            nn.Linear(4 * 7 * 7, 10))

    loss = nn.CrossEntropyLoss()
    device = d2l.try_gpu()
    torch.manual_seed(0)
    train_iter = [(torch.randn(8, 1, 28, 28), torch.randint(10, (8,)))
                  for _ in range(3)]
    test_iter = train_iter[:1]

    def train(net, train_iter, test_iter, num_epochs, loss, trainer, device,
              scheduler=None):
        """A hand-written loop: every minibatch adds (loss, accuracy, None)
        to the Animator, every epoch adds the test accuracy, then the
        schedule moves (torch schedulers step, callables set the rate)."""
        net.to(device)
        board = d2l.Animator(xlabel='epoch', xlim=[0, num_epochs],
                             legend=['train loss', 'train acc', 'test acc'])
        for epoch in range(num_epochs):
            sums = d2l.Accumulator(3)      # loss total, correct, examples
            net.train()
            for step, (features, labels) in enumerate(train_iter):
                features, labels = features.to(device), labels.to(device)
                trainer.zero_grad()
                scores = net(features)
                batch_loss = loss(scores, labels)
                batch_loss.backward()
                trainer.step()
                with torch.no_grad():
                    sums.add(batch_loss * len(labels),
                             d2l.accuracy(scores, labels), len(labels))
                board.add(epoch + (step + 1) / len(train_iter),
                          (sums[0] / sums[2], sums[1] / sums[2], None))
            test_acc = d2l.evaluate_accuracy_gpu(net, test_iter)
            board.add(epoch + 1, (None, None, test_acc))
            if scheduler is not None:
                if scheduler.__module__ == lr_scheduler.__name__:
                    scheduler.step()
                else:
                    for group in trainer.param_groups:
                        group['lr'] = scheduler(epoch)
        print(f'train loss {sums[0] / sums[2]:.3f}, '
              f'train acc {sums[1] / sums[2]:.3f}, test acc {test_acc:.3f}')
        return board, sums

    class InverseSqrtSchedule:
        def __init__(self, lr=0.1):
            self.lr = lr

        def __call__(self, num_update):
            return self.lr / math.sqrt(num_update + 1.0)

    num_epochs = 2
    net = small_cnn()
    trainer = torch.optim.SGD(net.parameters(), lr=0.3)
    schedule = InverseSqrtSchedule(lr=0.1)
    d2l.plot(torch.arange(num_epochs),
             [schedule(t) for t in range(num_epochs)])
    board, sums = train(net, train_iter, test_iter, num_epochs, loss, trainer,
                        device, schedule)
    assert trainer.param_groups[0]['lr'] == pytest.approx(0.1 / 2 ** 0.5)
    assert sums[2] == 24 and 0 <= sums[1] <= 24
    assert [len(xs) for xs in board.X] == [6, 6, 2]
    assert board.X[2] == [1.0, 2.0] and all(0 <= a <= 1 for a in board.Y[2])

    net = small_cnn()
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    scheduler = lr_scheduler.MultiStepLR(trainer, milestones=[1], gamma=0.5)
    train(net, train_iter, test_iter, num_epochs, loss, trainer, device,
          scheduler)
    assert trainer.param_groups[0]['lr'] == pytest.approx(0.25)

    net = small_cnn()
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    scheduler = lr_scheduler.MultiStepLR(trainer, milestones=[1], gamma=0.5)

    def rate_then_advance(trainer, scheduler):
        rate = scheduler.get_last_lr()[0]
        trainer.step()
        scheduler.step()
        return rate

    rates = [rate_then_advance(trainer, scheduler) for _ in range(num_epochs)]
    d2l.plot(torch.arange(num_epochs), rates)
    assert rates == [0.5, 0.25]
    assert trainer.param_groups[0]['lr'] == pytest.approx(0.25)
    out = capsys.readouterr().out
    summaries = re.findall(r'train loss [0-9.]+, train acc ([0-9.]+), '
                           r'test acc ([0-9.]+)\n', out)
    assert len(summaries) == 2
    assert all(0 <= float(a) <= 1 for pair in summaries for a in pair)
