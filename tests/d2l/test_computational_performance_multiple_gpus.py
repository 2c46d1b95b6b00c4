"""Tests of the saved code of Section 13.5 (multiple-gpus): split_batch."""
import pytest
import torch

from d2l import torch as d2l

needs_two_gpus = pytest.mark.skipif(torch.cuda.device_count() < 2,
                                    reason='needs 2 CUDA GPUs')


def test_split_batch_values_on_hand_checkable_input():
    X = torch.arange(10).reshape(5, 2)
    y = torch.tensor([9, 8, 7, 6, 5])
    X_shards, y_shards = d2l.split_batch(X, y, ['cpu', 'cpu'])
    assert [x.tolist() for x in X_shards] == [[[0, 1], [2, 3], [4, 5]],
                                              [[6, 7], [8, 9]]]
    assert [t.tolist() for t in y_shards] == [[9, 8, 7], [6, 5]]


def test_split_batch_shapes_and_devices():
    X, y = torch.zeros(10, 1, 4, 4), torch.zeros(10, dtype=torch.long)
    devices = [torch.device('cpu')] * 4
    X_shards, y_shards = d2l.split_batch(X, y, devices)
    assert [x.shape[0] for x in X_shards] == [3, 3, 2, 2]
    assert all(x.shape[1:] == (1, 4, 4) for x in X_shards)
    assert [t.shape for t in y_shards] == [(3,), (3,), (2,), (2,)]
    assert all(x.device == torch.device('cpu') for x in X_shards)
    assert torch.equal(torch.cat(X_shards), X)


def test_split_batch_one_device_and_one_example_each():
    X, y = torch.randn(3, 2), torch.arange(3)
    (X0,), (y0,) = d2l.split_batch(X, y, [d2l.cpu()])
    assert torch.equal(X0, X) and torch.equal(y0, y)
    X_shards, _ = d2l.split_batch(X, y, ['cpu'] * 3)
    assert [x.shape[0] for x in X_shards] == [1, 1, 1]


def test_split_batch_accepts_any_iterable_of_devices():
    X, y = torch.randn(4, 2), torch.arange(4)
    X_shards, _ = d2l.split_batch(X, y, (d for d in ['cpu', 'cpu']))
    assert len(X_shards) == 2


def test_split_batch_bad_inputs():
    X, y = torch.zeros(4, 3), torch.zeros(4)
    with pytest.raises(ValueError, match='as many examples, got 4 and 3'):
        d2l.split_batch(X, torch.zeros(3), ['cpu'])
    with pytest.raises(ValueError, match='at least one device, got none'):
        d2l.split_batch(X, y, [])
    with pytest.raises(ValueError, match='minibatch of 4 examples cannot '
                                         'give each of 5 devices one'):
        d2l.split_batch(X, y, ['cpu'] * 5)
    with pytest.raises(ValueError, match='need a batch axis'):
        d2l.split_batch(torch.tensor(1.0), y, ['cpu'])
    with pytest.raises(TypeError, match='X must be Tensor, got list'):
        d2l.split_batch([[1.0]], torch.zeros(1), ['cpu'])
    with pytest.raises(TypeError, match='y must be Tensor'):
        d2l.split_batch(X, [0, 1, 2, 3], ['cpu'])


def test_split_batch_keeps_gradients_flowing():
    X = torch.randn(6, 3, requires_grad=True)
    X_shards, _ = d2l.split_batch(X, torch.arange(6), ['cpu', 'cpu'])
    sum(x.sum() for x in X_shards).backward()
    assert torch.equal(X.grad, torch.ones(6, 3))


@needs_two_gpus
def test_split_batch_on_two_gpus():
    X, y = torch.arange(20.).reshape(4, 5), torch.arange(4)
    X_shards, y_shards = d2l.split_batch(X, y, ['cuda:0', 'cuda:1'])
    assert [x.device.index for x in X_shards] == [0, 1]
    assert [t.device.index for t in y_shards] == [0, 1]
    assert torch.equal(torch.cat([x.cpu() for x in X_shards]), X)
