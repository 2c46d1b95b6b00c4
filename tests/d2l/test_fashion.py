"""Tests of d2l/fashion.py, the Fashion-MNIST plumbing behind Section 4.2."""
import gzip
import os
import pickle

import numpy as np
import pytest
import torch

from d2l import fashion


def _write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b''.join(
        int(n).to_bytes(4, 'big') for n in array.shape)
    with gzip.open(path, 'wb') as f:
        f.write(header + array.numpy().tobytes())


def _images(n=6, h=2, w=3):
    data = torch.arange(n * h * w, dtype=torch.uint8).reshape(n, h, w)
    return fashion.ImageSet(data, torch.arange(n) % 3, split='train')


def test_read_idx_decodes_header_and_bytes(tmp_path):
    array = torch.arange(24, dtype=torch.uint8).reshape(2, 3, 4)
    _write_idx(tmp_path / 'x.gz', array)
    out = fashion.read_idx(tmp_path / 'x.gz')
    assert out.dtype == torch.uint8 and torch.equal(out, array)


def test_read_idx_rejects_other_formats(tmp_path):
    with gzip.open(tmp_path / 'bad.gz', 'wb') as f:
        f.write(b'\x00\x00\x0d\x01' + bytes(8))   # 0x0d: float data
    with pytest.raises(ValueError, match='IDX file of unsigned bytes'):
        fashion.read_idx(tmp_path / 'bad.gz')


def test_read_idx_rejects_a_truncated_body(tmp_path):
    with gzip.open(tmp_path / 'short.gz', 'wb') as f:
        f.write(bytes([0, 0, 8, 2]) + (3).to_bytes(4, 'big')
                + (4).to_bytes(4, 'big') + bytes(11))
    with pytest.raises(ValueError, match=r'shape \(3, 4\) \(12 bytes\) but '
                                         'the file holds 11'):
        fashion.read_idx(tmp_path / 'short.gz')


def test_real_test_split_labels(mirror):
    labels = fashion.read_idx(mirror / 'fashion-mnist' /
                              't10k-labels-idx1-ubyte.gz')
    assert labels.shape == (10000,)
    assert labels[:4].tolist() == [9, 2, 1, 1]   # boot, pullover, trouser x2


def test_files_are_registered_with_sha1():
    for split in ('train', 'test'):
        for part in ('images', 'labels'):
            url, sha1 = fashion.DATA_HUB[f'fashion-mnist-{split}-{part}']
            assert url.endswith('-ubyte.gz') and len(sha1) == 40


def test_classes_once_in_label_order():
    assert len(fashion.CLASSES) == 10
    assert (fashion.CLASSES[0], fashion.CLASSES[9]) == ('t-shirt',
                                                         'ankle boot')
    assert len(fashion.TORCHVISION_CLASSES) == 10
    assert fashion.TORCHVISION_CLASSES[0] == 'T-shirt/top'


def test_image_set_single_item_is_float_image_and_int_label():
    images = _images()
    X, y = images[4]
    assert X.shape == (1, 2, 3) and X.dtype == torch.float32
    assert torch.allclose(X * 255, images.data[4].float())
    assert y == 1 and type(y) is int
    assert images[np.int64(-1)][1] == 2 and images[torch.tensor(0)][1] == 0


def test_image_set_minibatch_from_list_slice_and_tensor():
    images = _images()
    X, y = images[[5, 0]]
    assert X.shape == (2, 1, 2, 3) and y.tolist() == [2, 0]
    assert images[1:4][1].tolist() == [1, 2, 0]
    assert images[torch.tensor([3])][0].shape == (1, 1, 2, 3)
    assert images[[]][0].shape == (0, 1, 2, 3)


def test_image_set_rejects_bad_positions():
    images = _images()
    with pytest.raises(IndexError, match=r'-6\.\.5, got \[6\]'):
        images[6]
    with pytest.raises(TypeError, match='positions must be integers'):
        images[[0.5]]
    assert len(list(iter(images))) == 6          # IndexError ends iteration


