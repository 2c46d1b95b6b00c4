"""Tests of Section 14.9: DATA_HUB['voc2012'], VOC_COLORMAP/VOC_CLASSES,
read_voc_images, voc_colormap2label, voc_label_indices, voc_rand_crop,
VOCSegDataset and load_data_voc, on hand-made folders in the VOC layout and
on a tiny generated stand-in (never on the real archive)."""
import os

import numpy as np
import pytest
import torch
from PIL import Image

from d2l import hub, synthetic_vision
from d2l import torch as d2l

RIM = (224, 224, 192)


def write_voc(root, splits):
    """VOC2012 tree: splits = {split: [(name, (H, W), class_id)]}.

    Each photo is a gradient; its label is class `class_id` on the left
    half and background on the right, with a one-pixel rim between them.
    """
    voc = root / 'VOCdevkit' / 'VOC2012'
    lists = voc / 'ImageSets' / 'Segmentation'
    lists.mkdir(parents=True)
    (voc / 'JPEGImages').mkdir()
    (voc / 'SegmentationClass').mkdir()
    for split, rows in splits.items():
        for name, (h, w), cls in rows:
            photo = np.zeros((h, w, 3), np.uint8)
            photo[..., 0] = np.arange(w) % 256
            Image.fromarray(photo).save(voc / 'JPEGImages' / f'{name}.jpg')
            label = np.zeros((h, w, 3), np.uint8)
            label[:, :w // 2] = d2l.VOC_COLORMAP[cls]
            label[:, w // 2] = RIM
            Image.fromarray(label).save(voc / 'SegmentationClass'
                                        / f'{name}.png')
        (lists / f'{split}.txt').write_text(
            '\n'.join(name for name, _, _ in rows) + '\n')
    return str(voc)


@pytest.fixture
def hand_made(tmp_path):
    """Training: 40x60 (class 1), 20x30 (class 15); val: 50x50 (class 8)."""
    return write_voc(tmp_path, {
        'train': [('a', (40, 60), 1), ('b', (20, 30), 15)],
        'val': [('c', (50, 50), 8)]})


@pytest.fixture(scope='module')
def stand_in(tmp_path_factory):
    target = tmp_path_factory.mktemp('data') / 'voc-test-synthetic'
    return synthetic_vision.build_voc(target, num_train=6, num_val=4,
                                      sizes=(64, 96), small=0.0)


@pytest.fixture(scope='module')
def table():
    return d2l.voc_colormap2label()


# ------------------------------------------------------------ registry

def test_data_hub_entry_is_the_books_archive():
    url, sha1 = d2l.DATA_HUB['voc2012']
    assert url == hub.DATA_URL + 'VOCtrainval_11-May-2012.tar'
    assert sha1 == '4e443f8a2eca6b1dac8a6c57641b67dd40621a49'


def test_colour_of_an_index_spreads_its_bits():
    assert d2l._voc_color(0) == [0, 0, 0]
    assert d2l._voc_color(1) == [128, 0, 0]
    assert d2l._voc_color(2) == [0, 128, 0]
    assert d2l._voc_color(4) == [0, 0, 128]
    assert d2l._voc_color(8) == [64, 0, 0]
    assert d2l._voc_color(20) == [0, 64, 128]
    assert d2l._voc_color(255) == list(RIM)


def test_colormap_and_classes():
    assert len(d2l.VOC_COLORMAP) == len(d2l.VOC_CLASSES) == 21
    assert d2l.VOC_CLASSES[0] == 'background'
    assert d2l.VOC_CLASSES[1] == 'aeroplane'
    assert d2l.VOC_CLASSES[15] == 'person'
    assert len({tuple(c) for c in d2l.VOC_COLORMAP}) == 21
    assert d2l.VOC_COLORMAP[16:] == [[0, 64, 0], [128, 64, 0], [0, 192, 0],
                                     [128, 192, 0], [0, 64, 128]]
    assert d2l.VOC_CLASSES[16] == 'potted plant'
    assert d2l.VOC_CLASSES[20] == 'tv/monitor'
    # VOC's bit-spreading palette, as the stand-in builder writes it
    np.testing.assert_array_equal(synthetic_vision.VOC_PALETTE[:21],
                                  np.array(d2l.VOC_COLORMAP))


# ------------------------------------------------------------ reading

def test_read_returns_uint8_rgb_pairs(hand_made):
    features, labels = d2l.read_voc_images(hand_made, True)
    assert [tuple(x.shape) for x in features] == [(3, 40, 60), (3, 20, 30)]
    assert [tuple(y.shape) for y in labels] == [(3, 40, 60), (3, 20, 30)]
    assert features[0].dtype == labels[0].dtype == torch.uint8
    assert labels[0][:, 0, 0].tolist() == d2l.VOC_COLORMAP[1]
    assert labels[1][:, 0, 0].tolist() == d2l.VOC_COLORMAP[15]
    features, _ = d2l.read_voc_images(hand_made, False)
    assert len(features) == 1


def test_read_expands_palette_pngs(stand_in):
    """The stand-in's labels are palette PNGs, like VOC's: read as RGB."""
    _, labels = d2l.read_voc_images(stand_in, True)
    colours = {tuple(c) for y in labels
               for c in y.reshape(3, -1).T.tolist()}
    allowed = {tuple(c) for c in d2l.VOC_COLORMAP[:6]} | {RIM}
    assert colours <= allowed and RIM in colours


def test_read_names_the_bad_split_argument(hand_made):
    with pytest.raises(TypeError, match='is_train must be bool'):
        d2l.read_voc_images(hand_made, 'train')


def test_read_names_the_missing_list(tmp_path):
    with pytest.raises(FileNotFoundError, match='train.txt'):
        d2l.read_voc_images(str(tmp_path))


def test_read_refuses_a_label_of_another_size(hand_made):
    path = os.path.join(hand_made, 'SegmentationClass', 'a.png')
    Image.new('RGB', (10, 10)).save(path)
    with pytest.raises(ValueError, match='a: photo .* and label .* differ'):
        d2l.read_voc_images(hand_made)


# ------------------------------------------------------------ colours

def test_table_has_the_class_of_every_colour(table):
    assert table.shape == (256 ** 3,) and table.dtype == torch.long
    for k, (r, g, b) in enumerate(d2l.VOC_COLORMAP):
        assert table[(r * 256 + g) * 256 + b] == k
    assert table.sum() == sum(range(21))        # every other key is 0


def test_colormap_round_trip(table):
    y = torch.randint(0, 21, (7, 9))
    colours = torch.tensor(d2l.VOC_COLORMAP, dtype=torch.uint8)
    colormap = colours[y].permute(2, 0, 1)               # (3, 7, 9)
    assert torch.equal(d2l.voc_label_indices(colormap, table), y)


def test_unknown_colours_and_the_rim_are_background(table):
    colormap = torch.tensor(RIM, dtype=torch.uint8)[:, None, None]
    colormap = colormap.expand(3, 2, 2).clone()
    colormap[:, 0, 0] = torch.tensor([128, 0, 0])        # aeroplane
    colormap[:, 1, 1] = torch.tensor([1, 2, 3])          # not a VOC colour
    assert d2l.voc_label_indices(colormap, table).tolist() == [[1, 0],
                                                               [0, 0]]


def test_label_indices_names_a_bad_shape(table):
    with pytest.raises(ValueError, match=r'shape \(3, H, W\), got \(4, 2\)'):
        d2l.voc_label_indices(torch.zeros(4, 2, dtype=torch.uint8), table)
    with pytest.raises(TypeError, match='colormap must be Tensor'):
        d2l.voc_label_indices(np.zeros((3, 2, 2), np.uint8), table)


# ------------------------------------------------------------ cropping

def test_crop_keeps_image_and_label_aligned():
    torch.manual_seed(0)
    X = torch.arange(3 * 20 * 30).reshape(3, 20, 30)
    for _ in range(20):
        f, l = d2l.voc_rand_crop(X, X.clone(), 7, 11)
        assert f.shape == (3, 7, 11) and torch.equal(f, l)
        assert type(l) is torch.Tensor                   # no Mask leaks out
        # the window is contiguous: consecutive values along W and H
        assert (f[0, :, 1:] - f[0, :, :-1] == 1).all()
        assert (f[0, 1:, :] - f[0, :-1, :] == 30).all()


def test_crop_accepts_a_2d_label():
    X = torch.arange(20 * 30).reshape(1, 20, 30)
    f, l = d2l.voc_rand_crop(X, X[0].clone(), 5, 6)
    assert l.shape == (5, 6) and torch.equal(f[0], l)


def test_crop_of_the_whole_image_is_the_image():
    X = torch.rand(3, 8, 9)
    f, l = d2l.voc_rand_crop(X, X.clone(), 8, 9)
    assert torch.equal(f, X) and torch.equal(l, X)


def test_crop_names_bad_sizes():
    X = torch.zeros(3, 8, 9)
    with pytest.raises(ValueError, match='crop 9x9 is larger than the '
                                         'image, 8x9'):
        d2l.voc_rand_crop(X, X, 9, 9)
    with pytest.raises(ValueError, match='feature is 8x9 but label is 8x8'):
        d2l.voc_rand_crop(X, torch.zeros(3, 8, 8), 2, 2)
    with pytest.raises(ValueError, match='height must be an integer >= 1'):
        d2l.voc_rand_crop(X, X, 0, 2)


# ------------------------------------------------------------ dataset

def test_filter_drops_images_smaller_than_the_crop(hand_made, capsys):
    data = d2l.VOCSegDataset(True, (30, 40), hand_made)
    assert capsys.readouterr().out == 'read 1 examples\n'
    assert len(data) == 1 and data.features[0].shape == (3, 40, 60)
    imgs = [torch.zeros(3, h, w) for h, w in [(30, 40), (29, 40), (30, 39),
                                              (100, 100)]]
    assert [tuple(x.shape[1:]) for x in data.filter(imgs)] == [(30, 40),
                                                               (100, 100)]


def test_items_are_normalized_crops_with_class_indices(hand_made):
    data = d2l.VOCSegDataset(True, (20, 30), hand_made)
    assert len(data) == 2
    torch.manual_seed(0)
    X, y = data[0]
    assert X.shape == (3, 20, 30) and X.dtype == torch.float32
    assert y.shape == (20, 30) and y.dtype == torch.long
    assert set(y.unique().tolist()) <= {0, 1}
    X, y = data[1]                       # the 20x30 image: the whole of it
    assert (y[:, :15] == 15).all() and (y[:, 15:] == 0).all()
    # green is 0 in the photo (up to JPEG noise): (0 - mean) / std
    torch.testing.assert_close(X[1], torch.full((20, 30), -0.456 / 0.224),
                               atol=0.1, rtol=0)


def test_normalize_image_uses_imagenet_statistics(hand_made):
    data = d2l.VOCSegDataset(False, (1, 1), hand_made)
    img = torch.full((3, 2, 2), 255, dtype=torch.uint8)
    want = (1 - torch.tensor([0.485, 0.456, 0.406])) / torch.tensor(
        [0.229, 0.224, 0.225])
    torch.testing.assert_close(data.normalize_image(img),
                               want[:, None, None].expand(3, 2, 2))


def test_dataset_names_bad_crop_sizes(hand_made):
    with pytest.raises(ValueError, match=r'crop_size must be \(height, '
                                         r'width\)'):
        d2l.VOCSegDataset(True, (10, 10, 3), hand_made)
    with pytest.raises(TypeError, match='crop_size must be tuple or list'):
        d2l.VOCSegDataset(True, 10, hand_made)
    with pytest.raises(ValueError, match='no image of the split is at '
                                         'least 100x100'):
        d2l.VOCSegDataset(True, (100, 100), hand_made)


# ------------------------------------------------------------ loaders

def test_batch_shapes_and_dtypes(stand_in):
    torch.manual_seed(0)
    train_iter, test_iter = d2l.load_data_voc(2, (48, 64), voc_dir=stand_in)
    X, Y = next(iter(train_iter))
    assert X.shape == (2, 3, 48, 64) and X.dtype == torch.float32
    assert Y.shape == (2, 48, 64) and Y.dtype == torch.long
    assert 0 <= Y.min() and Y.max() <= 5
    assert len(train_iter) == 3 and len(test_iter) == 2   # drop_last
    assert train_iter.sampler.__class__.__name__ == 'RandomSampler'
    assert test_iter.sampler.__class__.__name__ == 'SequentialSampler'


def test_loader_uses_download_extract_by_default(hand_made, monkeypatch):
    asked = []

    def fake(name, folder=None):        # <cache>/VOCdevkit/VOC2012
        asked.append((name, folder))
        return hand_made
    monkeypatch.setattr(d2l, 'download_extract', fake)
    train_iter, _ = d2l.load_data_voc(1, (10, 10))
    assert asked == [('voc2012', os.path.join('VOCdevkit', 'VOC2012'))]
    assert len(train_iter) == 2


def test_loader_names_the_bad_batch_size(hand_made):
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        d2l.load_data_voc(0, (10, 10), voc_dir=hand_made)


def test_voc_dir_is_keyword_only(hand_made):
    with pytest.raises(TypeError):
        d2l.load_data_voc(1, (10, 10), hand_made)
