"""Tests of Section 14.2: the saved DATA_HUB['hotdog'] row, the notebook's
own narrow_resnet18, with_new_head, fine_tuning_optimizer and
train_fine_tuning (run from the section's cells), and a published-style run
on a tiny generated stand-in (never on the real archive)."""
import os

import pytest
import torch
import torchvision
from torch import nn
from torchvision.transforms import v2

from d2l import hub, synthetic_vision
from d2l import torch as d2l
from notebook_cells import notebook_code

SECTION = 'computer-vision/fine-tuning.md'
CPU = torch.device('cpu')


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.fixture(scope='module')
def cells():
    import copy
    from collections import OrderedDict
    return notebook_code(
        SECTION, ('def narrow_resnet18', 'def with_new_head',
                  'def fine_tuning_optimizer', 'def train_fine_tuning'),
        trim=lambda cell: cell.split('\ntorch.manual_seed(1)')[0],
        copy=copy, OrderedDict=OrderedDict, torchvision=torchvision)


@pytest.fixture(scope='module')
def stand_in(tmp_path_factory):
    """Two training and one test image per class, in the archive's tree."""
    target = tmp_path_factory.mktemp('data') / 'hotdog-synthetic'
    return synthetic_vision.build_hotdog(target, num_train=2, num_test=1)


def _folders(root, size=32):
    to_float = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32,
                                                    scale=True)])
    augs = v2.Compose([v2.Resize([size, size]), to_float])
    return [torchvision.datasets.ImageFolder(os.path.join(root, split),
                                             transform=augs)
            for split in ('train', 'test')]


# ------------------------------------------------------- the saved code

def test_data_hub_row_is_the_books_archive():
    url, sha1 = d2l.DATA_HUB['hotdog']
    assert url == hub.DATA_URL + 'hotdog.zip'
    assert url.endswith('/hotdog.zip') and d2l.DATA_URL == hub.DATA_URL
    assert sha1 == 'fba480ffa8aa7e0febbb511d181409f899b9baa5'


def test_the_archive_is_asked_for_not_replaced(mirror, full):
    # offline and uncached, default mode names the archive and the way out
    with pytest.raises(hub.DataError, match='default mode needs the real '
                       r'hotdog.zip \(hotdog\)'):
        synthetic_vision.real_or_stand_in('hotdog')


# ------------------------------------------------- the notebook's code

