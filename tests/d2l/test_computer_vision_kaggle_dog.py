"""Tests of Section 14.14 (kaggle-dog): the DATA_HUB row it saves, the
notebook's own functions (folder sorting, the frozen extractor with its
head, the loss, the training loop, the probability submission and its
check), and code that uses our package the way the published book (d2l
1.0.3) does.

The section saves only the DATA_HUB row; its other definitions run from the
notebook's own cells, found by their first code line. Data: tiny generated
stand-ins written into a temporary folder by d2l.synthetic_vision.
"""
import math
import os

import matplotlib
import pytest
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.transforms import v2

from d2l import hub, synthetic_vision
from d2l import torch as d2l
from notebook_cells import notebook_code

matplotlib.use('Agg')

DEFINES = ('def reorg_dog_data(', 'class SourceCNN(', 'def shape_images(',
           'def pretrain_source(', 'class DogNet(',
           'loss = nn.CrossEntropyLoss(', 'def train(', 'def train_epoch(',
           'def report(', 'def predict_probabilities(',
           'def stored_features(', 'def check_ids(', 'def check_submission(')


def definition_only(cell):
    """The prediction cell without the lines that run it."""
    return cell.split('\n\nprobs =')[0]


TO_INPUT = [v2.ToImage(), v2.ToDtype(torch.float32, scale=True),
            v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]
NB = notebook_code('computer-vision/kaggle-dog.md', DEFINES,
                   trim=definition_only, os=os, DataLoader=DataLoader, v2=v2,
                   to_input=TO_INPUT)
CPU = [torch.device('cpu')]


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)
    yield
    d2l.plt.close('all')


@pytest.fixture
def dogs(tmp_path):
    """A fresh tiny stand-in: 3 breeds x 10 images, 4 test images."""
    return synthetic_vision.build_kaggle_dog(
        tmp_path / 'dogs-synthetic', num_breeds=3, per_breed=10, num_test=4,
        sizes=(24, 40))


