"""Tests of d2l/synthetic_vision.py, the stand-in data of chapter 14.

The layouts are read the way the book's loaders read the real archives:
pandas for the banana CSV, torchvision's image reader and ImageFolder, the
VOC split lists and colour-to-class table, the Kaggle label files.
"""
import hashlib
import os
import pathlib

import numpy as np
import pandas as pd
import pytest
import torch
import torchvision
from torchvision.io import ImageReadMode, read_image

from d2l import synthetic_vision as sv

pytestmark = pytest.mark.filterwarnings(   # torchvision 0.29's reader notice
    'ignore:The image decoding:DeprecationWarning')


def _tree_digest(root):
    """{relative path: SHA-1} of every file under `root`."""
    root = pathlib.Path(root)
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob('*')) if p.is_file()}


def _yellow(img):
    """Pixels of a banana sprite: red and green well above blue. img: HWC."""
    rgb = np.asarray(img, np.int32)
    return ((rgb[..., 0] - rgb[..., 2] > 60)
            & (rgb[..., 1] - rgb[..., 2] > 40))


# ------------------------------------------------------------- the renderer

def test_palette_is_voc_colours_with_the_border_colour():
    assert sv.VOC_PALETTE[:5].tolist() == [[0, 0, 0], [128, 0, 0],
                                          [0, 128, 0], [128, 128, 0],
                                          [0, 0, 128]]
    assert sv.VOC_PALETTE[8].tolist() == [64, 0, 0]
    assert sv.VOC_PALETTE[20].tolist() == [0, 64, 128]
    assert sv.VOC_PALETTE[sv.BORDER].tolist() == [224, 224, 192]


def test_same_seed_same_image_other_seed_other_image():
    a = np.asarray(sv.render_labelled('breeds', 3, seed=1, index=2))
    b = np.asarray(sv.render_labelled('breeds', 3, seed=1, index=2))
    c = np.asarray(sv.render_labelled('breeds', 3, seed=2, index=2))
    assert np.array_equal(a, b)
    assert a.shape != c.shape or not np.array_equal(a, c)


def test_synthetic_cifar_is_balanced_and_split_dependent():
    X, y = sv.synthetic_cifar(30, seed=0)
    assert X.shape == (30, 32, 32, 3) and X.dtype == np.uint8
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [3] * 10
    X_test, _ = sv.synthetic_cifar(30, seed=0, split='test')
    assert not np.array_equal(X, X_test)


def test_an_image_does_not_depend_on_the_set_size():
    X, y = sv.synthetic_cifar(12, seed=4)
    img = sv.render_labelled('cifar', int(y[7]), seed=4, index=7)
    assert np.array_equal(X[7], np.asarray(img))


@pytest.mark.parametrize('dataset, low, high', [('hotdog', 64, 96),
                                                ('breeds', 150, 400)])
def test_labelled_sizes_vary_within_their_range(dataset, low, high):
    sizes = {sv.render_labelled(dataset, 1, index=i).size for i in range(6)}
    assert len(sizes) > 1
    assert all(low <= s <= high for size in sizes for s in size)


@pytest.mark.parametrize('index', range(6))
def test_box_is_tight_around_the_drawn_banana(index):
    img, boxes = sv.render_boxed(index=index)
    assert img.size == (256, 256) and boxes.shape == (1, 4)
    xmin, ymin, xmax, ymax = boxes[0].tolist()
    assert 0 <= xmin < xmax <= 256 and 0 <= ymin < ymax <= 256
    ys, xs = np.nonzero(_yellow(img))
    assert xs.size > 50                          # the sprite is really there
    assert xmin - 1 <= xs.min() <= xmin + 3 and xmax - 4 <= xs.max() <= xmax
    assert ymin - 1 <= ys.min() <= ymin + 3 and ymax - 4 <= ys.max() <= ymax


