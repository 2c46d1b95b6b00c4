"""Chapter 12 code written the way the published book does, run against our
package.

Each test is a reader's cell as it would be typed with the published package
(d2l 1.0.3) in mind: `annotate` copied locally or called as `d2l.annotate`,
curves drawn with `d2l.plot`, two-dimensional optimizers run with
`d2l.train_2d` and drawn with `d2l.show_trace_2d`, and the airfoil helpers of
Section 12.5 driving from-scratch and `torch.optim` optimizers. Only the
asserts are ours.
"""
import math

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
    def f(x):
        return x * torch.cos(np.pi * x)

    def g(x):
        return f(x) + 0.2 * torch.cos(5 * np.pi * x)

    x = torch.arange(0.5, 1.5, 0.01)
    d2l.set_figsize((4.5, 2.5))
    d2l.plot(x, [f(x), g(x)], 'x', 'risk')
    d2l.annotate('min of\nempirical risk', (1.0, -1.2), (0.5, -1.1))
    d2l.annotate('min of risk', (1.1, -1.05), (0.95, -0.5))
    texts = [t.get_text() for t in d2l.plt.gca().texts]
    assert texts == ['min of\nempirical risk', 'min of risk']


def test_saddle_wireframe_and_tanh():
    x, y = torch.meshgrid(torch.linspace(-1.0, 1.0, 101),
                          torch.linspace(-1.0, 1.0, 101), indexing='ij')
    z = x**2 - y**2
    ax = d2l.plt.figure().add_subplot(111, projection='3d')
    ax.plot_wireframe(x, y, z, **{'rstride': 10, 'cstride': 10})
    ax.plot([0], [0], [0], 'rx')
    ticks = [-1, 0, 1]
    d2l.plt.xticks(ticks)
    d2l.plt.yticks(ticks)
    ax.set_zticks(ticks)
    d2l.plt.xlabel('x')
    d2l.plt.ylabel('y')
    d2l.plt.close('all')
    x = torch.arange(-2.0, 5.0, 0.01)
    d2l.plot(x, [torch.tanh(x)], 'x', 'f(x)')
    d2l.annotate('vanishing gradient', (4, 1), (2, 0.0))
    assert len(d2l.plt.gca().texts) == 1


# --- 12.2 --------------------------------------------------------------------

def test_convex_function_panels():
    f = lambda x: 0.5 * x**2  # noqa: E731
    g = lambda x: torch.cos(np.pi * x)  # noqa: E731
    h = lambda x: torch.exp(0.5 * x)  # noqa: E731
    x, segment = torch.arange(-2, 2, 0.01), torch.tensor([-1.5, 1])
    d2l.use_svg_display()
    _, axes = d2l.plt.subplots(1, 3, figsize=(9, 3))
    for ax, func in zip(axes, [f, g, h]):
        d2l.plot([x, segment], [func(x), func(segment)], axes=ax)
    assert all(len(ax.lines) == 2 for ax in axes)


# --- 12.3 --------------------------------------------------------------------

def gd(eta, f_grad):
    x = 10.0
    results = [x]
    for i in range(10):
        x -= eta * f_grad(x)
        results.append(float(x))
    print(f'epoch 10, x: {x:f}')
    return results


def show_trace(results, f):
    n = max(abs(min(results)), abs(max(results)))
    f_line = torch.arange(-n, n, 0.01)
    d2l.set_figsize()
    d2l.plot([f_line, results], [[f(x) for x in f_line], [
        f(x) for x in results]], 'x', 'f(x)', fmts=['-', '-o'])


def test_one_dimensional_gd(capsys):
    def f(x):
        return x ** 2

    def f_grad(x):
        return 2 * x

    show_trace(gd(0.2, f_grad), f)
    show_trace(gd(1.1, f_grad), f)
    assert capsys.readouterr().out == ('epoch 10, x: 0.060466\n'
                                       'epoch 10, x: 61.917364\n')


def test_two_dimensional_gd(capsys):
    def f_2d(x1, x2):
        return x1 ** 2 + 2 * x2 ** 2

    def f_2d_grad(x1, x2):
        return (2 * x1, 4 * x2)

    def gd_2d(x1, x2, s1, s2, f_grad):
        g1, g2 = f_grad(x1, x2)
        return (x1 - eta * g1, x2 - eta * g2, 0, 0)

    eta = 0.1
    d2l.show_trace_2d(f_2d, d2l.train_2d(gd_2d, f_grad=f_2d_grad))
    assert capsys.readouterr().out == 'epoch 20, x1: -0.057646, x2: -0.000073\n'