def test_narrow_resnet18_shapes_and_torchvision_names(cells):
    net = cells['narrow_resnet18'](10)
    assert net(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert net(torch.zeros(1, 3, 48, 64)).shape == (1, 10)  # any size
    names = [n for n, _ in net.named_children()]
    tv_names = [n for n, _ in torchvision.models.resnet18().named_children()]
    assert [n for n in names if n != 'flatten'] == [
        n for n in tv_names if n != 'maxpool']
    assert net.fc.in_features == 8 * 16


def test_narrow_resnet18_width_sets_every_stage(cells):
    net = cells['narrow_resnet18'](3, width=4)
    assert net.conv1.out_channels == 4
    assert [getattr(net, f'layer{k}')[1].conv2.out_channels
            for k in range(1, 5)] == [4, 8, 16, 32]
    assert (net.fc.in_features, net.fc.out_features) == (32, 3)
    # the stem halves the image, layers 2-4 halve it again: 32 -> 2
    X = torch.zeros(1, 3, 32, 32)
    features = nn.Sequential(*list(net.children())[:-3])(X)
    assert features.shape == (1, 32, 2, 2)


def test_narrow_resnet18_rejects_a_grey_image(cells):
    with pytest.raises(RuntimeError, match='to have 3 channels'):
        cells['narrow_resnet18'](2)(torch.zeros(1, 1, 32, 32))


def test_with_new_head_copies_the_body_and_leaves_the_source(cells):
    source = cells['narrow_resnet18'](10, width=4)
    before = {k: v.clone() for k, v in source.state_dict().items()}
    target = cells['with_new_head'](source, 2)
    assert (target.fc.in_features, target.fc.out_features) == (32, 2)
    assert source.fc.out_features == 10
    for name, value in target.state_dict().items():
        if not name.startswith('fc.'):             # batch-norm stats too
            assert torch.equal(value, before[name]), name
    # training the copy changes nothing in the source
    target(torch.randn(4, 3, 32, 32)).sum().backward()
    torch.optim.SGD(target.parameters(), lr=1.0).step()
    for name, value in source.state_dict().items():
        assert torch.equal(value, before[name]), name


def test_with_new_head_draws_xavier_uniform_weights(cells):
    source = cells['narrow_resnet18'](10, width=4)
    W = cells['with_new_head'](source, 2).fc.weight.detach()
    bound = (6 / (32 + 2)) ** 0.5                  # fan-in 32, fan-out 2
    assert W.shape == (2, 32)
    assert W.abs().max() <= bound and W.abs().max() > 0.5 * bound


def test_with_new_head_needs_an_fc_layer(cells):
    with pytest.raises(AttributeError, match='fc'):
        cells['with_new_head'](nn.Sequential(nn.Linear(2, 2)), 2)


class _Tiny(nn.Module):
    """A body and an `fc` head, as the section's networks name them."""
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(2, 2, bias=False)
        self.fc = nn.Linear(2, 1, bias=False)

    def forward(self, X):
        return self.fc(self.body(X))


def test_fine_tuning_optimizer_groups(cells):
    net = _Tiny()
    trainer = cells['fine_tuning_optimizer'](net, 0.5)
    assert [g['lr'] for g in trainer.param_groups] == [0.5, 5.0]
    assert [g['weight_decay'] for g in trainer.param_groups] == [0.001] * 2
    assert trainer.param_groups[0]['params'] == [net.body.weight]
    assert trainer.param_groups[1]['params'] == [net.fc.weight]
    single = cells['fine_tuning_optimizer'](net, 0.5, param_group=False)
    assert [g['lr'] for g in single.param_groups] == [0.5]
    assert len(single.param_groups[0]['params']) == 2


def test_fine_tuning_optimizer_hand_checked_step(cells):
    # y = fc(body(x)) with body = I and fc = (1, 1), x = (1, 2):
    # d y / d fc = body(x) = (1, 2); d y / d body = fc^T x^T = [[1, 2], [1, 2]]
    net = _Tiny()
    with torch.no_grad():
        net.body.weight.copy_(torch.eye(2))
        net.fc.weight.fill_(1.0)
    trainer = cells['fine_tuning_optimizer'](net, 0.1)
    net(torch.tensor([[1.0, 2.0]])).sum().backward()
    trainer.step()
    # fc: 1 - 1.0 * (grad + 0.001 * 1); body: I - 0.1 * (grad + 0.001 * I)
    assert torch.allclose(net.fc.weight, torch.tensor([[-0.001, -1.001]]),
                          atol=1e-6)
    assert torch.allclose(net.body.weight, torch.tensor(
        [[0.8999, -0.2], [-0.1, 0.7999]]), atol=1e-6)


def test_fine_tuning_optimizer_rejects_a_net_without_fc(cells):
    with pytest.raises(AttributeError, match='fc'):
        cells['fine_tuning_optimizer'](nn.Linear(2, 2), 0.1)


@pytest.fixture(scope='module')
def training(stand_in):
    """The section's training code, reading the tiny stand-in."""
    import copy
    from collections import OrderedDict
    train_imgs, test_imgs = _folders(stand_in)
    return notebook_code(
        SECTION, ('def narrow_resnet18', 'def fine_tuning_optimizer',
                  'def train_fine_tuning'),
        copy=copy, OrderedDict=OrderedDict, torchvision=torchvision,
        train_imgs=train_imgs, test_imgs=test_imgs)


def test_train_fine_tuning_runs_on_the_stand_in(training, capsys):
    ns = training
    net = ns['narrow_resnet18'](2, width=4)
    loss, train_acc, test_acc = ns['train_fine_tuning'](
        net, 0.01, batch_size=2, num_epochs=1)
    assert loss > 0 and 0 <= train_acc <= 1
    assert test_acc in (0.0, 0.5, 1.0)             # two test images
    assert "examples/sec on ['cpu']" in capsys.readouterr().out


def test_train_fine_tuning_rejects_zero_epochs(training):
    ns = training
    with pytest.raises(ValueError, match='num_epochs'):
        ns['train_fine_tuning'](ns['narrow_resnet18'](2, width=4), 0.01,
                                num_epochs=0)


# ------------------------------------------- as a published reader writes it

def test_published_style_fine_tuning(stand_in, capsys):
    # a reader's notebook, written against the published d2l API; only the
    # folder differs, since the real hotdog.zip cannot be fetched offline
    d2l.DATA_HUB['hotdog'] = (d2l.DATA_URL + 'hotdog.zip',
                              'fba480ffa8aa7e0febbb511d181409f899b9baa5')
    data_dir = stand_in
    means, stds = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    train_tf = torchvision.transforms.Compose([
        torchvision.transforms.RandomResizedCrop(32),
        torchvision.transforms.RandomHorizontalFlip(),
        torchvision.transforms.ToTensor(),
        torchvision.transforms.Normalize(means, stds)])
    test_tf = torchvision.transforms.Compose([
        torchvision.transforms.Resize([36, 36]),
        torchvision.transforms.CenterCrop(32),
        torchvision.transforms.ToTensor(),
        torchvision.transforms.Normalize(means, stds)])
    train_ds = torchvision.datasets.ImageFolder(
        os.path.join(data_dir, 'train'), transform=train_tf)
    test_ds = torchvision.datasets.ImageFolder(
        os.path.join(data_dir, 'test'), transform=test_tf)
    assert train_ds.classes == ['hotdog', 'not-hotdog']

    net = torchvision.models.resnet18()           # no weights offline
    net.fc = nn.Linear(net.fc.in_features, 2)
    nn.init.xavier_uniform_(net.fc.weight)
    base_lr = 5e-5
    head = ['fc.weight', 'fc.bias']
    others = [p for n, p in net.named_parameters() if n not in head]
    optimizer = torch.optim.SGD(
        [{'params': others},
         {'params': net.fc.parameters(), 'lr': base_lr * 10}],
        lr=base_lr, weight_decay=0.001)
    train_iter = torch.utils.data.DataLoader(train_ds, batch_size=4,
                                             shuffle=True)
    test_iter = torch.utils.data.DataLoader(test_ds, batch_size=4)
    devices = d2l.try_all_gpus()
    d2l.train_ch13(net, train_iter, test_iter,
                   nn.CrossEntropyLoss(reduction='none'), optimizer, 1,
                   devices)
    out = capsys.readouterr().out
    assert 'loss ' in out and 'test acc ' in out and 'examples/sec' in out