def test_several_bananas_get_one_box_each_inside_the_image():
    img, boxes = sv.render_boxed(index=3, split='test', count=4)
    assert boxes.shape == (4, 4)
    assert (boxes[:, :2] >= 0).all() and (boxes[:, 2:] <= 256).all()
    yellow = _yellow(img)
    for xmin, ymin, xmax, ymax in boxes.tolist():
        assert yellow[ymin:ymax, xmin:xmax].sum() > 20


def test_mask_uses_class_ids_and_border_only():
    img, mask = sv.render_masked(index=5, num_classes=3)
    assert mask.shape == (img.size[1], img.size[0]) and mask.dtype == np.uint8
    assert set(np.unique(mask)) <= {0, 1, 2, 3, sv.BORDER}
    assert (mask == sv.BORDER).any() and (mask == 0).any()


def test_mask_border_separates_every_pair_of_classes():
    _, mask = sv.render_masked(index=1)
    m = mask.astype(int)
    right = (m[:, 1:] != m[:, :-1])
    assert ((m[:, 1:] == sv.BORDER) | (m[:, :-1] == sv.BORDER))[right].all()


def test_small_fraction_gives_small_images():
    small = [sv.render_masked(index=i, small=1.0)[0].size for i in range(3)]
    assert all(64 <= s <= 120 for size in small for s in size)
    large = [sv.render_masked(index=i, small=0.0)[0].size for i in range(3)]
    assert all(200 <= s <= 400 for size in large for s in size)


# ------------------------------------------------------------- bad input

@pytest.mark.parametrize('call, error, message', [
    (lambda: sv.render_labelled('cifar10', 0), ValueError,
     'dataset must be one of'),
    (lambda: sv.render_labelled('cifar', 10), ValueError,
     'label must be an integer <= 9'),
    (lambda: sv.render_labelled('hotdog', 1.0), TypeError,
     'label must be an integer'),
    (lambda: sv.render_labelled('cifar', 0, seed=True), TypeError,
     'seed must be an integer'),
    (lambda: sv.render_labelled('cifar', 0, split='valid'), ValueError,
     'split must be one of'),
    (lambda: sv.render_labelled('breeds', 0, sizes=(300, 200)), ValueError,
     r'sizes\[1\] must be an integer >= 300'),
    (lambda: sv.render_masked(sizes=(100,)), ValueError,
     r'sizes must be \(smallest, largest\)'),
    (lambda: sv.render_masked(num_classes=8), ValueError,
     'num_classes must be an integer <= 7'),
    (lambda: sv.render_boxed(count=0), ValueError,
     'count must be an integer >= 1'),
    (lambda: sv.synthetic_cifar(0), ValueError,
     'num_images must be an integer >= 1'),
])
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize('name', ['bananas', 'bananas-synthetic-old',
                                  '-synthetic'])
def test_builder_wants_a_stand_in_name(tmp_path, name):
    with pytest.raises(ValueError, match="must end in '-synthetic'"):
        sv.build_bananas(tmp_path / name, num_train=1, num_val=1)
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize('parent', ['hotdog', 'VOCdevkit', 'banana-detection',
                                    'kaggle_cifar10_tiny'])
def test_builder_refuses_a_canonical_name_on_the_path(tmp_path, parent):
    target = tmp_path / parent / 'x-synthetic'
    with pytest.raises(ValueError, match='refusing to write a stand-in'):
        sv.build_hotdog(target, num_train=1, num_test=1)
    assert not (tmp_path / parent).exists()


@pytest.mark.parametrize('build', [
    sv.build_bananas, sv.build_voc, sv.build_hotdog, sv.build_kaggle_cifar10,
    sv.build_kaggle_dog])
def test_no_builder_writes_at_a_canonical_name(tmp_path, build):
    for target in (tmp_path / 'kaggle_dog_tiny',
                   tmp_path / 'VOCdevkit' / 'voc-synthetic'):
        with pytest.raises(ValueError, match='stand-in'):
            build(target)
    assert list(tmp_path.iterdir()) == []


