"""Tests of the saved code of Section 13.5 (multiple-gpus): split_batch."""
import re

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


# --- the section's notebook-local code, run as the reader sees it -----------

def function_cells(path, names):
    """Source of the top-level functions `names` defined in path's cells
    (a cell may go on with code that uses them; only the def is kept)."""
    cells = re.findall(r'^```python\n(.*?)^```', path.read_text(),
                       flags=re.S | re.M)
    found = {}
    for cell in cells:
        lines = cell.splitlines()
        for i, line in enumerate(lines):
            name = re.match(r'def (\w+)\(', line)
            if name and name.group(1) in names:
                end = i + 1
                while end < len(lines) and (not lines[end].strip() or
                                            lines[end][0] in ' #'):
                    end += 1
                found[name.group(1)] = '\n'.join(lines[i:end])
    assert set(found) == set(names), sorted(found)
    return found


@pytest.fixture(scope='module')
def section():
    """The section's replicate/gather_all_reduce/train_batch and its model."""
    from torch.nn import functional as F
    from test_distributed_gloo import SECTION, written_files
    ns = {'torch': torch, 'F': F, 'd2l': d2l,
          'split_batch': d2l.split_batch}
    exec(written_files()['model.py'], ns)
    for source in function_cells(SECTION, ('replicate', 'gather_all_reduce',
                                           'train_batch')).values():
        exec(source, ns)
    return ns


def test_gather_all_reduce_sums_in_place(section):
    tensors = [torch.tensor([1.0, 2.0]), torch.tensor([10.0, 20.0]),
               torch.tensor([100.0, 200.0])]
    section['gather_all_reduce'](tensors)
    assert all(t.tolist() == [111.0, 222.0] for t in tensors)


def test_lenet_shapes_and_parameter_count(section):
    params = section['init_params']()
    assert [tuple(p.shape) for p in params[::2]] == [
        (16, 1, 3, 3), (32, 16, 5, 5), (512, 128), (128, 10)]
    assert sum(p.numel() for p in params) == 79946
    assert section['lenet'](torch.zeros(3, 1, 28, 28), params).shape == \
        (3, 10)


def test_three_replicas_take_the_single_device_step(section):
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(7, 1, 28, 28, generator=gen, dtype=torch.float64)
    y = torch.randint(0, 10, (7,), generator=gen)
    params = [p.double() for p in section['init_params'](seed=1)]
    devices = ['cpu'] * 3
    single = section['replicate'](params, 'cpu')
    replicas = [section['replicate'](params, d) for d in devices]
    section['train_batch'](X, y, [single], devices[:1], 0.5)
    section['train_batch'](X, y, replicas, devices, 0.5)
    for replica in replicas:
        for p, q in zip(replica, single):
            torch.testing.assert_close(p, q, rtol=0, atol=1e-12)
