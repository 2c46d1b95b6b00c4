"""Tests of d2l/performance.py: count_macs, estimate_fit_time, speedups,
and the Trainer's channels_last / mixed_precision switches."""
import re

import pytest
import torch
from torch import nn

from d2l import performance
from d2l import torch as d2l


class TinyImages(d2l.DataModule):
    """64 + 32 noisy 3x8x8 images; class 1 has a brighter channel 0."""
    def __init__(self, batch_size=16):
        super().__init__()
        self.save_hyperparameters()
        g = torch.Generator().manual_seed(1)
        self.y = torch.randint(0, 2, (96,), generator=g)
        self.X = torch.randn(96, 3, 8, 8, generator=g)
        self.X[:, 0] += self.y.reshape(-1, 1, 1) - 0.5

    def get_dataloader(self, train):
        rows = slice(0, 64) if train else slice(64, 96)
        return self.get_tensorloader((self.X, self.y), train, rows)


class TinyCNN(d2l.Classifier):
    """Conv -> BN -> ReLU -> global pool -> dense: has weights and buffers."""
    def __init__(self, lr=0.2):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))


def full_loss(model, data):
    model.eval()
    with torch.no_grad():
        return model.loss(model(data.X[:64]), data.y[:64]).item()


# ------------------------------------------------------------- count_macs

@pytest.mark.parametrize('layer, shape, macs', [
    (nn.Conv2d(3, 4, 3, padding=1), (2, 3, 5, 5), 4 * 5 * 5 * 3 * 3 * 3),
    (nn.Conv2d(4, 6, 3, padding=1, groups=2), (2, 4, 4, 4),
     6 * 4 * 4 * 2 * 3 * 3),                     # each output reads 2 of 4
    (nn.Linear(10, 7), (3, 10), 70),
    (nn.Linear(10, 7), (3, 5, 10), 5 * 70),      # per position of a sequence
    (nn.ConvTranspose2d(2, 3, 2, stride=2), (1, 2, 3, 3), 2 * 9 * 3 * 2 * 2),
])
def test_count_macs_of_single_layers(layer, shape, macs):
    assert performance.count_macs(layer, torch.zeros(shape)) == macs


def test_count_macs_of_lenet_matches_its_section():
    model = d2l.LeNet()
    X = torch.zeros(4, 1, 28, 28)
    model.apply_init([X])
    assert d2l.count_macs(model, X) == 416_520   # Section 7.6's cost table


def test_count_macs_ignores_other_layers_and_keeps_the_mode():
    model = nn.Sequential(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Dropout())
    model.train()
    assert d2l.count_macs(model, torch.zeros(2, 1, 4, 4)) == 2 * 16
    assert model.training
    assert not any(m._forward_hooks for m in model.modules())


def test_count_macs_is_deterministic_in_quick_mode(quick):
    model = nn.Sequential(nn.LazyConv2d(3, 3), nn.Flatten(), nn.LazyLinear(2))
    X = torch.randn(2, 1, 6, 6)
    assert d2l.count_macs(model, X) == d2l.count_macs(model, X) == \
        3 * 16 * 9 + 2 * 48


@pytest.mark.parametrize('model, X, error, message', [
    ('net', torch.zeros(1, 3), TypeError, 'model must be an nn.Module'),
    (nn.Linear(3, 1), [[0., 0., 0.]], TypeError, 'X must be a tensor'),
    (nn.Linear(3, 1), torch.zeros(0, 3), ValueError, r'at least one example.*'
                                                     r'\(0, 3\)'),
])
def test_count_macs_names_bad_input(model, X, error, message):
    with pytest.raises(error, match=message):
        d2l.count_macs(model, X)


# ------------------------------------------------------ estimate_fit_time

@pytest.mark.parametrize('seconds, text', [
    (0.2, 'about 1 s'), (42.4, 'about 42 s'), (600, 'about 10 min'),
    (3 * 3600 + 20 * 60, 'about 3 h 20 min'), (2 * 3600 + 58 * 60,
                                               'about 3 h'),
    (5 * 86400, 'about 5.0 days')])
def test_duration_reads_well(seconds, text):
    assert performance._duration(seconds) == text


