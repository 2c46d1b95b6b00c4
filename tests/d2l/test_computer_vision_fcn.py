"""Tests of Section 14.11 (fcn): the bilinear kernel of the transposed
convolution against F.interpolate (align_corners=False: equal away from the
s/2-pixel border, equal everywhere on a replicate-padded input, unequal to
align_corners=True), the output-size rule k = 2s, p = s/2, the per-pixel
loss, whole-image prediction with padding, the colour map, the confusion
matrix with pixel accuracy and (mean) IoU on hand-made masks, the backbone
fallback, the section's figures, and an FCN workflow written the way a
reader of the published book writes it, on a tiny generated stand-in.

The section saves no code: its definitions are executed from the
notebook's own cells, found by their first line.
"""
import importlib.util
import math
import os
import pathlib
import urllib.error

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import synthetic_vision
from d2l import torch as d2l
from notebook_cells import notebook_code

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECTION = ROOT / 'chapters' / 'computer-vision' / 'fcn.md'
FIGURES = SECTION.parent / 'img' / 'fcn_figures.py'
DEFINES = ('def resnet18_with_weights(', 'def tconv_size(',
           'def bilinear_kernel(', 'def loss(', 'def predict(',
           'def label2image(', 'def confusion_matrix(',
           'def pixel_accuracy(')

NB = notebook_code('computer-vision/fcn.md', DEFINES, F=F)
bilinear_kernel = NB['bilinear_kernel']
confusion_matrix = NB['confusion_matrix']
pixel_accuracy, class_iou, mean_iou = (NB['pixel_accuracy'],
                                       NB['class_iou'], NB['mean_iou'])

# the section's hand-made example (3 classes, 3 x 4 pixels)
LABEL = torch.tensor([[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 2, 0]])
PRED = torch.tensor([[0, 0, 1, 0], [0, 1, 1, 1], [2, 2, 0, 0]])


def rand(*shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, generator=g, dtype=torch.float64)


