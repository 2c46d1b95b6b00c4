"""Tests of Sections 8.1-8.3: the optimizer hyperparameter of the notebooks'
AlexNet, VGG and NiN classes (quick mode passes Adam, the default is SGD).

The classes are notebook-local, so the tests execute the notebooks' own
cells that define them (found by their first line).
"""
import pytest
import torch

from notebook_cells import notebook_code

ALEXNET = notebook_code('convolutional-modern/alexnet.md', ('def conv_relu(',))
VGG = notebook_code('convolutional-modern/vgg.md',
                    ('def vgg_block(', 'class VGG('))
NIN = notebook_code('convolutional-modern/nin.md',
                    ('def nin_block(', 'class NiN('))

ARCH = ((1, 8), (1, 8))                       # a tiny VGG for the tests


def _models(**kwargs):
    return [ALEXNET['AlexNet'](**kwargs), VGG['VGG'](arch=ARCH, **kwargs),
            NIN['NiN'](**kwargs)]


def _materialize(model, side):
    model.apply_init([torch.zeros(2, 1, side, side)])
    return model


@pytest.mark.parametrize('index, side', [(0, 72), (1, 32), (2, 72)])
def test_default_optimizer_is_the_classifiers_sgd(index, side):
    model = _materialize(_models(lr=0.03)[index], side)
    optim = model.configure_optimizers()
    assert type(optim) is torch.optim.SGD
    assert optim.defaults['lr'] == 0.03 and optim.defaults['momentum'] == 0
    assert (sum(p.numel() for g in optim.param_groups for p in g['params'])
            == sum(p.numel() for p in model.parameters()))


@pytest.mark.parametrize('index, side', [(0, 72), (1, 32), (2, 72)])
def test_passed_optimizer_class_is_built_with_the_models_lr(index, side):
    model = _materialize(_models(lr=0.0003, optimizer=torch.optim.Adam)[index],
                         side)
    optim = model.configure_optimizers()
    assert type(optim) is torch.optim.Adam
    assert optim.defaults['lr'] == 0.0003
    assert model.hparams['optimizer'] is torch.optim.Adam


def test_optimizer_does_not_read_a_global_model():
    """Each model builds its optimizer over its own parameters."""
    first, second = (_materialize(ALEXNET['AlexNet'](lr=0.1), 72)
                     for _ in range(2))
    params = {id(p) for g in first.configure_optimizers().param_groups
              for p in g['params']}
    assert params == {id(p) for p in first.parameters()}
    assert not params & {id(p) for p in second.parameters()}