def test_builder_refuses_a_non_path_and_a_foreign_folder(tmp_path):
    with pytest.raises(TypeError, match='target must be str or PathLike'):
        sv.build_kaggle_cifar10(3)
    foreign = tmp_path / 'mine-synthetic'
    foreign.mkdir()
    (foreign / 'notes.txt').write_text('keep me')
    with pytest.raises(FileExistsError, match='not written by'):
        sv.build_kaggle_cifar10(foreign, num_train=10, num_test=1)
    assert (foreign / 'notes.txt').read_text() == 'keep me'


# ------------------------------------------------------------- the builders

def test_bananas_layout_reads_like_the_book(tmp_path):
    data_dir = sv.build_bananas(tmp_path / 'bananas-synthetic', num_train=8,
                                num_val=3)
    for split, n in (('train', 8), ('val', 3)):
        csv = os.path.join(data_dir, f'bananas_{split}', 'label.csv')
        df = pd.read_csv(csv).set_index('img_name')
        assert list(df.columns) == ['label', 'xmin', 'ymin', 'xmax', 'ymax']
        assert len(df) == n and (df['label'] == 0).all()
        for name, row in df.iterrows():
            img = read_image(os.path.join(data_dir, f'bananas_{split}',
                                          'images', name))
            assert img.shape == (3, 256, 256) and img.dtype == torch.uint8
            assert 0 <= row.xmin < row.xmax <= 256
            assert 0 <= row.ymin < row.ymax <= 256
            yellow = _yellow(img.permute(1, 2, 0).numpy())
            inside = yellow[row.ymin:row.ymax, row.xmin:row.xmax].sum()
            assert inside > 50 and inside >= 0.95 * yellow.sum()


def test_builds_are_byte_identical_for_a_seed(tmp_path):
    a = sv.build_bananas(tmp_path / 'a-synthetic', seed=3, num_train=3,
                         num_val=2)
    b = sv.build_bananas(tmp_path / 'b-synthetic', seed=3, num_train=3,
                         num_val=2)
    c = sv.build_bananas(tmp_path / 'c-synthetic', seed=4, num_train=3,
                         num_val=2)
    assert _tree_digest(a) == _tree_digest(b)
    assert _tree_digest(a) != _tree_digest(c)


def test_build_skips_when_complete_and_repairs_when_partial(tmp_path):
    target = tmp_path / 'cifar-synthetic'
    root = pathlib.Path(sv.build_kaggle_cifar10(target, num_train=20,
                                                num_test=2))
    before = _tree_digest(root)
    stamp = (root / 'train' / '1.png').stat().st_mtime_ns
    (root / 'train_valid_test').mkdir()                 # a reorg's output
    sv.build_kaggle_cifar10(target, num_train=20, num_test=2)
    assert (root / 'train' / '1.png').stat().st_mtime_ns == stamp
    (root / 'train' / '7.png').unlink()
    sv.build_kaggle_cifar10(target, num_train=20, num_test=2)
    assert _tree_digest(root) == before
    sv.build_kaggle_cifar10(target, num_train=10, num_test=2)
    assert len(os.listdir(root / 'train')) == 10
    assert not [p for p in tmp_path.iterdir() if 'partial' in p.name]


