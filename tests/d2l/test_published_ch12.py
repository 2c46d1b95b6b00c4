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
