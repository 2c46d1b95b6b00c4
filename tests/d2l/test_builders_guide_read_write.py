"""Tests of Section 6.6: d2l.save_checkpoint and d2l.load_checkpoint."""
import os
import random

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l


def _make(seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.Dropout(0.5),
                          nn.LazyLinear(1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    return model, optimizer


def _train(model, optimizer, data, first, last, path):
    curve = []
    for epoch in range(first, last):
        model.train()
        total, n = 0.0, 0
        for X, y in data.train_dataloader():
            loss = F.mse_loss(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, n = total + loss.item(), n + 1
        curve.append(total / n)
        d2l.save_checkpoint(path, model, optimizer, epoch + 1)
    return curve


@pytest.fixture
def data():
    torch.manual_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([1.0, -2.0]), b=0.5,
                                       num_train=96, num_val=0,
                                       batch_size=16)


def test_resumed_run_gives_the_uninterrupted_curve(tmp_path, data):
    model, optimizer = _make(1)
    full = _train(model, optimizer, data, 0, 4, tmp_path / 'a.ckpt')
    model, optimizer = _make(1)
    first = _train(model, optimizer, data, 0, 2, tmp_path / 'b.ckpt')
    model, optimizer = _make(7)                       # other weights, RNG
    start = d2l.load_checkpoint(tmp_path / 'b.ckpt', model, optimizer)
    rest = _train(model, optimizer, data, start, 4, tmp_path / 'b.ckpt')
    assert start == 2
    assert first + rest == full                       # exactly equal


def test_without_the_rng_state_the_curve_differs(tmp_path, data):
    """The RNG state is what makes shuffling and dropout repeat."""
    model, optimizer = _make(1)
    full = _train(model, optimizer, data, 0, 3, tmp_path / 'a.ckpt')
    model, optimizer = _make(1)
    first = _train(model, optimizer, data, 0, 1, tmp_path / 'b.ckpt')
    state = torch.load(tmp_path / 'b.ckpt')
    model, optimizer = _make(7)
    model.load_state_dict(state['model'])
    optimizer.load_state_dict(state['optimizer'])
    rest = _train(model, optimizer, data, 1, 3, tmp_path / 'b.ckpt')
    assert first == full[:1] and first + rest != full


def test_round_trip_restores_every_part(tmp_path):
    model, optimizer = _make(0)
    model(torch.randn(4, 3)).sum().backward()
    optimizer.step()                                  # momentum buffers
    random.seed(5)
    d2l.save_checkpoint(tmp_path / 'c.ckpt', model, optimizer, 3)
    expected = (torch.rand(3), random.random())
    other, other_opt = _make(9)
    assert d2l.load_checkpoint(tmp_path / 'c.ckpt', other, other_opt) == 3
    assert (torch.rand(3).tolist(), random.random()) == (
        expected[0].tolist(), expected[1])
    for p, q in zip(model.parameters(), other.parameters()):
        assert torch.equal(p, q)
    buf = optimizer.state_dict()['state'][0]['momentum_buffer']
    assert torch.equal(other_opt.state_dict()['state'][0]['momentum_buffer'],
                       buf)


def test_loading_into_a_lazy_model_keeps_the_loaded_weights(tmp_path):
    model, optimizer = _make(0)
    X = torch.randn(5, 3)
    model.eval()
    Y = model(X)                                      # (5, 1)
    d2l.save_checkpoint(tmp_path / 'd.ckpt', model, optimizer, 1)
    lazy, _ = _make(3)                                # never run forward
    d2l.load_checkpoint(tmp_path / 'd.ckpt', lazy)    # no optimizer: fine
    lazy.eval()
    assert torch.equal(lazy(X), Y)                    # first forward keeps them
    assert isinstance(lazy[0], nn.Linear) and lazy[0].in_features == 3


def test_load_into_a_lazy_d2l_module_then_dry_run_keeps_weights(tmp_path):
    class Net(d2l.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(),
                                     nn.LazyLinear(2))

    src = Net()
    src.apply_init([torch.randn(2, 6)])
    opt = torch.optim.SGD(src.parameters(), lr=0.1)
    d2l.save_checkpoint(tmp_path / 'e.ckpt', src, opt, 0)
    dst = Net()
    d2l.load_checkpoint(tmp_path / 'e.ckpt', dst)
    dst.apply_init([torch.randn(2, 6)])               # dry run, no init
    for p, q in zip(src.parameters(), dst.parameters()):
        assert torch.equal(p, q)


def test_checkpoint_file_shape_and_no_leftovers(tmp_path):
    model, optimizer = _make(0)
    model(torch.randn(2, 3))
    d2l.save_checkpoint(tmp_path / 'f.ckpt', model, optimizer, np.int64(4))
    assert os.listdir(tmp_path) == ['f.ckpt']         # the .part is renamed
    state = torch.load(tmp_path / 'f.ckpt')           # weights_only: plain
    assert sorted(state) == ['epoch', 'model', 'optimizer', 'rng']
    assert state['epoch'] == 4 and type(state['epoch']) is int
    assert sorted(state['model']) == ['0.bias', '0.weight', '3.bias',
                                      '3.weight']


def test_bad_epoch_is_refused(tmp_path):
    model, optimizer = _make(0)
    with pytest.raises(ValueError, match='epoch must be an integer >= 0'):
        d2l.save_checkpoint(tmp_path / 'g.ckpt', model, optimizer, -1)
    with pytest.raises(TypeError, match='epoch must be an integer'):
        d2l.save_checkpoint(tmp_path / 'g.ckpt', model, optimizer, 1.5)
    with pytest.raises(TypeError, match='epoch must be an integer'):
        d2l.save_checkpoint(tmp_path / 'g.ckpt', model, optimizer, True)


def test_a_plain_state_dict_is_not_a_checkpoint(tmp_path):
    model, _ = _make(0)
    model(torch.randn(2, 3))
    torch.save(model.state_dict(), tmp_path / 'h.params')
    with pytest.raises(ValueError, match='not a checkpoint of save_checkp'):
        d2l.load_checkpoint(tmp_path / 'h.params', model)


def test_missing_optimizer_state_is_named_not_a_key_error(tmp_path):
    model, optimizer = _make(0)
    model(torch.randn(2, 3))
    d2l.save_checkpoint(tmp_path / 'i.ckpt', model, optimizer, 2)
    state = torch.load(tmp_path / 'i.ckpt')
    del state['optimizer']                         # e.g. written by other code
    torch.save(state, tmp_path / 'i.ckpt')
    other, other_opt = _make(5)
    with pytest.raises(ValueError, match='holds no optimizer state; pass '
                                         'optimizer=None'):
        d2l.load_checkpoint(tmp_path / 'i.ckpt', other, other_opt)
    assert d2l.load_checkpoint(tmp_path / 'i.ckpt', other) == 2
    for p, q in zip(model.parameters(), other.parameters()):
        assert torch.equal(p, q)


def test_not_a_checkpoint_message_lists_the_required_keys(tmp_path):
    torch.save({'model': {}, 'epoch': 0}, tmp_path / 'j.ckpt')
    model, _ = _make(0)
    with pytest.raises(ValueError, match=r'\(expected keys model, epoch, '
                                         r'rng\)'):
        d2l.load_checkpoint(tmp_path / 'j.ckpt', model)


def test_gpu_rng_states_for_another_gpu_count_are_skipped_with_a_warning(
        tmp_path, monkeypatch):
    model, optimizer = _make(0)
    model(torch.randn(2, 3))
    d2l.save_checkpoint(tmp_path / 'k.ckpt', model, optimizer, 1)
    state = torch.load(tmp_path / 'k.ckpt')
    saved = torch.cuda.device_count() + 1          # never what is visible
    state['rng']['cuda'] = [torch.zeros(8, dtype=torch.uint8)] * saved
    torch.save(state, tmp_path / 'k.ckpt')
    restored = []
    monkeypatch.setattr(torch.cuda, 'set_rng_state_all', restored.append)
    torch.manual_seed(3)
    with pytest.warns(UserWarning, match=f'GPU generator states for {saved} '
                                         r'GPU\(s\) but \d+ are visible'):
        d2l.load_checkpoint(tmp_path / 'k.ckpt', model, optimizer)
    assert restored == []                          # nothing was set
    assert torch.equal(torch.get_rng_state(), state['rng']['torch'])


def test_matching_gpu_count_restores_without_a_warning(tmp_path, recwarn):
    model, optimizer = _make(0)
    model(torch.randn(2, 3))
    d2l.save_checkpoint(tmp_path / 'l.ckpt', model, optimizer, 1)
    d2l.load_checkpoint(tmp_path / 'l.ckpt', model, optimizer)
    assert not [w for w in recwarn if 'GPU generator' in str(w.message)]
