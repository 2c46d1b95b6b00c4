"""Tests of the device helpers and the GPU-aware Trainer (Section 6.7)."""
import pytest
import torch
from torch import nn

from d2l import torch as d2l

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(),
                                reason='needs a CUDA GPU (none visible)')


def test_cpu_and_gpu_name_devices():
    assert d2l.cpu() == torch.device('cpu')
    assert d2l.gpu() == torch.device('cuda', 0)
    assert d2l.gpu(3) == torch.device('cuda', 3)


def test_gpu_rejects_bad_index():
    with pytest.raises(ValueError, match='must be an integer >= 0, got -1'):
        d2l.gpu(-1)
    with pytest.raises(TypeError, match='must be an integer, got str'):
        d2l.gpu('0')


def test_gpu_accepts_any_integer_type():
    import numpy as np
    assert d2l.gpu(np.int64(2)) == torch.device('cuda', 2)
    assert d2l.gpu(torch.tensor(1)) == torch.device('cuda', 1)


def test_num_gpus_matches_cuda():
    assert d2l.num_gpus() == torch.cuda.device_count()


def test_try_gpu_falls_back_to_cpu_without_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 0)
    monkeypatch.setattr(d2l, '_mps_available', lambda: False)
    assert d2l.try_gpu() == d2l.cpu()
    assert d2l.try_gpu(10) == d2l.cpu()
    assert d2l.try_all_gpus() == [d2l.cpu()]


def test_try_gpu_order_cuda_then_mps(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 2)
    monkeypatch.setattr(d2l, '_mps_available', lambda: True)
    assert d2l.try_gpu(1) == torch.device('cuda', 1)
    assert d2l.try_gpu(2) == d2l.cpu()
    assert d2l.try_all_gpus() == [d2l.gpu(0), d2l.gpu(1)]
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 0)
    assert d2l.try_gpu() == torch.device('mps')
    assert d2l.try_gpu(1) == d2l.cpu()
    assert d2l.try_all_gpus() == [torch.device('mps')]


def test_try_all_gpus_is_never_empty():
    devices = d2l.try_all_gpus()
    assert len(devices) >= 1
    assert all(isinstance(d, torch.device) for d in devices)


def test_try_gpu_rejects_bad_index():
    with pytest.raises(ValueError, match='must be an integer >= 0, got -2'):
        d2l.try_gpu(-2)
    with pytest.raises(TypeError, match='must be an integer, got float'):
        d2l.try_gpu(1.0)


def test_trainer_takes_available_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 2)
    monkeypatch.setattr(d2l, '_mps_available', lambda: False)
    assert d2l.Trainer(max_epochs=1, num_gpus=8).gpus == [d2l.gpu(0),
                                                           d2l.gpu(1)]
    assert d2l.Trainer(max_epochs=1, num_gpus=1).gpus == [d2l.gpu(0)]
    assert d2l.Trainer(max_epochs=1).gpus == []


def test_trainer_without_gpus_keeps_hyperparameters(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 0)
    monkeypatch.setattr(d2l, '_mps_available', lambda: False)
    trainer = d2l.Trainer(max_epochs=2, num_gpus=1, gradient_clip_val=0.5)
    assert trainer.gpus == []
    assert (trainer.max_epochs, trainer.num_gpus,
            trainer.gradient_clip_val) == (2, 1, 0.5)


def test_trainer_rejects_bad_arguments():
    with pytest.raises(ValueError, match='num_gpus must be an integer >= 0, '
                                         'got -1'):
        d2l.Trainer(max_epochs=1, num_gpus=-1)
    with pytest.raises(TypeError, match='num_gpus must be an integer, '
                                        'got float'):
        d2l.Trainer(max_epochs=1, num_gpus=1.0)
    with pytest.raises(ValueError, match='max_epochs must be an integer >= 1'):
        d2l.Trainer(max_epochs=0)
    with pytest.raises(TypeError, match='gradient_clip_val must be a real '
                                        'number, got str'):
        d2l.Trainer(max_epochs=1, gradient_clip_val='1')
    with pytest.raises(ValueError, match='gradient_clip_val must be a number '
                                         '>= 0, got -0.5'):
        d2l.Trainer(max_epochs=1, gradient_clip_val=-0.5)


def test_trainer_accepts_numpy_and_torch_integers():
    import numpy as np
    trainer = d2l.Trainer(max_epochs=np.int64(3), num_gpus=torch.tensor(0),
                          gradient_clip_val=np.float32(1.0))
    assert (trainer.max_epochs, trainer.num_gpus) == (3, 0)
    assert type(trainer.max_epochs) is int and trainer.gpus == []


def test_prepare_batch_is_identity_on_cpu():
    trainer = d2l.Trainer(max_epochs=1)
    batch = (torch.ones(2, 3), torch.zeros(2))
    assert trainer.prepare_batch(batch) is batch


def test_prepare_batch_moves_tensors_only():
    trainer = d2l.Trainer(max_epochs=1)
    trainer.gpus = [torch.device('meta')]   # any non-CPU device will do
    X, y = trainer.prepare_batch((torch.ones(2, 3), 'tag'))
    assert X.device.type == 'meta' and X.shape == (2, 3) and y == 'tag'


def _prepared(max_epochs, num_train=1000, batch_size=32):
    """A Trainer that has seen a small synthetic data module."""
    trainer = d2l.Trainer(max_epochs=max_epochs)
    trainer.prepare_data(d2l.SyntheticRegressionData(
        w=torch.tensor([2.0]), b=0.0, num_train=num_train,
        batch_size=batch_size))
    return trainer


def test_prepare_model_links_and_sizes_board(full):
    model = d2l.Module()
    trainer = _prepared(5)
    trainer.prepare_model(model)
    assert model.trainer is trainer and trainer.model is model
    assert model.board.xlim == [0, 5]


def test_prepare_model_caps_board_in_quick_mode(quick):
    model = d2l.Module()
    trainer = _prepared(50)          # 32 minibatches a run: 3 epochs fit
    trainer.prepare_model(model)
    assert model.board.xlim == [0, trainer.num_epochs]
    assert trainer.num_epochs == d2l.quickmode.cap_epochs(50, 32) < 50


def test_board_spans_every_epoch_of_a_tiny_quick_run(quick):
    model = d2l.Module()
    trainer = _prepared(10, num_train=20, batch_size=5)   # 4 a epoch
    trainer.prepare_model(model)
    assert model.board.xlim == [0, 10]


def test_prepare_model_moves_parameters():
    model = d2l.Module()
    model.net = nn.Linear(3, 1)
    trainer = _prepared(1)
    trainer.gpus = [torch.device('meta')]
    trainer.prepare_model(model)
    assert model.net.weight.device.type == 'meta'


@needs_cuda
def test_fit_on_gpu_keeps_model_on_gpu():
    model = d2l.LinearRegression(lr=0.03)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2)
    model.board.display = False
    d2l.Trainer(max_epochs=1, num_gpus=1).fit(model, data)
    assert model.net.weight.device.type == 'cuda'