def test_newton_on_cosh(capsys):
    c = torch.tensor(0.5)

    def f(x):
        return torch.cosh(c * x)

    def f_grad(x):
        return c * torch.sinh(c * x)

    def f_hess(x):
        return c**2 * torch.cosh(c * x)

    def newton(eta=1):
        x = 10.0
        results = [x]
        for i in range(10):
            x -= eta * f_grad(x) / f_hess(x)
            results.append(float(x))
        print('epoch 10, x:', x)
        return results

    show_trace(newton(), f)
    assert capsys.readouterr().out == 'epoch 10, x: tensor(0.)\n'


# --- 12.4 --------------------------------------------------------------------

t = 1


def test_sgd_with_schedules(capsys):
    def f(x1, x2):
        return x1 ** 2 + 2 * x2 ** 2

    def f_grad(x1, x2):
        return 2 * x1, 4 * x2

    def sgd(x1, x2, s1, s2, f_grad):
        g1, g2 = f_grad(x1, x2)
        g1 += torch.normal(0.0, 1, (1,)).item()
        g2 += torch.normal(0.0, 1, (1,)).item()
        eta_t = eta * lr()
        return (x1 - eta_t * g1, x2 - eta_t * g2, 0, 0)

    def constant_lr():
        return 1

    def exponential_lr():
        global t
        t += 1
        return math.exp(-0.1 * t)

    def polynomial_lr():
        global t
        t += 1
        return (1 + 0.1 * t) ** (-0.5)

    global t
    torch.manual_seed(0)
    eta, lr = 0.1, constant_lr
    d2l.show_trace_2d(f, d2l.train_2d(sgd, steps=50, f_grad=f_grad))
    t, lr = 1, exponential_lr
    d2l.show_trace_2d(f, d2l.train_2d(sgd, steps=1000, f_grad=f_grad))
    assert t == 1001
    t, lr = 1, polynomial_lr
    results = d2l.train_2d(sgd, steps=50, f_grad=f_grad)
    d2l.show_trace_2d(f, results)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(',')[0] for line in lines] == ['epoch 50', 'epoch 1000',
                                                      'epoch 50']
    assert len(results) == 51 and math.hypot(*results[-1]) < 2


# --- 12.5 --------------------------------------------------------------------

def test_timer_on_matrix_products():
    timer = d2l.Timer()
    A = torch.zeros(32, 32)
    B = torch.randn(32, 32)
    C = torch.randn(32, 32)
    timer.start()
    for i in range(32):
        for j in range(32):
            A[i, j] = torch.dot(B[i, :], C[:, j])
    timer.stop()
    timer.start()
    for j in range(32):
        A[:, j] = torch.mv(B, C[:, j])
    timer.stop()
    timer.start()
    A = torch.mm(B, C)
    timer.stop()
    gigaflops = [0.03 / i for i in timer.times]
    assert len(gigaflops) == 3 and timer.sum() == pytest.approx(
        timer.cumsum()[-1])
    torch.testing.assert_close(A, B @ C)


def sgd(params, states, hyperparams):
    for p in params:
        p.data.sub_(hyperparams['lr'] * p.grad)
        p.grad.data.zero_()


def train_sgd(lr, batch_size, num_epochs=2):
    data_iter, feature_dim = d2l.get_data_ch11(batch_size)
    return d2l.train_ch11(
        sgd, None, {'lr': lr}, data_iter, feature_dim, num_epochs)


def test_minibatch_sgd_on_airfoil(mirror, capsys):
    gd_res = train_sgd(1, 1500, 2)
    mini1_res = train_sgd(.4, 100)
    d2l.set_figsize([6, 3])
    d2l.plot(*list(map(list, zip(gd_res, mini1_res))),
             'time (sec)', 'loss', xlim=[1e-2, 10],
             legend=['gd', 'batch size=100'])
    d2l.plt.gca().set_xscale('log')
    out = capsys.readouterr().out
    assert out.count('loss: ') == 2 and 'sec/epoch' in out
    final = float(out.splitlines()[-1].split('loss: ')[1].split(',')[0])
    assert final < 0.3                      # standardized targets: var 1/2


def test_concise_sgd_on_airfoil(mirror, capsys):
    data_iter, _ = d2l.get_data_ch11(10)
    trainer = torch.optim.SGD
    d2l.train_concise_ch11(trainer, {'lr': 0.01}, data_iter, num_epochs=1)
    assert 'loss: ' in capsys.readouterr().out


# --- 12.6 --------------------------------------------------------------------

