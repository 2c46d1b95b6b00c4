"""Tests of Section 14.13: reading Kaggle labels, reorganising the image
files into ImageFolder trees, and the notebook's submission check."""
import collections
import math
import os
import pathlib
import warnings

import pytest
import torch

from d2l import torch as d2l


def _png(path, value=0):
    """A 4x4 RGB PNG whose pixels all equal `value` (so files differ)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    d2l.Image.new('RGB', (4, 4), (value, 0, 0)).save(path)


def _competition(root, counts, num_test=3, extra_labels=()):
    """A fake competition folder: train/<id>.png for `counts` {label: n}
    (ids 1, 2, ... class after class), test/<id>.png, trainLabels.csv."""
    rows, i = [], 0
    for label, n in counts.items():
        for _ in range(n):
            i += 1
            _png(root / 'train' / f'{i}.png', i)
            rows.append(f'{i},{label}')
    rows += [f'{j},{label}' for j, label in extra_labels]  # no file
    for j in range(1, num_test + 1):
        _png(root / 'test' / f'{j}.png', 200 + j)
    (root / 'trainLabels.csv').write_text('id,label\n' + '\n'.join(rows)
                                          + '\n')
    return root


def _tree(root):
    """{relative path: bytes} of every file below root."""
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob('*')) if p.is_file()}


def _split(root, part):
    """{label: sorted file names} of train_valid_test/<part>."""
    top = root / 'train_valid_test' / part
    return {d.name: sorted(f.name for f in d.iterdir())
            for d in sorted(top.iterdir())}


@pytest.fixture
def comp(tmp_path):
    # 'cat' is the rarest class with 3 images; ids: cat 1-3, dog 4-8,
    # frog 9-12
    return _competition(tmp_path / 'cifar', {'cat': 3, 'dog': 5, 'frog': 4})


def test_data_hub_row_is_the_books():
    url, sha1 = d2l.DATA_HUB['cifar10_tiny']
    assert url == d2l.DATA_URL + 'kaggle_cifar10_tiny.zip'
    assert sha1 == '2068874e4b9a9f0fb07ebe0ad2b29754449ccacd'


# ------------------------------------------------------- read_csv_labels

def test_read_csv_labels_values(tmp_path):
    f = tmp_path / 'labels.csv'
    f.write_bytes(b'id,label\r\n7,bird\r\n12,ship\r\n\r\n3,bird\r\n')
    labels = d2l.read_csv_labels(str(f))
    assert labels == {'7': 'bird', '12': 'ship', '3': 'bird'}
    assert list(labels) == ['7', '12', '3']           # file order kept


def test_read_csv_labels_header_only_and_pathlike(tmp_path):
    f = tmp_path / 'labels.csv'
    f.write_text('id,breed\n')
    assert d2l.read_csv_labels(f) == {}


def test_read_csv_labels_names_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError, match='no label file'):
        d2l.read_csv_labels(str(tmp_path / 'missing.csv'))
    f = tmp_path / 'labels.csv'
    f.write_text('id,label\n1,cat\n2,dog,extra\n')
    with pytest.raises(ValueError, match='line 3: expected name,label'):
        d2l.read_csv_labels(str(f))
    f.write_text('id,label\n1,cat\n\n2,dog,x\n')       # counts blank lines
    with pytest.raises(ValueError, match='line 4: expected'):
        d2l.read_csv_labels(str(f))
    f.write_text('id,label\n1,cat\n1,dog\n')
    with pytest.raises(ValueError, match="line 3: '1' is labelled twice"):
        d2l.read_csv_labels(str(f))


# -------------------------------------------------------------- copyfile

def test_copyfile_copies_into_a_new_folder(tmp_path):
    src = tmp_path / 'a.png'
    _png(src, 9)
    target = tmp_path / 'x' / 'y'
    copy = d2l.copyfile(str(src), str(target))
    assert pathlib.Path(copy) == target / 'a.png'
    assert (target / 'a.png').read_bytes() == src.read_bytes()
    assert src.is_file()                              # the original stays


def test_copyfile_names_a_missing_source(tmp_path):
    with pytest.raises(FileNotFoundError, match='is not a file'):
        d2l.copyfile(str(tmp_path / 'none.png'), str(tmp_path / 'out'))
    with pytest.raises(FileNotFoundError, match='is not a file'):
        d2l.copyfile(str(tmp_path), str(tmp_path / 'out'))   # a folder
    assert not (tmp_path / 'out').exists()


# ----------------------------------------------------- reorg_train_valid

def test_reorg_train_valid_hand_checked(comp):
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    # n_min = 3 (cat), r = 0.5: max(1, floor(1.5)) = 1 image per class
    assert d2l.reorg_train_valid(str(comp), labels, 0.5) == 1
    # the first file of each class in *string* order goes to valid:
    # '10.png' < '11.png' < '12.png' < '9.png' for frog
    assert _split(comp, 'valid') == {'cat': ['1.png'], 'dog': ['4.png'],
                                     'frog': ['10.png']}
    assert _split(comp, 'train') == {
        'cat': ['2.png', '3.png'],
        'dog': ['5.png', '6.png', '7.png', '8.png'],
        'frog': ['11.png', '12.png', '9.png']}
    assert {k: len(v) for k, v in _split(comp, 'train_valid').items()} == {
        'cat': 3, 'dog': 5, 'frog': 4}


@pytest.mark.parametrize('counts, ratio, n_valid', [
    ({'a': 57, 'b': 60}, 0.1, 5),      # floor(5.7)
    ({'a': 8, 'b': 9}, 0.1, 1),        # floor(0.8) = 0, raised to 1
    ({'a': 2, 'b': 3}, 0.9, 1),        # floor(1.8): one left to train on
    ({'a': 10, 'b': 10}, 0.3, 3),
])
def test_reorg_train_valid_count_rule(tmp_path, counts, ratio, n_valid):
    comp = _competition(tmp_path, counts, num_test=1)
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    assert d2l.reorg_train_valid(str(comp), labels, ratio) == n_valid
    assert n_valid == max(1, math.floor(ratio * min(counts.values())))
    valid, train = _split(comp, 'valid'), _split(comp, 'train')
    for label, n in counts.items():
        assert len(valid[label]) == n_valid
        assert len(train[label]) == n - n_valid >= 1


def test_reorg_train_valid_loses_and_changes_no_file(comp):
    before = _tree(comp)
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    d2l.reorg_train_valid(str(comp), labels, 0.5)
    after = _tree(comp)
    assert {k: v for k, v in after.items() if k in before} == before
    out = comp / 'train_valid_test'
    for name in os.listdir(comp / 'train'):
        label = labels[name.split('.')[0]]
        original = (comp / 'train' / name).read_bytes()
        assert (out / 'train_valid' / label / name).read_bytes() == original
        homes = [part for part in ('train', 'valid')
                 if (out / part / label / name).is_file()]
        assert len(homes) == 1                      # never in both
        assert (out / homes[0] / label / name).read_bytes() == original


def test_reorg_train_valid_rerun_same_split_is_harmless(comp):
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    d2l.reorg_train_valid(str(comp), labels, 0.5)
    first = _tree(comp)
    assert d2l.reorg_train_valid(str(comp), labels, 0.5) == 1
    assert _tree(comp) == first


def test_reorg_train_valid_refuses_an_earlier_other_split(tmp_path):
    comp = _competition(tmp_path, {'cat': 10, 'dog': 10}, num_test=1)
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    d2l.reorg_train_valid(str(comp), labels, 0.1)    # 1 per class
    first = _tree(comp)
    with pytest.raises(ValueError, match='does not belong to this split'):
        d2l.reorg_train_valid(str(comp), labels, 0.3)  # 3 per class
    assert _tree(comp) == first                      # nothing was copied


def test_reorg_train_valid_refuses_bad_ratios(comp):
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    for ratio in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match=r'valid_ratio must lie in '
                                             r'\(0, 1\), got'):
            d2l.reorg_train_valid(str(comp), labels, ratio)
    for ratio in ('0.1', True, None):
        with pytest.raises(TypeError, match='valid_ratio'):
            d2l.reorg_train_valid(str(comp), labels, ratio)
    with pytest.raises(ValueError, match='finite'):
        d2l.reorg_train_valid(str(comp), labels, float('nan'))
    assert not (comp / 'train_valid_test').exists()


def test_reorg_train_valid_refuses_a_class_of_one(tmp_path):
    comp = _competition(tmp_path, {'cat': 5, 'dog': 1})
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    with pytest.raises(ValueError, match="class 'dog' has 1 labelled "
                                         r'image\(s\); splitting needs at '
                                         'least 2'):
        d2l.reorg_train_valid(str(comp), labels, 0.1)
    with pytest.raises(ValueError, match='has 0 labelled'):
        d2l.reorg_train_valid(str(comp), {}, 0.1)
    assert not (comp / 'train_valid_test').exists()


def test_reorg_train_valid_names_missing_things(tmp_path, comp):
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    with pytest.raises(FileNotFoundError, match='no folder .* of training'):
        d2l.reorg_train_valid(str(tmp_path / 'nowhere'), labels, 0.5)
    del labels['5']
    labels['99'] = 'dog'                              # keep dog at 5 labels
    with pytest.raises(ValueError, match=r'5\.png has no label'):
        d2l.reorg_train_valid(str(comp), labels, 0.5)
    empty = tmp_path / 'empty'
    (empty / 'train').mkdir(parents=True)
    with pytest.raises(ValueError, match='holds no images'):
        d2l.reorg_train_valid(str(empty), {'1': 'a', '2': 'a'}, 0.5)


def test_reorg_train_valid_refuses_unsafe_labels(tmp_path):
    for i, bad in enumerate(['../escape', 'a/b', '..', '', 'c\\d']):
        comp = _competition(tmp_path / f'c{i}', {'cat': 2, bad: 2})
        labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
        with pytest.raises(ValueError, match='cannot be a folder name'):
            d2l.reorg_train_valid(str(comp), labels, 0.5)
        assert not (comp / 'train_valid_test').exists()
    assert sorted(os.listdir(tmp_path)) == [f'c{i}' for i in range(5)]


def test_reorg_train_valid_skips_hidden_files(comp):
    (comp / 'train' / '.DS_Store').write_bytes(b'\0')
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    d2l.reorg_train_valid(str(comp), labels, 0.5)
    names = [p.name for p in (comp / 'train_valid_test').rglob('*')]
    assert '.DS_Store' not in names


def test_reorg_train_valid_warns_about_classes_without_training_files(
        tmp_path):
    # labels for 4 frogs, but only 1 frog file: with n_valid = 1 the file
    # goes to valid and train/ has no frog folder
    comp = _competition(tmp_path, {'cat': 4, 'frog': 1},
                        extra_labels=[(50, 'frog'), (51, 'frog'),
                                      (52, 'frog')])
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    with pytest.warns(UserWarning, match=r"no training images for \['frog'\]"):
        d2l.reorg_train_valid(str(comp), labels, 0.25)
    assert sorted(_split(comp, 'train')) == ['cat']


def test_reorg_train_valid_balanced_split_does_not_warn(comp):
    labels = d2l.read_csv_labels(str(comp / 'trainLabels.csv'))
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        d2l.reorg_train_valid(str(comp), labels, 0.5)


# ------------------------------------------------------------ reorg_test

def test_reorg_test_copies_every_test_image(comp):
    before = _tree(comp / 'test')
    assert d2l.reorg_test(str(comp)) == 3
    unknown = comp / 'train_valid_test' / 'test' / 'unknown'
    assert _tree(unknown) == before
    assert _tree(comp / 'test') == before
    assert d2l.reorg_test(str(comp)) == 3             # rerun: same files
    assert _tree(unknown) == before


def test_reorg_test_names_bad_folders(tmp_path, comp):
    with pytest.raises(FileNotFoundError, match='no folder .* of test'):
        d2l.reorg_test(str(tmp_path / 'nowhere'))
    d2l.reorg_test(str(comp))
    (comp / 'test' / '3.png').unlink()                # test set changed
    with pytest.raises(ValueError, match=r"\['3.png'\], which are not test"):
        d2l.reorg_test(str(comp))
    empty = tmp_path / 'empty'
    (empty / 'test').mkdir(parents=True)
    with pytest.raises(ValueError, match='holds no images'):
        d2l.reorg_test(str(empty))


# --------------------------------------------- published-style user code

def test_published_style_workflow_runs(tmp_path):
    """What a reader of the published book writes: a wrapper around the
    three functions, ImageFolder with the old transforms API, a model and a
    submission whose ids are sorted as strings."""
    import pandas as pd
    import torchvision
    from torchvision import transforms

    comp = _competition(tmp_path / 'kaggle', {'plane': 6, 'car': 6},
                        num_test=11)

    def organize(root, ratio):           # a reader's own wrapper
        lab = d2l.read_csv_labels(os.path.join(root, 'trainLabels.csv'))
        d2l.reorg_train_valid(root, lab, ratio)
        d2l.reorg_test(root)

    organize(str(comp), 0.2)
    to_tensor = transforms.Compose([transforms.ToTensor()])

    def folder(name):
        return torchvision.datasets.ImageFolder(
            os.path.join(str(comp), 'train_valid_test', name), to_tensor)

    train_ds, valid_ds = folder('train'), folder('valid')
    train_valid_ds, test_ds = folder('train_valid'), folder('test')
    assert (len(train_ds), len(valid_ds), len(train_valid_ds),
            len(test_ds)) == (10, 2, 12, 11)
    assert train_ds.classes == valid_ds.classes == ['car', 'plane']
    test_iter = torch.utils.data.DataLoader(test_ds, 4, shuffle=False,
                                            drop_last=False)
    net = d2l.resnet18(10, 3)
    net.eval()
    preds = []
    with torch.no_grad():
        for X, _ in test_iter:
            preds.extend(net(X).argmax(dim=1).type(torch.int32).numpy())
    sorted_ids = list(range(1, len(test_ds) + 1))
    sorted_ids.sort(key=lambda x: str(x))
    df = pd.DataFrame({'id': sorted_ids, 'label': preds})
    df['label'] = df['label'].apply(lambda x: f'class{x}')
    df.to_csv(tmp_path / 'submission.csv', index=False)
    back = pd.read_csv(tmp_path / 'submission.csv')
    assert list(back.id) == [1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]
    # ImageFolder's order and the string-sorted ids agree
    files = [os.path.basename(p) for p, _ in test_ds.samples]
    assert [int(f.split('.')[0]) for f in files] == sorted_ids


def test_mirror_subset_splits_as_the_text_says(mirror, quick, capsys):
    data_dir = d2l.synthetic_vision.real_or_stand_in('cifar10_tiny')
    assert 'genuine Kaggle' in capsys.readouterr().out
    labels = d2l.read_csv_labels(os.path.join(data_dir, 'trainLabels.csv'))
    counts = collections.Counter(labels.values())
    assert len(labels) == 1000 and sorted(counts.values()) == [100] * 10
    assert len(os.listdir(os.path.join(data_dir, 'train'))) == 1000
    assert len(os.listdir(os.path.join(data_dir, 'test'))) == 100


# ------------------------------------ the notebook's loop and submission

def _notebook(**names):
    from notebook_cells import notebook_code
    import itertools
    return notebook_code(
        'computer-vision/kaggle-cifar10.md',
        ('def train_epoch', 'def setup(', 'def train(',
         'def check_submission'),
        itertools=itertools, os=os, **names)


def _write(path, text):
    path.write_text(text)
    return str(path)


@pytest.fixture
def test_dir(tmp_path):
    folder = tmp_path / 'test'
    for i in (1, 2, 10):
        _png(folder / f'{i}.png')
    (folder / '.DS_Store').write_bytes(b'\0')       # ignored
    return str(folder)


def test_check_submission_accepts_a_good_file(tmp_path, test_dir):
    check = _notebook()['check_submission']
    f = _write(tmp_path / 's.csv', 'id,label\n1,cat\n2,dog\n10,cat\n')
    counts = check(f, test_dir, ['cat', 'dog'])
    assert dict(counts) == {'cat': 2, 'dog': 1}


@pytest.mark.parametrize('text, message', [
    ('ID,label\n1,cat\n2,cat\n10,cat\n', 'header must be id,label'),
    ('id,label\n1,cat\n2,cat\n2,cat\n10,cat\n', r"repeated: \['2'\]"),
    ('id,label\n1,cat\n10,cat\n', r"missing: \['2'\]"),
    ('id,label\n1,cat\n2,cat\n10,cat\n11,cat\n', r"unknown: \['11'\]"),
    ('id,label\n01,cat\n2,cat\n10,cat\n', r"unknown: \['01'\]"),
    ('id,label\n1,cat\n10,cat\n2,cat\n', 'not in increasing order'),
    ('id,label\n1,cat\n2,Cat\n10,\n', r"labels \['', 'Cat'\] are not"),
])
def test_check_submission_names_the_problem(tmp_path, test_dir, text,
                                            message):
    check = _notebook()['check_submission']
    f = _write(tmp_path / 's.csv', text)
    with pytest.raises(ValueError, match=message):
        check(f, test_dir, ['cat', 'dog'])


def test_notebook_train_learns_blobs_and_prints(capsys):
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset
    torch.manual_seed(0)
    X = torch.cat([torch.randn(64, 2) + 3, torch.randn(64, 2) - 3])
    y = torch.cat([torch.zeros(64), torch.ones(64)]).long()
    data = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
    ns = _notebook(loss=nn.CrossEntropyLoss(reduction='none'),
                   batches_per_epoch=None)
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    scores = ns['train'](net, data, data, 4, 0.1, 5e-4, [torch.device('cpu')],
                         2, 0.5)
    assert len(scores) == 3 and scores[1] > 0.9 and scores[2] > 0.95
    out = capsys.readouterr().out
    assert f'valid acc {scores[2]:.3f}' in out and 'examples/sec' in out
    scores = ns['train'](net, data, None, 1, 0.1, 5e-4,
                         [torch.device('cpu')], 2, 0.5)
    assert len(scores) == 2 and 'valid' not in capsys.readouterr().out


def test_notebook_train_epoch_stops_after_batches_per_epoch():
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset
    data = DataLoader(TensorDataset(torch.randn(40, 2),
                                    torch.randint(0, 2, (40,))),
                      batch_size=4)                  # 10 minibatches
    ns = _notebook(loss=nn.CrossEntropyLoss(reduction='none'),
                   batches_per_epoch=3)
    net = nn.Linear(2, 2)
    trainer = torch.optim.SGD(net.parameters(), lr=0.1)
    l, correct, n, seconds = ns['train_epoch'](
        net, data, ns['loss'], trainer, [torch.device('cpu')])
    assert n == 12 and 0 <= correct <= 12 and l > 0 and seconds >= 0