def test_voc_layout_reads_like_the_book(tmp_path):
    voc_dir = sv.build_voc(tmp_path / 'voc-synthetic', num_train=6,
                           num_val=3, num_classes=4, small=0.3)
    assert voc_dir.endswith(os.path.join('VOCdevkit', 'VOC2012'))
    colormap2label = {(r * 256 + g) * 256 + b: k for k, (r, g, b)
                      in enumerate(sv.VOC_PALETTE[:21].tolist())}
    allowed = {tuple(c) for c in sv.VOC_PALETTE[:5].tolist()}
    allowed.add((224, 224, 192))
    sizes, ids = [], set()
    for split, n in (('train', 6), ('val', 3)):
        txt = os.path.join(voc_dir, 'ImageSets', 'Segmentation',
                           f'{split}.txt')
        with open(txt) as f:
            names = f.read().split()
        assert len(names) == n and not ids & set(names)
        ids |= set(names)
        for name in names:
            img = read_image(os.path.join(voc_dir, 'JPEGImages',
                                          f'{name}.jpg'))
            label = read_image(os.path.join(voc_dir, 'SegmentationClass',
                                            f'{name}.png'), ImageReadMode.RGB)
            assert img.shape == label.shape and img.shape[0] == 3
            rgb = label.numpy().astype(np.int64)
            keys = np.unique((rgb[0] * 256 + rgb[1]) * 256 + rgb[2]).tolist()
            colours = {(k >> 16, (k >> 8) & 255, k & 255) for k in keys}
            assert colours <= allowed and (0, 0, 0) in colours
            ids = {colormap2label.get(k) for k in keys}
            assert ids <= {0, 1, 2, 3, 4, None}     # None: the border
            sizes.append(img.shape[1:])
    kept = [s for s in sizes if s[0] >= 128 and s[1] >= 192]
    assert 0 < len(kept) < len(sizes)          # a crop filter drops some


def test_hotdog_layout_reads_with_image_folder(tmp_path):
    data_dir = sv.build_hotdog(tmp_path / 'hotdog-synthetic', num_train=4,
                               num_test=2)
    train = torchvision.datasets.ImageFolder(os.path.join(data_dir, 'train'))
    test = torchvision.datasets.ImageFolder(os.path.join(data_dir, 'test'))
    assert train.classes == ['hotdog', 'not-hotdog']
    assert [y for _, y in train.samples] == [0] * 4 + [1] * 4
    assert len(test) == 4 and train[0][0].mode == 'RGB'


def test_kaggle_cifar10_layout_and_balance(tmp_path):
    data_dir = sv.build_kaggle_cifar10(tmp_path / 'cifar10-synthetic',
                                       num_train=30, num_test=4)
    with open(os.path.join(data_dir, 'trainLabels.csv')) as f:
        lines = f.readlines()
    assert lines[0].strip() == 'id,label'
    labels = dict(line.rstrip().split(',') for line in lines[1:])
    assert sorted(labels, key=int) == [str(i) for i in range(1, 31)]
    assert sorted(os.listdir(os.path.join(data_dir, 'train')),
                  key=lambda f: int(f[:-4])) == [f'{i}.png' for i in
                                                 range(1, 31)]
    assert sorted(os.listdir(os.path.join(data_dir, 'test'))) == [
        '1.png', '2.png', '3.png', '4.png']
    counts = pd.Series(labels).value_counts()
    assert set(counts.index) == set(sv.CIFAR_CLASSES) and (counts == 3).all()
    assert read_image(os.path.join(data_dir, 'train', '5.png')).shape == (
        3, 32, 32)


def test_kaggle_dog_layout_and_balance(tmp_path):
    data_dir = sv.build_kaggle_dog(tmp_path / 'dog-synthetic', num_breeds=4,
                                   per_breed=3, num_test=3, sizes=(60, 90))
    df = pd.read_csv(os.path.join(data_dir, 'labels.csv'))
    assert list(df.columns) == ['id', 'breed']
    assert list(df['id']) == sorted(df['id'])
    assert df['id'].str.fullmatch('[0-9a-f]{32}').all()
    assert (df['breed'].value_counts() == 3).all()
    assert set(df['breed']) == set(sv.BREEDS[:4])
    train = sorted(f[:-4] for f in os.listdir(os.path.join(data_dir,
                                                           'train')))
    assert train == list(df['id'])
    assert len(os.listdir(os.path.join(data_dir, 'test'))) == 3
    img = read_image(os.path.join(data_dir, 'train', train[0] + '.jpg'))
    assert img.shape[0] == 3 and 60 <= min(img.shape[1:]) <= 90