def test_momentum_in_two_dimensions(capsys):
    eta = 0.4

    def f_2d(x1, x2):
        return 0.1 * x1 ** 2 + 2 * x2 ** 2

    def gd_2d(x1, x2, s1, s2):
        return (x1 - eta * 0.2 * x1, x2 - eta * 4 * x2, 0, 0)

    d2l.show_trace_2d(f_2d, d2l.train_2d(gd_2d))

    def momentum_2d(x1, x2, v1, v2):
        v1 = beta * v1 + 0.2 * x1
        v2 = beta * v2 + 4 * x2
        return x1 - eta * v1, x2 - eta * v2, v1, v2

    eta, beta = 0.6, 0.5
    d2l.show_trace_2d(f_2d, d2l.train_2d(momentum_2d))
    assert capsys.readouterr().out.splitlines() == [
        'epoch 20, x1: -0.943467, x2: -0.000073',
        'epoch 20, x1: 0.007188, x2: 0.002553']


def test_momentum_on_airfoil(mirror):
    def init_momentum_states(feature_dim):
        v_w = torch.zeros((feature_dim, 1))
        v_b = torch.zeros(1)
        return (v_w, v_b)

    def sgd_momentum(params, states, hyperparams):
        for p, v in zip(params, states):
            with torch.no_grad():
                v[:] = hyperparams['momentum'] * v + p.grad
                p[:] -= hyperparams['lr'] * v
            p.grad.data.zero_()

    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    res = d2l.train_ch11(sgd_momentum, init_momentum_states(feature_dim),
                         {'lr': 0.02, 'momentum': 0.5}, data_iter,
                         feature_dim, num_epochs=1)
    assert res[1][-1] < 0.3
    trainer = torch.optim.SGD
    d2l.train_concise_ch11(trainer, {'lr': 0.005, 'momentum': 0.9},
                           data_iter, num_epochs=1)


# --- 12.7 and 12.8 -------------------------------------------------------------

def test_adagrad_and_rmsprop_in_two_dimensions(capsys):
    def f_2d(x1, x2):
        return 0.1 * x1 ** 2 + 2 * x2 ** 2

    def adagrad_2d(x1, x2, s1, s2):
        eps = 1e-6
        g1, g2 = 0.2 * x1, 4 * x2
        s1 += g1 ** 2
        s2 += g2 ** 2
        x1 -= eta / math.sqrt(s1 + eps) * g1
        x2 -= eta / math.sqrt(s2 + eps) * g2
        return x1, x2, s1, s2

    def rmsprop_2d(x1, x2, s1, s2):
        g1, g2, eps = 0.2 * x1, 4 * x2, 1e-6
        s1 = gamma * s1 + (1 - gamma) * g1 ** 2
        s2 = gamma * s2 + (1 - gamma) * g2 ** 2
        x1 -= eta / math.sqrt(s1 + eps) * g1
        x2 -= eta / math.sqrt(s2 + eps) * g2
        return x1, x2, s1, s2

    eta = 0.4
    d2l.show_trace_2d(f_2d, d2l.train_2d(adagrad_2d))
    eta = 2
    d2l.show_trace_2d(f_2d, d2l.train_2d(adagrad_2d))
    eta, gamma = 0.4, 0.9
    d2l.show_trace_2d(f_2d, d2l.train_2d(rmsprop_2d))
    assert capsys.readouterr().out.splitlines() == [
        'epoch 20, x1: -2.382563, x2: -0.158591',
        'epoch 20, x1: -0.002295, x2: -0.000000',
        'epoch 20, x1: -0.010599, x2: 0.000000']


def init_two_states(feature_dim):
    return ((torch.zeros((feature_dim, 1)), torch.zeros((feature_dim, 1))),
            (torch.zeros(1), torch.zeros(1)))


