"""Tests of Section 4.2: FashionMNIST, show_images (plumbing: test_fashion)."""
import matplotlib
import numpy as np
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')


@pytest.fixture(scope='module')
def data(mirror):
    """One quick-mode FashionMNIST at 28x28, built once for the module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv('D2L_QUICK', '1')
        return d2l.FashionMNIST(batch_size=32)


def test_splits_expose_torchvision_attributes(data):
    assert (len(data.train), len(data.val)) == (3000, 1000)
    assert data.train.data.shape == (3000, 28, 28)
    assert data.train.data.dtype == torch.uint8
    assert data.val.targets.shape == (1000,)
    assert data.val.targets.dtype == torch.int64
    assert data.train.classes[:2] == ['T-shirt/top', 'Trouser']
    assert data.train.classes == list(d2l.fashion.TORCHVISION_CLASSES)
    assert data.train.images is data.train.data          # no resize asked


def test_example_shape_range_and_label(data):
    X, y = data.train[0]
    assert X.shape == (1, 28, 28) and X.dtype == torch.float32
    assert 0 <= X.min() and X.max() <= 1 and X.max() > 0
    assert isinstance(y, int) and 0 <= y < 10


def test_hyperparameters_and_default_workers(data):
    assert data.batch_size == 32 and data.resize == (28, 28)
    assert data.num_workers == 0 and data.root == '../data'


def test_any_integral_batch_size(mirror, quick):
    data = d2l.FashionMNIST(batch_size=np.int64(16), resize=(28, 28))
    assert type(data.batch_size) is int
    assert next(iter(data.val_dataloader()))[0].shape == (16, 1, 28, 28)
    data = d2l.FashionMNIST(batch_size=torch.tensor(8))
    assert len(next(iter(data.train_dataloader()))[1]) == 8


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(batch_size=0), ValueError, 'batch_size must be an integer >= 1'),
    (dict(batch_size=True), TypeError, 'batch_size must be an integer'),
    (dict(batch_size=6.4), TypeError, 'batch_size must be an integer'),
    (dict(resize=(32,)), ValueError, r'resize must be \(height, width\)'),
    (dict(resize=-3), ValueError, 'resize must be an integer >= 1'),
    (dict(resize=(32, 0)), ValueError, r'resize\[1\] must be an integer >= 1'),
])
def test_constructor_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        d2l.FashionMNIST(**kwargs)


def test_resize(quick, mirror):
    small = d2l.FashionMNIST(resize=(8, 12))
    assert small.train.data.shape == (3000, 28, 28)     # raw, as torchvision
    assert small.train.images.shape == (3000, 8, 12)
    assert small.train[0][0].shape == (1, 8, 12)
    assert next(iter(small.val_dataloader()))[0].shape == (64, 1, 8, 12)


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
    assert torch.equal(y1, data.val.targets[:32])
    torch.manual_seed(0)
    _, a = next(iter(data.train_dataloader()))
    torch.manual_seed(1)
    _, b = next(iter(data.train_dataloader()))
    assert not torch.equal(a, b)
    train_labels = torch.cat([y for _, y in data.train_dataloader()])
    assert torch.equal(train_labels.sort().values,
                       data.train.targets.sort().values)   # each image once


def test_worker_processes_give_the_same_batches(data):
    data.num_workers = 2
    try:
        loader = data.val_dataloader()
        assert loader.num_workers == 2 and loader.persistent_workers
        with_workers = [y for _, y in loader]
    finally:
        data.num_workers = 0
    without = [y for _, y in data.val_dataloader()]
    assert len(with_workers) == len(without) == 32
    assert all(torch.equal(a, b) for a, b in zip(with_workers, without))


def test_text_labels(data):
    assert data.text_labels([0, 9, 6]) == ['t-shirt', 'ankle boot', 'shirt']
    assert data.text_labels(torch.tensor(3)) == ['dress']
    assert data.text_labels(np.int64(1)) == ['trouser']
    assert len(data.text_labels(torch.arange(10))) == 10


def test_text_labels_rejects_bad_labels(data):
    with pytest.raises(ValueError, match='label must be an integer <= 9, '
                                         'got 10'):
        data.text_labels([1, 10])
    with pytest.raises(ValueError, match='label must be an integer >= 0'):
        data.text_labels([-1])
    with pytest.raises(TypeError, match='label must be an integer'):
        data.text_labels([1.5])


def test_show_images_grid_and_titles():
    import matplotlib.pyplot as plt
    imgs = torch.zeros(3, 4, 4)
    axes = d2l.show_images(imgs, 2, np.int64(2), titles=['a', 'b', 'c'])
    assert axes.shape == (4,)
    assert [ax.get_title() for ax in axes] == ['a', 'b', 'c', '']
    assert axes[0].get_images()[0].get_array().shape == (4, 4)
    plt.close('all')


def test_show_images_rejects_an_empty_grid():
    with pytest.raises(ValueError, match='num_rows must be an integer >= 1'):
        d2l.show_images(torch.zeros(3, 4, 4), 0, 2)


def test_visualize_titles_with_class_names(data):
    import matplotlib.pyplot as plt
    X, y = next(iter(data.val_dataloader()))
    data.visualize((X, y), nrows=1, ncols=4)
    titles = [ax.get_title() for ax in plt.gcf().axes]
    assert titles == data.text_labels(y[:4])
    plt.close('all')
    data.visualize((X, y), nrows=1, ncols=2, labels=['x', 'y'])
    assert [ax.get_title() for ax in plt.gcf().axes] == ['x', 'y']
    plt.close('all')