def test_describe_names_the_stand_in(tmp_path):
    voc_dir = sv.build_voc(tmp_path / 'voc-synthetic', num_train=2,
                           num_val=1)
    line = sv.describe(voc_dir)
    assert line.startswith('stand-in data: generated voc set (seed=0, '
                           'num_train=2, num_val=1, num_classes=5')
    assert line.endswith("in voc-synthetic, not the book's data")
    with pytest.raises(ValueError, match='not inside a folder written by'):
        sv.describe(tmp_path)


# ------------------------------------------------- real data or a stand-in

_ROWS = {'banana-detection': 'banana-detection.zip',
         'voc2012': 'VOCtrainval_11-May-2012.tar', 'hotdog': 'hotdog.zip',
         'cifar10_tiny': 'kaggle_cifar10_tiny.zip',
         'dog_tiny': 'kaggle_dog_tiny.zip'}


@pytest.fixture
def data_env(tmp_path, monkeypatch):
    """A temporary cache, an empty mirror, no network, and DATA_HUB rows."""
    from d2l import hub
    cache, mirror = tmp_path / 'cache', tmp_path / 'mirror'
    mirror.mkdir()
    monkeypatch.setenv('D2L_DATA_DIR', str(cache))
    monkeypatch.setenv('D2L_DATA_MIRROR', str(mirror))
    monkeypatch.setenv('D2L_OFFLINE', '1')          # never touch the network
    for name, file in _ROWS.items():
        monkeypatch.setitem(hub.DATA_HUB, name,
                            (f'https://unreachable.invalid/{file}', '0' * 40))
    return cache, mirror


def _zip(path, members):
    """Write a zip of {name: bytes} at `path`; return its SHA-1."""
    import zipfile
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, 'w') as z:
        for name, data in members.items():
            z.writestr(name, data)
    return hashlib.sha1(path.read_bytes()).hexdigest()


def test_real_archive_is_used_in_either_mode(data_env, monkeypatch, capsys,
                                             quick):
    from d2l import hub
    cache, _ = data_env
    digest = _zip(cache / 'banana-detection.zip', {
        'banana-detection/bananas_train/label.csv': b'img_name,label\n'})
    monkeypatch.setitem(hub.DATA_HUB, 'banana-detection',
                        ('https://unreachable.invalid/banana-detection.zip',
                         digest))
    data_dir = sv.real_or_stand_in('banana-detection', num_train=3)
    assert pathlib.Path(data_dir) == cache / 'banana-detection'
    assert (pathlib.Path(data_dir) / 'bananas_train' / 'label.csv').is_file()
    assert capsys.readouterr().out == (
        "real data: the book's banana-detection.zip\n")
    assert not list(cache.glob('*-synthetic'))


def test_real_voc_returns_the_voc2012_folder(data_env, monkeypatch, full):
    from d2l import hub
    cache, _ = data_env
    digest = _zip(cache / 'VOCtrainval_11-May-2012.tar', {
        'VOCdevkit/VOC2012/ImageSets/Segmentation/train.txt': b'a\n'})
    monkeypatch.setitem(hub.DATA_HUB, 'voc2012', (
        'https://unreachable.invalid/VOCtrainval_11-May-2012.tar', digest))
    for folder in (None, 'VOCdevkit/VOC2012', os.path.join('VOCdevkit',
                                                           'VOC2012')):
        voc_dir = sv.real_or_stand_in('voc2012', folder, num_classes=3)
        assert pathlib.Path(voc_dir) == cache / 'VOCdevkit' / 'VOC2012'


@pytest.mark.parametrize('name, other', [
    ('banana-detection', 'a generated stand-in'),
    ('cifar10_tiny',
     "the mirror's subset of Kaggle images or a generated stand-in"),
])
def test_default_mode_asks_for_the_real_archive(data_env, full, name, other):
    from d2l import hub
    cache, _ = data_env
    with pytest.raises(hub.DataError) as info:
        sv.real_or_stand_in(name)
    message = str(info.value)
    assert message.startswith(f'default mode needs the real {_ROWS[name]} '
                              f'({name}): ')
    assert 'is not cached in' in message           # download's own reason
    assert message.endswith(
        f'Quick mode (D2L_QUICK=1) would run on {other} instead')
    assert not cache.exists() or not list(cache.glob('*-synthetic'))