def test_image_set_attributes_and_checks():
    images = _images()
    assert images.classes == list(fashion.TORCHVISION_CLASSES)
    assert images.images is images.data
    assert images.targets.dtype == torch.int64
    assert repr(images) == ('ImageSet(train split, 6 images of 1x2x3, '
                            '10 classes)')
    with pytest.raises(ValueError, match=r'data of uint8 images of shape'):
        fashion.ImageSet(torch.zeros(2, 3, 3), torch.zeros(2))
    raw = torch.zeros(2, 3, 3, dtype=torch.uint8)
    with pytest.raises(ValueError, match=r'images of uint8 images of shape'):
        fashion.ImageSet(raw, torch.zeros(2), images=torch.zeros(2, 4, 4))
    with pytest.raises(ValueError, match='expected 2 resized images, got 1'):
        fashion.ImageSet(raw, torch.zeros(2), images=raw[:1])
    with pytest.raises(ValueError, match='expected 2 labels'):
        fashion.ImageSet(torch.zeros(2, 3, 3, dtype=torch.uint8),
                         torch.zeros(3))


def test_image_set_survives_pickling_for_spawned_workers():
    # spawn (macOS, Windows) sends workers a pickled copy of the dataset
    images = _images()
    copy = pickle.loads(pickle.dumps(images))
    assert type(copy) is fashion.ImageSet
    assert torch.equal(copy[[0, 1]][0], images[[0, 1]][0])


def test_balanced_subset():
    labels = torch.tensor([0, 1, 0, 1, 0, 2, 2])
    idx = fashion.balanced_subset(labels, np.int64(2))
    assert idx.shape == (6,)
    assert torch.equal(torch.bincount(labels[idx]), torch.tensor([2, 2, 2]))
    assert torch.equal(idx, fashion.balanced_subset(labels, 2))   # seeded
    with pytest.raises(ValueError, match='expected 3 .* only 2'):
        fashion.balanced_subset(labels, 3)
    with pytest.raises(ValueError, match='per_class must be an integer >= 1'):
        fashion.balanced_subset(labels, 0)


def test_load_quick_subset_is_class_balanced(mirror, quick):
    train, val = fashion.load('train'), fashion.load('test')
    assert (len(train), len(val)) == (3000, 1000)
    assert torch.equal(torch.bincount(train.targets, minlength=10),
                       torch.full((10,), 300))
    assert torch.equal(torch.bincount(val.targets, minlength=10),
                       torch.full((10,), 100))


def test_load_full_test_split(mirror, full):
    val = fashion.load('test')
    assert val.data.shape == (10000, 28, 28) and val.data.dtype == torch.uint8
    assert val.targets[:4].tolist() == [9, 2, 1, 1]


def test_load_resizes_every_image(mirror, quick):
    small = fashion.load('test', resize=(np.int64(8), 12))
    assert small.images.shape == (1000, 8, 12)
    assert small.images.dtype == torch.uint8
    assert small[0][0].shape == (1, 8, 12)
    assert repr(small) == ('ImageSet(test split, 1000 images of 1x8x12, '
                           '10 classes)')
    square = fashion.load('test', resize=np.int64(6))
    assert square.images.shape == (1000, 6, 6)


def test_load_keeps_raw_data_like_torchvision(mirror, quick):
    # torchvision resizes in a transform, so its .data stays 28x28
    raw, small = fashion.load('test'), fashion.load('test', resize=(8, 8))
    assert small.data.shape == (1000, 28, 28)
    assert torch.equal(small.data, raw.data)
    assert torch.equal(small.targets, raw.targets)


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(split='valid'), ValueError, "split must be one of"),
    (dict(resize=(1, 2, 3)), ValueError, r'resize must be \(height, width\)'),
    (dict(resize=0), ValueError, 'resize must be an integer >= 1'),
    (dict(resize='32'), TypeError, 'resize must be an integer'),
    (dict(resize=(32, 0)), ValueError, r'resize\[1\] must be an integer >= 1'),
    (dict(resize=(32, 2.5)), TypeError, r'resize\[1\] must be an integer'),
])
def test_load_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        fashion.load(**{'split': 'test', **kwargs})


def test_decoded_tensors_are_cached_beside_the_download(mirror):
    labels = fashion._read('fashion-mnist-test-labels', '../data')
    url, sha1 = fashion.DATA_HUB['fashion-mnist-test-labels']
    path = fashion.download(url, '../data', sha1)
    cache = f'{path}.{sha1[:8]}.pt'
    assert os.path.exists(cache)
    assert not [f for f in os.listdir(os.path.dirname(cache))
                if f.endswith('.part')]           # no leftover partial file
    assert torch.equal(torch.load(cache), labels)
    assert torch.equal(fashion._read('fashion-mnist-test-labels', '../data'),
                       labels)