def test_adagrad_rmsprop_adadelta_adam_on_airfoil(mirror):
    def adagrad(params, states, hyperparams):
        eps = 1e-6
        for p, s in zip(params, states):
            with torch.no_grad():
                s[:] += torch.square(p.grad)
                p[:] -= hyperparams['lr'] * p.grad / torch.sqrt(s + eps)
            p.grad.data.zero_()

    def rmsprop(params, states, hyperparams):
        gamma, eps = hyperparams['gamma'], 1e-6
        for p, s in zip(params, states):
            with torch.no_grad():
                s[:] = gamma * s + (1 - gamma) * torch.square(p.grad)
                p[:] -= hyperparams['lr'] * p.grad / torch.sqrt(s + eps)
            p.grad.data.zero_()

    def adadelta(params, states, hyperparams):
        rho, eps = hyperparams['rho'], 1e-5
        for p, (s, delta) in zip(params, states):
            with torch.no_grad():
                s[:] = rho * s + (1 - rho) * torch.square(p.grad)
                g = (torch.sqrt(delta + eps) / torch.sqrt(s + eps)) * p.grad
                p[:] -= g
                delta[:] = rho * delta + (1 - rho) * g * g
            p.grad.data.zero_()

    def adam(params, states, hyperparams):
        beta1, beta2, eps = 0.9, 0.999, 1e-6
        for p, (v, s) in zip(params, states):
            with torch.no_grad():
                v[:] = beta1 * v + (1 - beta1) * p.grad
                s[:] = beta2 * s + (1 - beta2) * torch.square(p.grad)
                v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
                s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
                p[:] -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(
                    s_bias_corr) + eps)
            p.grad.data.zero_()
        hyperparams['t'] += 1

    def init_one_state(feature_dim):
        return (torch.zeros((feature_dim, 1)), torch.zeros(1))

    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10, n=500)
    runs = [(adagrad, init_one_state, {'lr': 0.1}),
            (rmsprop, init_one_state, {'lr': 0.01, 'gamma': 0.9}),
            (adadelta, init_two_states, {'rho': 0.9}),
            (adam, init_two_states, {'lr': 0.01, 't': 1})]
    for fn, init, hyperparams in runs:
        _, losses = d2l.train_ch11(fn, init(feature_dim), hyperparams,
                                   data_iter, feature_dim, num_epochs=1)
        assert losses[-1] < 0.4, fn.__name__
    for trainer, hyperparams in [(torch.optim.Adagrad, {'lr': 0.1}),
                                 (torch.optim.RMSprop,
                                  {'lr': 0.01, 'alpha': 0.9}),
                                 (torch.optim.Adadelta, {'rho': 0.9}),
                                 (torch.optim.Adam, {'lr': 0.01})]:
        d2l.train_concise_ch11(trainer, hyperparams, data_iter, num_epochs=1)


# --- 12.11 ---------------------------------------------------------------------

def test_schedulers_and_the_training_loop(capsys):
    from torch import nn
    from torch.optim import lr_scheduler

    def net_fn():
        model = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10))
        return model

    loss = nn.CrossEntropyLoss()
    device = d2l.try_gpu()
    torch.manual_seed(0)
    train_iter = [(torch.randn(8, 1, 28, 28), torch.randint(10, (8,)))
                  for _ in range(3)]
    test_iter = train_iter[:1]

    def train(net, train_iter, test_iter, num_epochs, loss, trainer, device,
              scheduler=None):
        net.to(device)
        animator = d2l.Animator(xlabel='epoch', xlim=[0, num_epochs],
                                legend=['train loss', 'train acc',
                                        'test acc'])
        for epoch in range(num_epochs):
            metric = d2l.Accumulator(3)
            for i, (X, y) in enumerate(train_iter):
                net.train()
                trainer.zero_grad()
                X, y = X.to(device), y.to(device)
                y_hat = net(X)
                l = loss(y_hat, y)
                l.backward()
                trainer.step()
                with torch.no_grad():
                    metric.add(l * X.shape[0], d2l.accuracy(y_hat, y),
                               X.shape[0])
                train_loss = metric[0] / metric[2]
                train_acc = metric[1] / metric[2]
                if (i + 1) % 50 == 0:
                    animator.add(epoch + i / len(train_iter),
                                 (train_loss, train_acc, None))
            test_acc = d2l.evaluate_accuracy_gpu(net, test_iter)
            animator.add(epoch + 1, (None, None, test_acc))
            if scheduler:
                if scheduler.__module__ == lr_scheduler.__name__:
                    scheduler.step()
                else:
                    for param_group in trainer.param_groups:
                        param_group['lr'] = scheduler(epoch)
        print(f'train loss {train_loss:.3f}, train acc {train_acc:.3f}, '
              f'test acc {test_acc:.3f}')

    class SquareRootScheduler:
        def __init__(self, lr=0.1):
            self.lr = lr

        def __call__(self, num_update):
            return self.lr * pow(num_update + 1.0, -0.5)

    num_epochs = 2
    net = net_fn()
    trainer = torch.optim.SGD(net.parameters(), lr=0.3)
    scheduler = SquareRootScheduler(lr=0.1)
    d2l.plot(torch.arange(num_epochs), [scheduler(t)
                                        for t in range(num_epochs)])
    train(net, train_iter, test_iter, num_epochs, loss, trainer, device,
          scheduler)
    assert trainer.param_groups[0]['lr'] == pytest.approx(0.1 / 2 ** 0.5)

    net = net_fn()
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    scheduler = lr_scheduler.MultiStepLR(trainer, milestones=[1], gamma=0.5)

    def get_lr(trainer, scheduler):
        lr = scheduler.get_last_lr()[0]
        trainer.step()
        scheduler.step()
        return lr

    d2l.plot(torch.arange(num_epochs), [get_lr(trainer, scheduler)
                                        for t in range(num_epochs)])
    assert trainer.param_groups[0]['lr'] == pytest.approx(0.25)
    out = capsys.readouterr().out
    assert 'train loss ' in out and 'test acc' in out