_SMALL = {  # builder arguments that keep each stand-in to a few files
    'banana-detection': dict(num_train=2, num_val=1, size=64),
    'voc2012': dict(num_train=2, num_val=1, num_classes=3, sizes=(40, 60)),
    'hotdog': dict(num_train=1, num_test=1),
    'cifar10_tiny': dict(num_train=10, num_test=2),
    'dog_tiny': dict(num_breeds=2, per_breed=1, num_test=1, sizes=(20, 30)),
}
_LAYOUT = {  # (stand-in folder, folder returned inside it, files there)
    'banana-detection': ('banana-detection-synthetic', '',
                         ['bananas_train/label.csv', 'bananas_val/label.csv']),
    'voc2012': ('voc-segmentation-synthetic', 'VOCdevkit/VOC2012',
                ['ImageSets/Segmentation/train.txt', 'JPEGImages',
                 'SegmentationClass']),
    'hotdog': ('hotdog-synthetic', '', ['train/hotdog', 'test/not-hotdog']),
    'cifar10_tiny': ('kaggle-cifar10-tiny-synthetic', '',
                     ['train/1.png', 'test/2.png', 'trainLabels.csv']),
    'dog_tiny': ('kaggle-dog-tiny-synthetic', '', ['labels.csv', 'train']),
}


@pytest.mark.parametrize('name', sorted(_SMALL))
def test_quick_mode_builds_the_stand_in_under_the_cache(data_env, quick,
                                                        capsys, name):
    cache, _ = data_env
    top, inner, files = _LAYOUT[name]
    data_dir = sv.real_or_stand_in(name, **_SMALL[name])
    assert pathlib.Path(data_dir) == cache / top / inner
    for f in files:
        assert (pathlib.Path(data_dir) / f).exists(), f
    line = capsys.readouterr().out
    assert line == sv.describe(data_dir) + '\n'
    assert line.startswith('stand-in data: generated ')
    assert sorted(os.listdir(cache)) == [top]       # nothing canonical
    assert sv.is_generated(data_dir) and not sv.is_generated(cache)
    assert sv.real_or_stand_in(name, **_SMALL[name]) == data_dir   # reused


def _fake_subset(mirror):
    """A small zip in the subset's place, laid out like the tiny set."""
    return _zip(mirror / sv.CIFAR_SUBSET, {
        'kaggle_cifar10_tiny/trainLabels.csv': b'id,label\n1,cat\n2,dog\n',
        'kaggle_cifar10_tiny/train/1.png': b'x',
        'kaggle_cifar10_tiny/train/2.png': b'x',
        'kaggle_cifar10_tiny/test/1.png': b'x'})


def test_quick_cifar_prefers_the_mirror_subset(data_env, quick, capsys,
                                               monkeypatch):
    cache, mirror = data_env
    monkeypatch.setattr(sv, 'CIFAR_SUBSET_SHA1', _fake_subset(mirror))
    data_dir = pathlib.Path(sv.real_or_stand_in('cifar10_tiny',
                                                num_train=10))
    assert data_dir == (cache / 'kaggle_cifar10_tiny-d2lzh2017'
                        / 'kaggle_cifar10_tiny')
    assert sorted(os.listdir(data_dir)) == ['test', 'train',
                                            'trainLabels.csv']
    assert capsys.readouterr().out == (
        "stand-in data: the mirror's subset kaggle_cifar10_tiny-d2lzh2017, "
        '2 train and 1 test genuine Kaggle CIFAR-10 images, other images '
        "than the book's\n")
    assert sorted(os.listdir(cache)) == ['kaggle_cifar10_tiny-d2lzh2017']
    assert not sv.is_generated(data_dir)       # genuine images


