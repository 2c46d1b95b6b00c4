"""Code in the style of the published d2l book (chapter 8, d2l 1.0.3) runs
unchanged on our package.

The snippets are written the way a reader of that book writes them: the
saved blocks `d2l.Residual` and `d2l.ResNeXtBlock` with positional
arguments, a ResNet assembled with `add_to_class` and
`super(ResNet, self).__init__()`, `d2l.FashionMNIST(batch_size=128,
resize=(96, 96))`, `d2l.Trainer(max_epochs=..., num_gpus=1)` on a machine
without a GPU, `apply_init` with `d2l.init_cnn` on a first minibatch, and
results read back from `model.board.data`. Only the assertions were added.
"""
import pytest
import torch
from torch import nn

from d2l import torch as d2l


@pytest.fixture(autouse=True)
def _setup(full):
    """Full mode, a non-interactive backend, a fixed seed."""
    import matplotlib
    matplotlib.use('Agg')
    torch.manual_seed(0)


class ResNet(d2l.Classifier):
    def b1(self):
        stem = [nn.LazyConv2d(64, 7, 2, 3), nn.LazyBatchNorm2d(), nn.ReLU(),
                nn.MaxPool2d(3, 2, 1)]          # positional sizes this time
        return nn.Sequential(*stem)


@d2l.add_to_class(ResNet)
def block(self, num_residuals, num_channels, first_block=False):
    blk = []
    for i in range(num_residuals):
        down = i == 0 and not first_block
        blk.append(d2l.Residual(num_channels, use_1x1conv=down,
                                strides=2 if down else 1))
    return nn.Sequential(*blk)


@d2l.add_to_class(ResNet)
def __init__(self, arch, lr=0.1, num_classes=10):
    super(ResNet, self).__init__()
    self.save_hyperparameters()
    stages = [self.b1()] + [self.block(n, c, first_block=(k == 0))
                            for k, (n, c) in enumerate(arch)]
    head = nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
                         nn.LazyLinear(num_classes))
    self.net = nn.Sequential(*stages, head)


class ResNet18(ResNet):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__(((2, 64), (2, 128), (2, 256), (2, 512)),
                         lr, num_classes)


# ------------------------------------------------------- the two blocks
def test_ch8_residual_keeps_or_changes_the_shape():
    blk = d2l.Residual(3)
    X = torch.randn(4, 3, 6, 6)
    assert blk(X).shape == torch.Size([4, 3, 6, 6])
    blk = d2l.Residual(6, use_1x1conv=True, strides=2)
    assert blk(X).shape == torch.Size([4, 6, 3, 3])


def test_ch8_resnext_block_keeps_the_shape():
    blk = d2l.ResNeXtBlock(32, 16, 1)
    X = torch.randn(4, 32, 96, 96)
    assert blk(X).shape == torch.Size([4, 32, 96, 96])


def test_ch8_regnet_style_stage_of_resnext_blocks():
    # cnn-design builds stages from d2l.ResNeXtBlock(c, g, b, True, 2)
    stage = nn.Sequential(d2l.ResNeXtBlock(32, 16, 1, use_1x1conv=True,
                                           strides=2),
                          d2l.ResNeXtBlock(32, 16, 1))
    assert stage(torch.randn(2, 16, 24, 24)).shape == (2, 32, 12, 12)


# ------------------------------------------------------- ResNet-18
def test_ch8_resnet18_summary_and_size(capsys):
    model = ResNet18()
    model.layer_summary((1, 1, 96, 96))
    lines = capsys.readouterr().out.strip().splitlines()
    shapes = [line.split(None, 1)[1].replace(' ', '') for line in lines]
    assert shapes == ['(1,64,24,24)', '(1,64,24,24)', '(1,128,12,12)',
                      '(1,256,6,6)', '(1,512,3,3)', '(1,10)']
    assert sum(p.numel() for p in model.parameters()) == 11_178_378
    assert d2l.count_macs(model, torch.zeros(1, 1, 96, 96)) == 318_657_536


def test_ch8_training_recipe_runs_on_a_cpu(quick, monkeypatch):
    monkeypatch.setitem(d2l.quickmode.LIMITS, 'max_train_batches', 2)
    monkeypatch.setitem(d2l.quickmode.LIMITS, 'max_val_batches', 1)
    data = d2l.FashionMNIST(batch_size=128, resize=(96, 96))
    X, _ = next(iter(data.get_dataloader(True)))
    model = ResNet(((1, 64),), lr=0.01)           # a one-stage ResNet
    model.apply_init([X], d2l.init_cnn)
    trainer = d2l.Trainer(max_epochs=2, num_gpus=1)
    trainer.fit(model, data)
    assert trainer.gpus == [] or trainer.gpus[0].type != 'cpu'
    assert next(model.parameters()).device.type in {'cpu', 'cuda', 'mps'}
    assert 0 <= model.board.data['val_acc'][-1].y <= 1
    assert torch.isfinite(torch.tensor(model.board.data['train_loss'][-1].y))


def test_ch8_init_cnn_in_a_lazy_constructor_as_published():
    # the published constructors call init_cnn before any weight exists: a
    # no-op there, a no-op with a warning here; apply_init does the real work
    class Tiny(d2l.Classifier):
        def __init__(self, lr=0.1, num_classes=10):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Sequential(d2l.Residual(8, use_1x1conv=True),
                                     nn.Flatten(), nn.LazyLinear(num_classes))
            self.net.apply(d2l.init_cnn)

    with pytest.warns(UserWarning, match='apply_init'):
        model = Tiny()
    model.apply_init([torch.randn(2, 1, 4, 4)], d2l.init_cnn)
    bound = (6 / (9 * 8 + 9 * 8)) ** 0.5        # Xavier for 8 -> 8 channels
    assert model.net[0].conv2.weight.abs().max() <= bound