def test_estimate_fit_time_is_silent_in_quick_mode(quick, capsys):
    model, data = TinyCNN(), TinyImages()
    before = [p.detach().clone() for p in model.parameters()]
    assert d2l.estimate_fit_time(d2l.Trainer(max_epochs=3), model,
                                 data) is None
    assert capsys.readouterr().out == ''
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_estimate_fit_time_is_silent_for_a_gpu_trainer(full, capsys):
    trainer = d2l.Trainer(max_epochs=3)
    trainer.gpus = [torch.device('cuda', 0)]     # as if one were found
    assert d2l.estimate_fit_time(trainer, TinyCNN(), TinyImages()) is None
    assert capsys.readouterr().out == ''


def test_estimate_fit_time_prints_one_line_and_restores_the_model(full,
                                                                  capsys):
    torch.manual_seed(0)
    model, data = TinyCNN(), TinyImages()
    model.eval()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    rng = torch.get_rng_state()
    seconds = d2l.estimate_fit_time(d2l.Trainer(max_epochs=3), model, data)
    out = capsys.readouterr().out
    assert out.count('\n') == 1
    assert re.match(r'Estimated time of this run on this CPU \(\d+ threads?\):'
                    r' about \d+ s \(3 epochs of 4 minibatches at [\d.e-]+ s '
                    r'each\)\. For a small run of under a minute, set '
                    r'D2L_QUICK=1\.\n$', out), out
    assert 0 < seconds < 60
    for k, v in model.state_dict().items():          # BN statistics too
        assert torch.equal(v, state[k]), k
    assert not model.training
    assert torch.equal(torch.get_rng_state(), rng)


def test_estimate_fit_time_leaves_the_following_run_unchanged(full, capsys):
    def run(estimate):
        torch.manual_seed(0)
        model, data = TinyCNN(), TinyImages()
        trainer = d2l.Trainer(max_epochs=2)
        if estimate:
            d2l.estimate_fit_time(trainer, model, data)
        trainer.fit(model, data)
        return [p.detach() for p in model.parameters()]
    assert all(torch.equal(a, b) for a, b in zip(run(False), run(True)))


def test_estimate_fit_time_clips_through_the_trainer_hook(full, capsys):
    calls = []

    class Clipping(d2l.Trainer):
        def clip_gradients(self, grad_clip_val, model):
            calls.append(grad_clip_val)

    trainer = Clipping(max_epochs=1, gradient_clip_val=0.5)
    d2l.estimate_fit_time(trainer, TinyCNN(), TinyImages(), num_steps=2)
    assert calls == [0.5, 0.5, 0.5]              # warm-up and two steps


def test_estimate_fit_time_creates_lazy_parameters_first(full, capsys):
    model = d2l.LeNet()                      # lazy layers, no apply_init yet
    data = TinyImages()
    data.X = torch.randn(96, 1, 28, 28)
    assert d2l.estimate_fit_time(d2l.Trainer(max_epochs=1), model, data) > 0
    assert not any(isinstance(p, nn.parameter.UninitializedParameter)
                   for p in model.parameters())


@pytest.mark.parametrize('args, error, message', [
    (('trainer', TinyCNN(), TinyImages()), TypeError, 'trainer must be'),
    ((None, 'model', TinyImages()), TypeError, 'model must be a d2l.Module'),
    ((None, TinyCNN(), 'data'), TypeError, 'data must be a d2l.DataModule'),
])
def test_estimate_fit_time_names_bad_input(args, error, message):
    trainer, model, data = args
    trainer = d2l.Trainer(max_epochs=1) if trainer is None else trainer
    with pytest.raises(error, match=message):
        d2l.estimate_fit_time(trainer, model, data)


def test_estimate_fit_time_refuses_zero_steps():
    with pytest.raises(ValueError, match='num_steps must be an integer >= 1'):
        d2l.estimate_fit_time(d2l.Trainer(max_epochs=1), TinyCNN(),
                              TinyImages(), num_steps=0)


# ------------------------------------------------------ speedups (plumbing)

def switched(channels_last=False, mixed_precision=False, max_epochs=1):
    return d2l.Trainer(max_epochs=max_epochs, channels_last=channels_last,
                       mixed_precision=mixed_precision)