def test_quick_cifar_refuses_an_unknown_subset(data_env, quick):
    from d2l import hub
    _, mirror = data_env
    _fake_subset(mirror)                        # SHA-1 is not the pinned one
    with pytest.raises(hub.DataError, match='expected 380ad118'):
        sv.real_or_stand_in('cifar10_tiny')


def test_quick_cifar_subset_cannot_escape_its_folder(data_env, quick,
                                                     monkeypatch):
    from d2l import hub
    cache, mirror = data_env
    digest = _zip(mirror / sv.CIFAR_SUBSET, {'../escaped.txt': b'x'})
    monkeypatch.setattr(sv, 'CIFAR_SUBSET_SHA1', digest)
    with pytest.raises(hub.DataError):
        sv.real_or_stand_in('cifar10_tiny')
    assert not (cache / 'escaped.txt').exists()


@pytest.mark.parametrize('call, error, message', [
    (lambda: sv.real_or_stand_in('mnist'), ValueError,
     r"no stand-in for 'mnist'; known names: \['banana-detection', "
     r"'cifar10_tiny', 'dog_tiny', 'hotdog', 'voc2012'\]"),
    (lambda: sv.real_or_stand_in('voc2012', 'VOCdevkit'), ValueError,
     "folder for 'voc2012' must be 'VOCdevkit/VOC2012'"),
    (lambda: sv.real_or_stand_in('voc2012', num_class=5), TypeError,
     "build_voc takes no argument 'num_class'"),
])
def test_bad_requests_are_named(data_env, quick, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_name_without_a_data_hub_row_is_named(data_env, quick,
                                                monkeypatch):
    from d2l import hub
    monkeypatch.delitem(hub.DATA_HUB, 'hotdog')
    with pytest.raises(KeyError, match="'hotdog' has no DATA_HUB row yet"):
        sv.real_or_stand_in('hotdog')


# ------------------------------------------------------ cifar10_or_stand_in

class _FakeCIFAR10:
    """Stands for torchvision's CIFAR10: finds the archive in root or fails."""
    calls = []

    def __init__(self, root, train=True, transform=None, download=False):
        _FakeCIFAR10.calls.append((pathlib.Path(root), train, download))
        if not (pathlib.Path(root) / sv.CIFAR10_ARCHIVE).is_file():
            raise RuntimeError('Dataset not found or corrupted.')
        self.size, self.transform = (50000 if train else 10000), transform

    def __len__(self):
        return self.size

    def __getitem__(self, i):
        return i, i % 10


@pytest.fixture
def fake_cifar10(monkeypatch):
    _FakeCIFAR10.calls = []
    monkeypatch.setattr(torchvision.datasets, 'CIFAR10', _FakeCIFAR10)
    return _FakeCIFAR10


def test_cifar10_stand_in_in_quick_mode(data_env, quick, fake_cifar10,
                                        capsys):
    data = sv.cifar10_or_stand_in(True, num_images=12)
    assert capsys.readouterr().out == (
        'stand-in data: 12 generated 10-class 32x32 shape images (train '
        'split of synthetic_cifar), not CIFAR-10\n')
    X, y = sv.synthetic_cifar(12, split='train')
    assert len(data) == 12 and data.classes == list(sv.CIFAR_CLASSES)
    img, label = data[5]
    assert img.size == (32, 32) and img.mode == 'RGB'
    assert np.array_equal(np.asarray(img), X[5]) and label == y[5]
    assert fake_cifar10.calls == []                 # no download attempt
    assert not data_env[0].exists()                 # nothing written


def test_cifar10_stand_in_applies_the_transform_quietly(data_env, quick,
                                                       capsys):
    from torchvision.transforms import v2
    to_tensor = v2.Compose([v2.ToImage(),
                            v2.ToDtype(torch.float32, scale=True)])
    data = sv.cifar10_or_stand_in(False, to_tensor, num_images=4,
                                  verbose=False)
    x, label = data[3]
    assert x.shape == (3, 32, 32) and x.dtype == torch.float32
    assert 0 <= float(x.min()) and float(x.max()) <= 1
    X, y = sv.synthetic_cifar(4, split='test')
    assert torch.equal((x * 255).round().to(torch.uint8).permute(1, 2, 0),
                       torch.from_numpy(X[3])) and label == y[3]
    assert capsys.readouterr().out == ''
    assert len(sv.cifar10_or_stand_in(False, verbose=False)) == 1000


def test_cifar10_stand_in_arrays_are_made_once_and_read_only(data_env,
                                                            quick):
    a = sv.cifar10_or_stand_in(True, num_images=3, verbose=False)
    b = sv.cifar10_or_stand_in(True, num_images=3, verbose=False)
    assert a.data is b.data and not a.data.flags.writeable


@pytest.mark.parametrize('quick_mode', ['', '1'])
def test_cifar10_from_a_mirror_is_real_in_either_mode(
        data_env, monkeypatch, fake_cifar10, capsys, quick_mode):
    monkeypatch.setenv('D2L_QUICK', quick_mode)
    cache, mirror = data_env
    (mirror / sv.CIFAR10_ARCHIVE).write_bytes(b'not really the archive')
    data = sv.cifar10_or_stand_in(True, num_images=100)
    assert (cache / sv.CIFAR10_ARCHIVE).read_bytes() == (
        b'not really the archive')                  # copied into the cache
    assert fake_cifar10.calls == [(cache, True, True)]
    assert isinstance(data, torch.utils.data.Subset) and len(data) == 100
    assert capsys.readouterr().out == (
        'real data: CIFAR-10, 100 of its 50,000 train images\n')
    test = sv.cifar10_or_stand_in(False, verbose=False)
    assert isinstance(test, _FakeCIFAR10) and len(test) == 10000


def test_cifar10_default_mode_asks_for_the_archive(data_env, full,
                                                   fake_cifar10):
    from d2l import hub
    cache, _ = data_env
    with pytest.raises(hub.DataError) as info:
        sv.cifar10_or_stand_in(True)
    message = str(info.value)
    assert message.startswith(
        'default mode needs CIFAR-10 (cifar-10-python.tar.gz, 170 MB) and '
        f'could not get it: cifar-10-python.tar.gz is not in {cache} or a '
        'mirror folder, and D2L_OFFLINE is set. ')
    assert message.endswith('quick mode (D2L_QUICK=1) would run on '
                            'generated stand-in images instead')
    assert fake_cifar10.calls == []                 # offline: no download


def test_cifar10_default_mode_reports_a_failed_download(
        data_env, full, monkeypatch, fake_cifar10):
    from d2l import hub
    monkeypatch.delenv('D2L_OFFLINE')
    with pytest.raises(hub.DataError,
                       match='could not get it: Dataset not found'):
        sv.cifar10_or_stand_in(False)
    assert fake_cifar10.calls == [(data_env[0], False, True)]


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(train=1), TypeError, 'train must be bool, got int 1'),
    (dict(train=True, num_images=0), ValueError, 'num_images'),
    (dict(train=True, verbose='yes'), TypeError, 'verbose must be bool'),
    (dict(train=True, transform=3), TypeError,
     'transform must be callable or None, got int'),
])
def test_cifar10_bad_arguments_are_named(data_env, quick, kwargs, error,
                                         message):
    with pytest.raises(error, match=message):
        sv.cifar10_or_stand_in(**kwargs)


def test_importing_the_module_loads_no_image_library():
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parents[2]
    code = ('import sys, d2l.synthetic_vision; print(sorted(m for m in '
            '("PIL", "torchvision") if m in sys.modules))')
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, env=env, cwd=root, check=True).stdout
    assert out == '[]\n'