def tiny_backbone(d=6):
    """A feature extractor with batch norm, ending in an identity fc."""
    net = nn.Sequential(nn.Conv2d(3, d, 3, padding=1), nn.BatchNorm2d(d),
                        nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    return net


# --- the saved DATA_HUB row ---------------------------------------------------

def test_data_hub_row_is_the_books_archive():
    url, sha1 = d2l.DATA_HUB['dog_tiny']
    assert url == hub.DATA_URL + 'kaggle_dog_tiny.zip'
    assert sha1 == '0cb91d09b814ecdc07b50f31f8dcad3e81d6a86d'


def test_default_mode_asks_for_the_real_archive(monkeypatch, tmp_path):
    monkeypatch.delenv('D2L_QUICK', raising=False)
    monkeypatch.setenv('D2L_DATA_DIR', str(tmp_path))
    with pytest.raises(hub.DataError, match='kaggle_dog_tiny.zip'):
        synthetic_vision.real_or_stand_in('dog_tiny', sizes=(96, 192))
    assert not (tmp_path / 'kaggle-dog-tiny-synthetic').exists()


# --- sorting the files --------------------------------------------------------

def test_reorg_counts_every_folder(dogs):
    counts = NB['reorg_dog_data'](dogs, 0.1)
    # 10 per breed: max(1, floor(0.1 * 10)) = 1 validation image per breed
    assert counts == {'train': 27, 'valid': 3, 'train_valid': 30, 'test': 4}
    root = os.path.join(dogs, 'train_valid_test')
    assert sorted(os.listdir(os.path.join(root, 'valid'))) == sorted(
        synthetic_vision.BREEDS[:3])
    assert os.listdir(os.path.join(root, 'test')) == ['unknown']


def test_reorg_is_repeatable_and_names_a_bad_ratio(dogs):
    first = NB['reorg_dog_data'](dogs, 0.2)
    assert NB['reorg_dog_data'](dogs, 0.2) == first     # copies, no growth
    with pytest.raises(ValueError, match='valid_ratio must lie in'):
        NB['reorg_dog_data'](dogs, 1.5)


# --- networks -----------------------------------------------------------------

def test_source_cnn_shapes_and_fc():
    net = NB['SourceCNN'](width=4, num_classes=10)
    assert net(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    net.fc = nn.Identity()                # any size in, 4 * width out
    assert net(torch.zeros(2, 3, 64, 48)).shape == (2, 16)


def test_pretrain_source_returns_a_net_and_an_accuracy(monkeypatch):
    shapes = synthetic_vision.synthetic_cifar
    monkeypatch.setattr(synthetic_vision, 'synthetic_cifar',   # 500 -> 20
                        lambda n, **kw: shapes(min(n, 20), **kw))
    net, acc = NB['pretrain_source'](20, 1, torch.device('cpu'),
                                     batch_size=10)
    assert isinstance(net, NB['SourceCNN']) and not net.training
    assert 0.0 <= acc <= 1.0
    assert acc * 20 == pytest.approx(round(acc * 20))   # k of 20 right


def test_dognet_trains_only_the_head():
    net = NB['DogNet'](tiny_backbone(), 6, 5, num_hiddens=7)
    assert net(torch.randn(4, 3, 8, 8)).shape == (4, 5)
    trained = sum(p.numel() for p in net.parameters() if p.requires_grad)
    assert trained == 6 * 7 + 7 + 7 * 5 + 5
    assert not any(p.requires_grad for p in net.features.parameters())


def test_dognet_keeps_the_extractor_in_eval_mode():
    net = NB['DogNet'](tiny_backbone(), 6, 5)
    bn = net.features[1]
    before = bn.running_mean.clone()
    assert net.train() is net
    assert net.training and net.output_new.training
    assert not net.features.training and not bn.training
    net(torch.randn(4, 3, 8, 8) + 3)       # would move the running mean
    assert torch.equal(bn.running_mean, before)


def test_dognet_cuts_the_graph_at_the_features():
    net = NB['DogNet'](tiny_backbone(), 6, 5)
    X = torch.randn(2, 3, 8, 8, requires_grad=True)
    net(X).sum().backward()
    assert X.grad is None                  # nothing flows into phi


# --- loss, training, prediction ----------------------------------------------

def _loader(n=12, q=3, batch_size=4, shuffle=False):
    X = torch.randn(n, 3, 8, 8)
    y = torch.arange(n) % q
    return DataLoader(TensorDataset(X, y), batch_size, shuffle=shuffle,
                      drop_last=shuffle)


def test_uniform_head_has_loss_log_q():
    net = NB['DogNet'](tiny_backbone(), 6, 3)
    for p in net.output_new.parameters():
        nn.init.zeros_(p)                   # every score 0: uniform softmax
    loss = NB['evaluate_loss'](_loader(n=10), net, CPU)   # last batch: 2
    assert loss == pytest.approx(math.log(3), rel=1e-6)


def test_train_changes_the_head_and_not_the_extractor(capsys):
    net = NB['DogNet'](tiny_backbone(), 6, 3)
    features = {k: v.clone() for k, v in net.features.state_dict().items()}
    head = [p.clone() for p in net.output_new.parameters()]
    train_loss, valid_loss = NB['train'](
        net, _loader(shuffle=True), _loader(), 2, 0.1, 1e-4, CPU, 1, 0.5)
    for k, v in net.features.state_dict().items():
        assert torch.equal(v, features[k]), k      # weights and buffers
    assert any(not torch.equal(a, b)
               for a, b in zip(head, net.output_new.parameters()))
    out = capsys.readouterr().out
    assert f'train loss {train_loss:.3f}, valid loss {valid_loss:.3f}' in out
    assert 'examples/sec' in out


def test_train_without_validation_reports_train_loss_only(capsys):
    net = NB['DogNet'](tiny_backbone(), 6, 3)
    train_loss, valid_loss = NB['train'](
        net, _loader(shuffle=True), None, 1, 0.1, 0.0, CPU, 1, 0.5)
    assert valid_loss is None and train_loss > 0
    assert 'valid' not in capsys.readouterr().out


def test_probabilities_are_rows_of_a_distribution():
    net = NB['DogNet'](tiny_backbone(), 6, 3)
    P = NB['predict_probabilities'](net, _loader(n=10), CPU)
    assert P.shape == (10, 3)
    assert torch.allclose(P.sum(dim=1), torch.ones(10))
    assert (P >= 0).all()


def test_stored_features_shapes():
    ds = TensorDataset(torch.randn(70, 3, 8, 8), torch.arange(70) % 3)
    Z, y = NB['stored_features'](tiny_backbone(), ds)
    assert Z.shape == (70, 6) and torch.equal(y, torch.arange(70) % 3)


# --- the submission and its check ----------------------------------------------

CLASSES = ['beagle', 'akita', 'collie']      # ImageFolder order is sorted


def _test_dir(tmp_path, ids=('b2', 'a1', 'c3')):
    folder = tmp_path / 'test'
    folder.mkdir()
    for i in ids:
        (folder / f'{i}.jpg').write_bytes(b'')
    return str(folder)


def _write(tmp_path, header, rows):
    path = tmp_path / 'submission.csv'
    lines = [','.join(header)] + [','.join(map(str, r)) for r in rows]
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


GOOD = [('a1', 0.2, 0.5, 0.3), ('b2', 1.0, 0.0, 0.0), ('c3', 0.1, 0.1, 0.8)]
HEADER = ['id', 'akita', 'beagle', 'collie']


def test_check_accepts_a_valid_file(tmp_path):
    table = NB['check_submission'](_write(tmp_path, HEADER, GOOD),
                                   _test_dir(tmp_path), CLASSES)
    assert list(table['id']) == ['a1', 'b2', 'c3']
    assert table['collie'].tolist() == [0.3, 0.0, 0.8]


def test_check_keeps_ids_that_look_like_numbers(tmp_path):
    rows = [('007', 0.5, 0.5, 0.0)]
    table = NB['check_submission'](_write(tmp_path, HEADER, rows),
                                   _test_dir(tmp_path, ['007']), CLASSES)
    assert table['id'].tolist() == ['007']


@pytest.mark.parametrize('header, rows, message', [
    (['id', 'beagle', 'akita', 'collie'], GOOD, 'header must be id'),
    (HEADER[:3], [r[:3] for r in GOOD], 'header must be id'),
    (HEADER, GOOD[:2], r"missing \['c3'\]"),
    (HEADER, GOOD + [('d4', 0.0, 0.0, 1.0)], r"extra \['d4'\]"),
    (HEADER, GOOD + [GOOD[0]], r"repeated ids: \['a1'\]"),
    (HEADER, [('a1', 1.2, -0.2, 0.0)] + GOOD[1:], r'lie in \[0, 1\]'),
    (HEADER, [('a1', 0.2, 0.2, 0.2)] + GOOD[1:], 'row sums must be 1'),
])
def test_check_names_the_problem(tmp_path, header, rows, message):
    with pytest.raises(ValueError, match=message):
        NB['check_submission'](_write(tmp_path, header, rows),
                               _test_dir(tmp_path), CLASSES)


def test_check_accepts_sums_within_atol(tmp_path):
    rows = [('a1', 0.33333, 0.33333, 0.33333)] + GOOD[1:]   # sum 0.99999
    path, test_dir = _write(tmp_path, HEADER, rows), _test_dir(tmp_path)
    NB['check_submission'](path, test_dir, CLASSES)
    with pytest.raises(ValueError, match='row sums'):
        NB['check_submission'](path, test_dir, CLASSES, atol=1e-6)


# --- published-style use of the package ----------------------------------------

def test_published_style_pipeline_on_the_stand_in(dogs, tmp_path):
    """A reader's own script in the published book's style: DATA_HUB row,
    read_csv_labels / reorg_train_valid / reorg_test, ImageFolder with
    torchvision transforms, nn.Sequential with `features` and `output_new`,
    Animator/Accumulator/Timer, then a probability CSV written by hand."""
    d2l.DATA_HUB['dog_tiny'] = (d2l.DATA_URL + 'kaggle_dog_tiny.zip',
                                '0cb91d09b814ecdc07b50f31f8dcad3e81d6a86d')
    labels = d2l.read_csv_labels(os.path.join(dogs, 'labels.csv'))
    assert d2l.reorg_train_valid(dogs, labels, 0.25) == 2
    d2l.reorg_test(dogs)
    tf = torchvision.transforms
    aug = tf.Compose([tf.RandomResizedCrop(16, scale=(0.5, 1.0)),
                      tf.RandomHorizontalFlip(), tf.ToTensor(),
                      tf.Normalize([0.485, 0.456, 0.406],
                                   [0.229, 0.224, 0.225])])
    plain = tf.Compose([tf.Resize(18), tf.CenterCrop(16), tf.ToTensor()])
    folder = os.path.join(dogs, 'train_valid_test')
    train_ds = torchvision.datasets.ImageFolder(
        os.path.join(folder, 'train_valid'), transform=aug)
    test_ds = torchvision.datasets.ImageFolder(
        os.path.join(folder, 'test'), transform=plain)
    train_iter = DataLoader(train_ds, 8, shuffle=True, drop_last=True)
    test_iter = DataLoader(test_ds, 8)

    devices = d2l.try_all_gpus()
    finetune_net = nn.Sequential()
    finetune_net.features = tiny_backbone(4)
    finetune_net.output_new = nn.Sequential(nn.Linear(4, 16), nn.ReLU(),
                                            nn.Linear(16, 3))
    finetune_net = finetune_net.to(devices[0])
    for param in finetune_net.features.parameters():
        param.requires_grad = False
    loss = nn.CrossEntropyLoss(reduction='none')
    trainer = torch.optim.SGD(
        (p for p in finetune_net.parameters() if p.requires_grad), lr=0.05,
        momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.StepLR(trainer, 1, 0.9)
    animator = d2l.Animator(xlabel='epoch', xlim=[1, 2],
                            legend=['train loss'])
    timer = d2l.Timer()
    for epoch in range(2):
        metric = d2l.Accumulator(2)
        for features, labels_ in train_iter:
            timer.start()
            trainer.zero_grad()
            l = loss(finetune_net(features.to(devices[0])),
                     labels_.to(devices[0]))
            l.sum().backward()
            trainer.step()
            metric.add(l.sum().item(), labels_.shape[0])
            timer.stop()
        animator.add(epoch + 1, (metric[0] / metric[1],))
        scheduler.step()
    assert metric[1] == 24 and timer.sum() > 0

    preds = []
    for data, _ in test_iter:
        output = torch.nn.functional.softmax(
            finetune_net(data.to(devices[0])), dim=1)
        preds.extend(output.detach().cpu().numpy())
    ids = sorted(os.listdir(os.path.join(folder, 'test', 'unknown')))
    out = tmp_path / 'submission.csv'
    with open(out, 'w') as f:
        f.write('id,' + ','.join(train_ds.classes) + '\n')
        for i, p in zip(ids, preds):
            f.write(i.split('.')[0] + ',' + ','.join(
                str(float(v)) for v in p) + '\n')
    table = NB['check_submission'](str(out), os.path.join(dogs, 'test'),
                                   train_ds.classes)
    assert table.shape == (4, 4)
    assert list(table.columns[1:]) == sorted(synthetic_vision.BREEDS[:3])
