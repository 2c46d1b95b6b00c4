"""Tests of Section 4.2: FashionMNIST, its helpers, and show_images."""
import gzip
import os

import matplotlib
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')


@pytest.fixture(scope='module')
def data(mirror):
    """One quick-mode FashionMNIST at 28x28, built once for the module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv('D2L_QUICK', '1')
        data = d2l.FashionMNIST(batch_size=32)
    data.num_workers = 0          # no worker start-up cost in unit tests
    return data


def _write_idx(path, array, magic_dims):
    header = bytes([0, 0, 8, magic_dims]) + b''.join(
        int(n).to_bytes(4, 'big') for n in array.shape)
    with gzip.open(path, 'wb') as f:
        f.write(header + array.numpy().tobytes())


def test_read_idx_decodes_header_and_bytes(tmp_path):
    array = torch.arange(24, dtype=torch.uint8).reshape(2, 3, 4)
    _write_idx(tmp_path / 'x.gz', array, 3)
    out = d2l._read_idx(tmp_path / 'x.gz')
    assert out.dtype == torch.uint8 and torch.equal(out, array)


def test_read_idx_rejects_other_formats(tmp_path):
    with gzip.open(tmp_path / 'bad.gz', 'wb') as f:
        f.write(b'\x00\x00\x0d\x01' + bytes(8))   # 0x0d: float data
    with pytest.raises(ValueError, match='IDX file of unsigned bytes'):
        d2l._read_idx(tmp_path / 'bad.gz')


def test_quick_subset_is_class_balanced(data):
    assert (len(data.train), len(data.val)) == (3000, 1000)
    assert torch.equal(torch.bincount(data.train.labels, minlength=10),
                       torch.full((10,), 300))
    assert torch.equal(torch.bincount(data.val.labels, minlength=10),
                       torch.full((10,), 100))


def test_example_shape_range_and_label(data):
    X, y = data.train[0]
    assert X.shape == (1, 28, 28) and X.dtype == torch.float32
    assert 0 <= X.min() and X.max() <= 1 and X.max() > 0
    assert y.dtype == torch.int64 and 0 <= int(y) < 10


def test_real_test_split_labels(mirror):
    labels = d2l._read_idx(mirror / 'fashion-mnist' /
                           't10k-labels-idx1-ubyte.gz')
    assert labels.shape == (10000,)
    assert labels[:4].tolist() == [9, 2, 1, 1]   # boot, pullover, trouser x2


def test_dataloader_batches(data):
    train = data.train_dataloader()
    X, y = next(iter(train))
    assert X.shape == (32, 1, 28, 28) and y.shape == (32,)
    assert X.dtype == torch.float32 and y.dtype == torch.int64
    assert len(train) == -(-3000 // 32)              # last batch kept
    sizes = [len(y) for _, y in data.val_dataloader()]
    assert sum(sizes) == 1000 and sizes[-1] == 1000 % 32


def test_val_loader_is_ordered_train_loader_shuffled(data):
    _, y1 = next(iter(data.val_dataloader()))
    assert torch.equal(y1, data.val.labels[:32])
    torch.manual_seed(0)
    _, a = next(iter(data.train_dataloader()))
    torch.manual_seed(1)
    _, b = next(iter(data.train_dataloader()))
    assert not torch.equal(a, b)


def test_worker_processes_give_the_same_batches(data, monkeypatch):
    monkeypatch.delenv('D2L_QUICK', raising=False)   # workers: full mode only
    data.num_workers = 2
    try:
        loader = data.val_dataloader()
        assert loader.num_workers == min(2, os.cpu_count() or 1)
        with_workers = [y for _, y in loader]
    finally:
        data.num_workers = 0
    without = [y for _, y in data.val_dataloader()]
    assert all(torch.equal(a, b) for a, b in zip(with_workers, without))
    assert len(with_workers) == len(without) == 32


def test_quick_mode_loads_in_the_main_process(data, monkeypatch):
    monkeypatch.setenv('D2L_QUICK', '1')
    data.num_workers = 4
    try:
        loader = data.train_dataloader()
    finally:
        data.num_workers = 0
    assert loader.num_workers == 0 and not loader.persistent_workers


def test_dataset_survives_pickling_for_spawned_workers(data):
    # spawn (macOS, Windows) sends workers a pickled copy of the dataset
    import pickle
    copy = pickle.loads(pickle.dumps(data.val))
    assert type(copy) is type(data.val)
    X, y = copy[[0, 1, 2]]
    assert X.shape == (3, 1, 28, 28) and torch.equal(y, data.val.labels[:3])


def test_resize_applies_to_every_image(quick):
    small = d2l.FashionMNIST(resize=(8, 12))
    assert small.train.images.shape == (3000, 1, 8, 12)
    assert small.train.images.dtype == torch.uint8
    assert small.val[0][0].shape == (1, 8, 12)


def test_text_labels(data):
    assert data.text_labels([0, 9, 6]) == ['t-shirt', 'ankle boot', 'shirt']
    assert data.text_labels(torch.tensor(3)) == ['dress']
    assert len(data.text_labels(torch.arange(10))) == 10


def test_text_labels_rejects_out_of_range(data):
    with pytest.raises(ValueError, match=r'labels in 0\.\.9, got \[10\]'):
        data.text_labels([1, 10])


@pytest.mark.parametrize('kwargs, message', [
    (dict(batch_size=0), 'positive int batch_size, got 0'),
    (dict(resize=32), r'resize=\(height, width\).*got 32'),
    (dict(resize=(32, 0)), r'got \(32, 0\)'),
])
def test_constructor_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        d2l.FashionMNIST(**kwargs)


def test_balanced_subset():
    labels = torch.tensor([0, 1, 0, 1, 0, 2, 2])
    idx = d2l._balanced_subset(labels, 2)
    assert idx.shape == (6,)
    assert torch.equal(torch.bincount(labels[idx]), torch.tensor([2, 2, 2]))
    assert torch.equal(idx, d2l._balanced_subset(labels, 2))   # seeded
    with pytest.raises(ValueError, match='expected 3 .* only 2'):
        d2l._balanced_subset(labels, 3)


def test_show_images_grid_and_titles():
    import matplotlib.pyplot as plt
    imgs = torch.zeros(3, 4, 4)
    axes = d2l.show_images(imgs, 2, 2, titles=['a', 'b', 'c'])
    assert axes.shape == (4,)
    assert [ax.get_title() for ax in axes] == ['a', 'b', 'c', '']
    plt.close('all')
    with pytest.raises(ValueError, match='at least 1 x 1, got 0 x 2'):
        d2l.show_images(imgs, 0, 2)


def test_visualize_titles_with_class_names(data):
    import matplotlib.pyplot as plt
    X, y = next(iter(data.val_dataloader()))
    data.visualize((X, y), nrows=1, ncols=4)
    titles = [ax.get_title() for ax in plt.gcf().axes]
    assert titles == data.text_labels(y[:4])
    plt.close('all')


def test_decoded_tensors_are_cached_beside_the_download(data):
    url, sha1 = d2l.DATA_HUB['fashion-mnist-t10k-labels']
    path = d2l.download(url, data.root, sha1)
    cache = f'{path}.{sha1[:8]}.pt'
    assert os.path.exists(cache)
    assert torch.equal(torch.load(cache), data._read(
        'fashion-mnist-t10k-labels'))
    assert data._read('fashion-mnist-t10k-labels').shape == (10000,)