def upsample(X, s, pad_input=False):
    """Transposed convolution with the bilinear kernel, factor s (float64)."""
    c = X.shape[1]
    k, p = (2 * s, s // 2) if s % 2 == 0 else (2 * s - 1, (s - 1) // 2)
    W = bilinear_kernel(c, c, k).double()
    if pad_input:
        X = F.pad(X, (1, 1, 1, 1), mode='replicate')
        p += s
    return F.conv_transpose2d(X, W, stride=s, padding=p)


def interpolate(X, s, align_corners=False):
    return F.interpolate(X, scale_factor=s, mode='bilinear',
                         align_corners=align_corners)


# --- bilinear_kernel: values, shapes, errors ---------------------------------

def test_kernel_of_size_4_is_the_tent_quarter_three_quarters():
    W = bilinear_kernel(1, 1, 4)
    tent = torch.tensor([0.25, 0.75, 0.75, 0.25])
    assert torch.allclose(W[0, 0], tent[:, None] * tent[None, :])


def test_odd_kernel_peaks_at_one_in_the_middle():
    W = bilinear_kernel(1, 1, 5)
    tent = torch.tensor([1 / 3, 2 / 3, 1, 2 / 3, 1 / 3])
    assert torch.allclose(W[0, 0], tent[:, None] * tent[None, :])
    assert torch.equal(bilinear_kernel(1, 1, 1), torch.ones(1, 1, 1, 1))


@pytest.mark.parametrize('c_in, c_out', [(3, 3), (2, 5), (4, 1)])
def test_kernel_shape_and_channel_pairs(c_in, c_out):
    W = bilinear_kernel(c_in, c_out, 8)
    assert W.shape == (c_in, c_out, 8, 8) and W.dtype == torch.float32
    sums = W.sum(dim=(2, 3))
    expected = torch.zeros(c_in, c_out)
    n = min(c_in, c_out)
    expected[range(n), range(n)] = 16.0          # s^2 for k = 2s = 8
    assert torch.allclose(sums, expected)


@pytest.mark.parametrize('s', [2, 4, 32])
def test_every_interior_output_is_a_weighted_average(s):
    """The s x s phases of the kernel each sum to 1 (weights of one pixel)."""
    K = bilinear_kernel(1, 1, 2 * s)[0, 0].double()
    for a in range(s):
        for b in range(s):
            assert math.isclose(float(K[a::s, b::s].sum()), 1.0,
                                 rel_tol=1e-6)


def test_kernel_names_bad_arguments():
    with pytest.raises(ValueError,
                       match='kernel_size must be an integer >= 1'):
        bilinear_kernel(1, 1, 0)
    with pytest.raises(TypeError, match='in_channels must be an integer'):
        bilinear_kernel(1.5, 1, 4)
    with pytest.raises(ValueError, match='out_channels must be an integer'):
        bilinear_kernel(1, 0, 4)


# --- bilinear_kernel against F.interpolate -----------------------------------

@pytest.mark.parametrize('s', [2, 4, 8, 32])
def test_matches_interpolate_align_corners_false_inside(s):
    X = rand(2, 3, 3, 4, seed=s)
    Y, ref = upsample(X, s), interpolate(X, s)
    assert Y.shape == ref.shape == (2, 3, 3 * s, 4 * s)
    b = s // 2                                   # the border that differs
    assert torch.allclose(Y[..., b:-b, b:-b], ref[..., b:-b, b:-b],
                          atol=1e-6)
    assert not torch.allclose(Y[..., :b, :], ref[..., :b, :],
                              atol=1e-3)


@pytest.mark.parametrize('s', [2, 4, 8, 32])
def test_replicate_padding_makes_them_equal_everywhere(s):
    X = rand(1, 2, 5, 3, seed=10 + s)
    assert torch.allclose(upsample(X, s, pad_input=True), interpolate(X, s),
                          atol=1e-6)


@pytest.mark.parametrize('s', [3, 5])
def test_odd_factor_with_kernel_2s_minus_1(s):
    X = rand(1, 1, 4, 4, seed=s)
    Y, ref = upsample(X, s), interpolate(X, s)
    b = s // 2
    assert Y.shape == ref.shape
    assert torch.allclose(Y[..., b:-b, b:-b], ref[..., b:-b, b:-b],
                          atol=1e-6)
    assert torch.allclose(upsample(X, s, pad_input=True), ref, atol=1e-6)


def test_does_not_match_align_corners_true():
    X = rand(1, 1, 4, 4, seed=3)
    assert not torch.allclose(upsample(X, 2, pad_input=True),
                              interpolate(X, 2, align_corners=True),
                              atol=1e-3)


def test_constant_image_stays_constant_inside():
    Y = upsample(torch.full((1, 1, 3, 3), 0.5, dtype=torch.float64), 4)
    assert torch.allclose(Y[..., 2:-2, 2:-2], torch.tensor(0.5,
                                                           dtype=Y.dtype))
    assert Y[0, 0, 0, 0] < 0.5                  # the dark border


def test_layer_with_the_kernel_keeps_channels_apart():
    layer = nn.ConvTranspose2d(3, 3, kernel_size=4, padding=1, stride=2,
                               bias=False)
    with torch.no_grad():
        layer.weight.copy_(bilinear_kernel(3, 3, 4))
    X = torch.zeros(1, 3, 4, 4)
    X[0, 1] = 1.0                                # only channel 1 is lit
    Y = layer(X)
    assert Y[0, 0].abs().max() == 0 and Y[0, 2].abs().max() == 0
    assert torch.allclose(Y[0, 1, 1:-1, 1:-1], torch.ones(6, 6))


# --- output size -------------------------------------------------------------

def test_tconv_size_values():
    tconv_size = NB['tconv_size']
    assert tconv_size(10, 64, 32, 16) == 320
    assert tconv_size(15, 64, 32, 16) == 480
    assert tconv_size(3, 3, 1, 0) == 5


@pytest.mark.parametrize('n, k, s, p', [(10, 64, 32, 16), (7, 5, 3, 1),
                                        (4, 3, 2, 1), (1, 4, 2, 0)])
def test_tconv_size_matches_pytorch(n, k, s, p):
    Y = F.conv_transpose2d(torch.zeros(1, 1, n, n + 2),
                           torch.zeros(1, 1, k, k), stride=s, padding=p)
    assert Y.shape[2:] == (NB['tconv_size'](n, k, s, p),
                           NB['tconv_size'](n + 2, k, s, p))


def test_fcn_head_restores_the_input_size():
    import torchvision
    torch.manual_seed(0)
    net = nn.Sequential(*list(torchvision.models.resnet18().children())[:-2])
    net.add_module('final_conv', nn.Conv2d(512, 6, kernel_size=1))
    net.add_module('transpose_conv', nn.ConvTranspose2d(
        6, 6, kernel_size=64, padding=16, stride=32))
    net.eval()
    with torch.no_grad():
        assert net[:-2](torch.zeros(1, 3, 64, 96)).shape == (1, 512, 2, 3)
        assert net(torch.zeros(1, 3, 64, 96)).shape == (1, 6, 64, 96)


# --- loss --------------------------------------------------------------------

def test_loss_is_mean_pixel_cross_entropy_per_image():
    scores = torch.zeros(2, 4, 3, 5)               # uniform over 4 classes
    labels = torch.randint(0, 4, (2, 3, 5))
    l = NB['loss'](scores, labels)
    assert l.shape == (2,)
    assert torch.allclose(l, torch.full((2,), math.log(4)))


def test_loss_matches_a_loop_over_pixels():
    g = torch.Generator().manual_seed(1)
    scores = torch.randn(2, 3, 2, 4, generator=g)
    labels = torch.randint(0, 3, (2, 2, 4), generator=g)
    expected = torch.stack([
        torch.stack([F.cross_entropy(scores[b, :, h, w][None],
                                     labels[b, h, w][None])
                     for h in range(2) for w in range(4)]).mean()
        for b in range(2)])
    assert torch.allclose(NB['loss'](scores, labels), expected)


# --- prediction and colours --------------------------------------------------

class Stride32(nn.Module):
    """A tiny network with the FCN's stride: one 32x32 patch per score."""
    def __init__(self, q=3):
        super().__init__()
        self.body = nn.Conv2d(3, q, kernel_size=32, stride=32)
        self.up = nn.ConvTranspose2d(q, q, kernel_size=64, padding=16,
                                     stride=32)

    def forward(self, X):
        return self.up(self.body(X))


@pytest.mark.parametrize('H, W', [(64, 96), (50, 77), (33, 40)])
def test_predict_returns_one_class_per_pixel(H, W):
    torch.manual_seed(0)
    net = Stride32()
    img = torch.randint(0, 256, (3, H, W), dtype=torch.uint8)
    pred = NB['predict'](net, img, lambda x: x.float() / 255, 'cpu')
    assert pred.shape == (H, W) and pred.dtype == torch.long
    assert 0 <= pred.min() and pred.max() < 3
    assert not net.training


def test_predict_equals_argmax_when_no_padding_is_needed():
    torch.manual_seed(0)
    net = Stride32().eval()
    img = torch.randint(0, 256, (3, 64, 96), dtype=torch.uint8)
    with torch.no_grad():
        direct = net(img[None].float() / 255).argmax(dim=1)[0]
    pred = NB['predict'](net, img, lambda x: x.float() / 255, 'cpu')
    assert torch.equal(pred, direct)


def test_label2image_uses_the_voc_colours():
    out = NB['label2image'](torch.tensor([[0, 1], [15, 20]]))
    assert out.shape == (2, 2, 3) and out.dtype == torch.uint8
    assert out[0, 0].tolist() == [0, 0, 0]
    assert out[0, 1].tolist() == [128, 0, 0]
    assert out[1, 0].tolist() == d2l.VOC_COLORMAP[15]
    assert out[1, 1].tolist() == d2l.VOC_COLORMAP[20]


# --- confusion matrix and the two scores -------------------------------------

def test_confusion_matrix_of_the_hand_made_masks():
    C = confusion_matrix(PRED, LABEL, 3)
    assert C.tolist() == [[4, 1, 0], [1, 3, 0], [1, 0, 2]]
    assert pixel_accuracy(C) == 0.75
    assert torch.allclose(class_iou(C), torch.tensor(
        [4 / 7, 3 / 5, 2 / 3], dtype=torch.float64))
    assert math.isclose(mean_iou(C), (4 / 7 + 3 / 5 + 2 / 3) / 3)


def test_confusion_matrix_matches_a_pixel_loop():
    g = torch.Generator().manual_seed(2)
    label = torch.randint(0, 5, (3, 7, 9), generator=g)
    pred = torch.randint(0, 5, (3, 7, 9), generator=g)
    C = confusion_matrix(pred, label, 5)
    expected = torch.zeros(5, 5, dtype=torch.long)
    for t, p in zip(label.flatten().tolist(), pred.flatten().tolist()):
        expected[t, p] += 1
    assert torch.equal(C, expected) and int(C.sum()) == label.numel()


def test_perfect_prediction_scores_one():
    C = confusion_matrix(LABEL, LABEL, 4)           # class 3 never occurs
    assert pixel_accuracy(C) == 1.0
    assert torch.isnan(class_iou(C)[3])             # no IoU, left out
    assert mean_iou(C) == 1.0


def test_all_background_has_high_accuracy_and_low_mean_iou():
    label = torch.zeros(10, 10, dtype=torch.long)
    label[:2, :5] = 1                               # 10 object pixels
    C = confusion_matrix(torch.zeros_like(label), label, 2)
    assert pixel_accuracy(C) == 0.9
    assert torch.allclose(class_iou(C), torch.tensor([0.9, 0.0],
                                                     dtype=torch.float64))
    assert math.isclose(mean_iou(C), 0.45)


def test_confusion_matrix_names_bad_input():
    with pytest.raises(ValueError, match=r'pred has shape \(2, 2\) but '
                                         r'label has \(2, 3\)'):
        confusion_matrix(torch.zeros(2, 2, dtype=torch.long),
                         torch.zeros(2, 3, dtype=torch.long), 2)
    with pytest.raises(ValueError, match=r'label holds classes outside '
                                         r'0\.\.2: 0\.\.255'):
        confusion_matrix(torch.zeros(2, dtype=torch.long),
                         torch.tensor([0, 255]), 3)
    with pytest.raises(ValueError, match='pred holds classes outside'):
        confusion_matrix(torch.tensor([-1, 0]), torch.zeros(2,
                                                            dtype=torch.long),
                         3)
    with pytest.raises(ValueError, match='num_classes must be an integer'):
        confusion_matrix(PRED, LABEL, 0)


# --- backbone ----------------------------------------------------------------

def test_backbone_falls_back_to_random_weights_and_says_so(monkeypatch,
                                                            capsys):
    import torchvision
    real = torchvision.models.resnet18

    def offline(weights=None):
        if weights is not None:
            raise urllib.error.URLError('no network')
        return real()
    monkeypatch.setattr(torchvision.models, 'resnet18', offline)
    resnet, pretrained = NB['resnet18_with_weights']()
    assert pretrained is False and isinstance(resnet, nn.Module)
    out = capsys.readouterr().out
    assert 'random weights' in out and 'URLError' in out


def test_backbone_reports_imagenet_weights_when_they_load(monkeypatch,
                                                          capsys):
    import torchvision
    asked = []

    def online(weights=None):
        asked.append(weights)
        return nn.Identity()
    monkeypatch.setattr(torchvision.models, 'resnet18', online)
    _, pretrained = NB['resnet18_with_weights']()
    assert pretrained is True and asked == ['IMAGENET1K_V1']
    assert 'ImageNet weights' in capsys.readouterr().out


# --- figures -----------------------------------------------------------------

def test_figures_are_what_the_script_draws(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location('fcn_figures', FIGURES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, 'HERE', tmp_path)
    module.architecture_figure()
    module.bilinear_figure()
    for name in ('fcn-architecture.svg', 'fcn-bilinear.svg'):
        made = (tmp_path / name).read_text()
        assert made == (FIGURES.parent / name).read_text()
        assert '<title>' in made and '<desc>' in made


# --- published-style workflow ------------------------------------------------

@pytest.fixture(scope='module')
def tiny_voc(tmp_path_factory):
    target = tmp_path_factory.mktemp('data') / 'voc-fcn-test-synthetic'
    return synthetic_vision.build_voc(target, num_train=4, num_val=2,
                                      num_classes=3, sizes=(96, 128),
                                      small=0.0)


def test_published_style_fcn_workflow_runs(tiny_voc, monkeypatch, quick):
    """A reader of the published book (d2l 1.0.3) writes this: a torchvision
    ResNet-18 body, a head added by add_module, the transposed convolution's
    weight set through .data, load_data_voc without voc_dir, a loss reduced
    with .mean(1).mean(1), train_ch13, and prediction on upper-left crops of
    the test images. The archive lookup is pointed at a tiny stand-in."""
    import matplotlib
    import torchvision
    matplotlib.use('Agg')
    monkeypatch.setitem(d2l.quickmode.LIMITS, 'max_train_batches', 1)

    def fake_download_extract(name, folder=None):
        assert name == 'voc2012'
        devkit = os.path.dirname(tiny_voc)              # .../VOCdevkit
        return devkit if folder is None else os.path.join(
            os.path.dirname(devkit), folder)
    monkeypatch.setattr(d2l, 'download_extract', fake_download_extract)
    torch.manual_seed(0)

    # --- what the reader writes (only the assertions are ours) ---
    backbone = torchvision.models.resnet18()
    model = nn.Sequential(*list(backbone.children())[:-2])
    n_cls = 21
    model.add_module('final_conv', nn.Conv2d(512, n_cls, kernel_size=1))
    model.add_module('transpose_conv', nn.ConvTranspose2d(
        n_cls, n_cls, kernel_size=64, padding=16, stride=32))

    def upsampling_weights(c_in, c_out, size):
        f = (size + 1) // 2
        mid = f - 1 if size % 2 == 1 else f - 0.5
        rows = torch.arange(size).reshape(-1, 1)
        cols = torch.arange(size).reshape(1, -1)
        filt = ((1 - torch.abs(rows - mid) / f)
                * (1 - torch.abs(cols - mid) / f))
        w = torch.zeros((c_in, c_out, size, size))
        w[range(c_in), range(c_out), :, :] = filt
        return w

    model.transpose_conv.weight.data.copy_(
        upsampling_weights(n_cls, n_cls, 64))
    train_iter, test_iter = d2l.load_data_voc(2, (64, 96))

    def pixel_loss(inputs, targets):
        return F.cross_entropy(inputs, targets,
                               reduction='none').mean(1).mean(1)

    devices = d2l.try_all_gpus()
    opt = torch.optim.SGD(model.parameters(), lr=0.001, weight_decay=1e-3)
    result = d2l.train_ch13(model, train_iter, test_iter, pixel_loss, opt,
                            1, devices)

    def segment(img):
        X = test_iter.dataset.normalize_image(img).unsqueeze(0)
        out = model(X.to(devices[0])).argmax(dim=1)
        return out.reshape(out.shape[1], out.shape[2])

    def to_colours(pred):
        cmap = torch.tensor(d2l.VOC_COLORMAP, device=devices[0])
        return cmap[pred.long(), :]

    voc_dir = d2l.download_extract('voc2012', 'VOCdevkit/VOC2012')
    test_images, test_labels = d2l.read_voc_images(voc_dir, False)
    shown = []
    for i in range(2):
        box = (0, 0, 64, 96)
        X = torchvision.transforms.functional.crop(test_images[i], *box)
        colours = to_colours(segment(X))
        shown += [X.permute(1, 2, 0), colours.cpu(),
                  torchvision.transforms.functional.crop(
                      test_labels[i], *box).permute(1, 2, 0)]
    d2l.show_images(shown[::3] + shown[1::3] + shown[2::3], 3, 2, scale=2)
    # --- end of the reader's code ---

    assert torch.allclose(model.transpose_conv.weight.detach(),
                          bilinear_kernel(n_cls, n_cls, 64), atol=1e-3)
    assert len(result) == 3 and all(math.isfinite(v) for v in result)
    assert 0 <= result[2] <= 1
    assert colours.shape == (64, 96, 3)
    assert len(shown) == 6