def first_conv_input(model, X):
    """The input the first convolution of `model` receives, and its output."""
    seen = {}
    hook = model.net[0].register_forward_hook(
        lambda m, i, o: seen.update(input=i[0], output=o))
    try:
        out = model(X)
    finally:
        hook.remove()
    return seen['input'], seen['output'], out


def test_speedups_off_changes_nothing():
    model = TinyCNN()
    trainer = switched()
    with d2l.speedups(trainer, model):
        assert 'forward' not in model.__dict__
        X_in, Y, _ = first_conv_input(model, torch.randn(2, 3, 8, 8))
    assert X_in.is_contiguous() and Y.dtype == torch.float32


def test_speedups_make_weights_and_inputs_channels_last():
    model, X = TinyCNN(), torch.randn(2, 3, 8, 8)
    with d2l.speedups(switched(channels_last=True), model):
        w = model.net[0].weight
        assert w.is_contiguous(memory_format=torch.channels_last)
        assert not w.is_contiguous()             # really NHWC, not a no-op
        X_in, Y, out = first_conv_input(model, X)
        assert X_in.is_contiguous(memory_format=torch.channels_last)
        assert not X_in.is_contiguous()
        assert Y.is_contiguous(memory_format=torch.channels_last)
    assert 'forward' not in model.__dict__       # the class's forward again
    assert torch.allclose(out, model(X), atol=1e-5)


def test_speedups_autocast_to_bfloat16_on_the_cpu():
    model, X = TinyCNN(), torch.randn(2, 3, 8, 8)
    with d2l.speedups(switched(mixed_precision=True), model):
        _, Y, out = first_conv_input(model, X)
    assert performance.autocast_dtype('cpu') == torch.bfloat16
    assert Y.dtype == torch.bfloat16             # the conv ran in bf16
    assert out.dtype == torch.float32            # the loss sees float32
    assert torch.allclose(out, model(X), atol=0.05)


def test_speedups_restore_an_instance_forward_and_survive_errors():
    model = TinyCNN()
    own = model.forward
    model.forward = own                          # an instance attribute
    with pytest.raises(RuntimeError, match='boom'):
        with d2l.speedups(switched(mixed_precision=True), model):
            raise RuntimeError('boom')
    assert model.__dict__['forward'] is own


def test_to_channels_last_converts_only_4d_tensors():
    x4, x2 = torch.randn(1, 3, 2, 2), torch.randn(3, 2)
    a, b, c = performance.to_channels_last((x4, x2, 'label'))
    assert a.is_contiguous(memory_format=torch.channels_last)
    assert b is x2 and c == 'label'


# ------------------------------------------------- the Trainer's switches

def test_trainer_switches_default_off_and_published_calls_work():
    trainer = d2l.Trainer(max_epochs=10, num_gpus=1, gradient_clip_val=1)
    assert trainer.channels_last is False
    assert trainer.mixed_precision is False


@pytest.mark.parametrize('name', ['channels_last', 'mixed_precision'])
def test_trainer_switches_must_be_bools(name):
    with pytest.raises(TypeError, match=f'{name} must be bool, got int 1'):
        d2l.Trainer(max_epochs=1, **{name: 1})


def train(seed=0, **switches):
    torch.manual_seed(seed)
    model, data = TinyCNN(), TinyImages()
    before = full_loss(model, data)
    switched(max_epochs=8, **switches).fit(model, data)
    return before, full_loss(model, data), model


@pytest.mark.parametrize('switches', [
    {'channels_last': True}, {'mixed_precision': True},
    {'channels_last': True, 'mixed_precision': True}])
def test_a_model_trained_with_the_switches_still_learns(switches):
    before, after, model = train(**switches)
    assert after < 0.7 * before
    assert 'forward' not in model.__dict__


def test_switches_give_results_close_to_float32():
    _, plain, m0 = train()
    _, cl, m1 = train(channels_last=True)
    _, mixed, _ = train(mixed_precision=True)
    assert cl == pytest.approx(plain, rel=1e-4)  # same math, another layout
    assert mixed == pytest.approx(plain, abs=0.05)
    for p, q in zip(m0.parameters(), m1.parameters()):
        assert torch.allclose(p, q, atol=1e-4)
