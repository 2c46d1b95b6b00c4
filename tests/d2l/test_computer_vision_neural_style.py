"""Tests of Section 14.12 (neural-style): the notebook's pre- and
postprocessing, feature network and extraction, the content, Gram/style and
total-variation losses, their weighted sum, the image-as-parameter module
and the training loop; the section's DATA_HUB rows on the mirror; the
figure script; and a published-style workflow on our package.

The section saves only its two DATA_HUB rows: the other definitions are
executed from the notebook's own cells, found by their first line. Oracles:
hand-computed values, explicit loops, torch's own layers.
"""
import importlib.util
import inspect
import pathlib

import pytest
import torch
import torchvision
from torch import nn
from torchvision.transforms import v2

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('rgb_mean = ', 'def postprocess(', 'def vgg19_features(',
           'def extract_features(',
           'def content_loss(', 'def gram(', 'def style_loss(',
           'def tv_loss(', 'def compute_loss(', 'class SynthesizedImage(',
           'def get_inits(', 'def train_step(', 'def train(')
NB = notebook_code('computer-vision/neural-style.md', DEFINES,
                   torchvision=torchvision, v2=v2, num_snapshots=2)
FIGURES = (pathlib.Path(__file__).resolve().parents[2] / 'chapters'
           / 'computer-vision' / 'img' / 'neural_style_figures.py')


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.fixture(scope='module')
def random_vgg():
    torch.manual_seed(0)
    return NB['vgg19_features'](pretrained=False)


def _tiny_net():
    """A frozen two-block CNN standing in for VGG in fast tests."""
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Conv2d(4, 6, 3, padding=1),
                        nn.ReLU())
    return net.eval().requires_grad_(False)


# --- pre- and postprocessing ------------------------------------------------

def test_preprocess_standardizes_a_solid_colour_by_hand():
    img = d2l.Image.new('RGB', (7, 5), (255, 0, 51))   # 7 wide, 5 high
    X = NB['preprocess'](img, (4, 6))
    assert X.shape == (1, 3, 4, 6) and X.dtype == torch.float32
    expected = [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224,
                (0.2 - 0.406) / 0.225]
    for c, value in enumerate(expected):
        assert torch.allclose(X[0, c], torch.full((4, 6), value), atol=1e-5)


def test_postprocess_inverts_preprocess_and_clamps():
    img = d2l.Image.fromarray(
        torch.randint(0, 256, (6, 8, 3), dtype=torch.uint8).numpy())
    X = NB['preprocess'](img, (6, 8))                  # no resampling
    back = NB['postprocess'](X)
    assert back.shape == (6, 8, 3)
    original = torch.from_numpy(v2.functional.pil_to_tensor(img).permute(
        1, 2, 0).numpy()).float() / 255
    assert torch.allclose(back, original, atol=1e-6)
    loud = NB['postprocess'](torch.full((1, 3, 2, 2), 100.0))
    assert loud.max() == 1 and NB['postprocess'](-loud[None].permute(
        0, 3, 1, 2) * 100).min() == 0


def test_pre_and_postprocess_name_bad_input():
    img = d2l.Image.new('RGB', (4, 4))
    with pytest.raises(ValueError, match='image_shape entry must be an '
                                         'integer >= 1, got 0'):
        NB['preprocess'](img, (0, 4))
    with pytest.raises(TypeError, match='image_shape entry must be an '
                                        'integer'):
        NB['preprocess'](img, (4.5, 4))
    with pytest.raises(ValueError, match=r'\(1, 3, H, W\) tensor, got '
                                         r'\(3, 4, 4\)'):
        NB['postprocess'](torch.zeros(3, 4, 4))
    with pytest.raises(ValueError, match=r'got \(2, 3, 4, 4\)'):
        NB['postprocess'](torch.zeros(2, 3, 4, 4))


# --- feature network and extraction -----------------------------------------

def test_random_vgg19_is_frozen_with_out_of_place_relus(random_vgg):
    net = random_vgg
    assert len(net) == 30 and not net.training
    assert all(not p.requires_grad for p in net.parameters())
    relus = [i for i, m in enumerate(net) if isinstance(m, nn.ReLU)]
    assert relus == [1, 3, 6, 8, 11, 13, 15, 17, 20, 22, 24, 26, 29]
    assert not any(net[i].inplace for i in relus)
    convs = [m for m in net if isinstance(m, nn.Conv2d)]
    assert len(convs) == 13 and convs[-1].out_channels == 512
    # the section's layer choices are all ReLU outputs
    assert {1, 6, 11, 20, 29, 13, 26} <= set(relus)


def test_collected_vgg_features_survive_the_next_layer(random_vgg):
    """With torchvision's in-place ReLUs a collected conv output would be
    rectified afterwards; ours keeps what the layer computed."""
    X = torch.randn(1, 3, 32, 32)
    contents, styles = NB['extract_features'](random_vgg, X, [0], [1])
    assert (contents[0] < 0).any()                    # conv1_1, not ReLU'd
    assert torch.equal(styles[0], contents[0].clamp(min=0))


def test_extract_features_matches_prefixes_and_stops_early():
    net = _tiny_net()
    calls = []

    class Spy(nn.Module):
        def forward(self, X):
            calls.append(1)
            return X
    net.append(Spy())
    X = torch.randn(1, 3, 8, 8)
    contents, styles = NB['extract_features'](net, X, [3], [1, 4])
    assert torch.equal(contents[0], net[:4](X))
    assert [tuple(Y.shape) for Y in styles] == [(1, 4, 8, 8), (1, 6, 4, 4)]
    assert torch.equal(styles[1], net[:5](X))
    assert calls == []                                # layer 5 never ran
    contents, styles = NB['extract_features'](net, X, [], [0])
    assert contents == [] and len(styles) == 1


# --- losses ---------------------------------------------------------------

def test_content_loss_by_hand_and_target_detached():
    Y_hat = torch.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
    Y = torch.tensor([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
    l = NB['content_loss'](Y_hat, Y)
    assert l.item() == pytest.approx((0 + 4 + 9 + 16) / 4)
    l.backward()
    assert Y.grad is None
    assert torch.allclose(Y_hat.grad, 2 * (Y_hat - Y).detach() / 4)
    with pytest.raises(ValueError, match=r'differ in shape: \(2, 2\) vs '
                                         r'\(4,\)'):
        NB['content_loss'](Y_hat, torch.zeros(4))


def test_gram_on_a_tiny_map_by_hand():
    X = torch.tensor([[[[1.0, 2.0]], [[3.0, 4.0]]]])  # (1, C=2, H=1, W=2)
    # rows (1, 2) and (3, 4): X X^T = [[5, 11], [11, 25]], C*H*W = 4
    assert torch.equal(NB['gram'](X), torch.tensor([[1.25, 2.75],
                                                    [2.75, 6.25]]))


def test_gram_ignores_positions_and_image_size():
    gram = NB['gram']
    Y = torch.randn(1, 3, 4, 5, dtype=torch.float64)
    G = gram(Y)
    assert G.shape == (3, 3) and torch.allclose(G, G.T)
    assert torch.linalg.eigvalsh(G).min() > -1e-12     # positive semidefinite
    perm = torch.randperm(20)
    shuffled = Y.reshape(1, 3, 20)[:, :, perm].reshape(1, 3, 4, 5)
    assert torch.allclose(gram(shuffled), G)
    assert torch.allclose(gram(Y.repeat(1, 1, 3, 2)), G)
    assert torch.allclose(gram(Y.transpose(2, 3)), G)  # (1, 3, 5, 4)
    # against the definition, entry by entry
    rows = Y.reshape(3, 20)
    for i in range(3):
        for j in range(3):
            assert torch.isclose(G[i, j], rows[i] @ rows[j] / 60)


def test_gram_names_bad_input():
    with pytest.raises(ValueError, match=r'\(1, C, H, W\) feature map, got '
                                         r'\(2, 3, 4\)'):
        NB['gram'](torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match=r'got \(2, 3, 4, 4\)'):
        NB['gram'](torch.zeros(2, 3, 4, 4))


def test_style_loss_by_hand_and_sizes_may_differ():
    X = torch.tensor([[[[1.0, 2.0]], [[3.0, 4.0]]]], requires_grad=True)
    target = torch.zeros(2, 2, requires_grad=True)
    l = NB['style_loss'](X, target)
    assert l.item() == pytest.approx((1.25 ** 2 + 2 * 2.75 ** 2 + 6.25 ** 2)
                                     / 4)
    l.backward()
    assert target.grad is None and X.grad is not None
    Y = torch.randn(1, 2, 6, 9)                        # other size: fine
    assert NB['style_loss'](Y.repeat(1, 1, 2, 2),
                            NB['gram'](Y)).item() < 1e-10
    with pytest.raises(ValueError, match=r'Gram matrices differ in shape: '
                                         r'\(2, 2\) vs \(3, 3\)'):
        NB['style_loss'](X, torch.zeros(3, 3))


def test_tv_loss_by_hand_and_against_loops():
    X = torch.tensor([[[[0.0, 1.0, 3.0], [0.0, 1.0, 1.0]]]])
    assert NB['tv_loss'](X).item() == pytest.approx(5 / 6)
    assert NB['tv_loss'](torch.full((2, 3, 4, 5), 0.7)).item() == 0
    Y = torch.randn(2, 3, 4, 5, dtype=torch.float64)
    down = sum(abs(Y[b, c, i + 1, j] - Y[b, c, i, j]) for b in range(2)
               for c in range(3) for i in range(3) for j in range(5)) / 90
    right = sum(abs(Y[b, c, i, j + 1] - Y[b, c, i, j]) for b in range(2)
                for c in range(3) for i in range(4) for j in range(4)) / 96
    assert torch.isclose(NB['tv_loss'](Y), (down + right) / 2)


def test_tv_loss_names_bad_input():
    with pytest.raises(ValueError, match=r'H, W >= 2, got \(1, 3, 1, 5\)'):
        NB['tv_loss'](torch.zeros(1, 3, 1, 5))
    with pytest.raises(ValueError, match=r'got \(3, 4, 4\)'):
        NB['tv_loss'](torch.zeros(3, 4, 4))


def test_compute_loss_weights_every_part():
    net = _tiny_net()
    X = torch.randn(1, 3, 8, 8, requires_grad=True)
    target = torch.randn(1, 3, 8, 8)
    contents_Y, _ = NB['extract_features'](net, target, [4], [])
    _, styles_Y = NB['extract_features'](net, target, [], [1, 4])
    grams = [NB['gram'](Y) for Y in styles_Y]
    c_hat, s_hat = NB['extract_features'](net, X, [4], [1, 4])
    c, s, tv, total = NB['compute_loss'](X, c_hat, s_hat, contents_Y, grams,
                                         (2.0, 3.0, 5.0))
    assert len(c) == 1 and len(s) == 2
    assert torch.isclose(c[0], 2 * NB['content_loss'](c_hat[0],
                                                      contents_Y[0]))
    assert torch.isclose(s[1], 3 * NB['style_loss'](s_hat[1], grams[1]))
    assert torch.isclose(tv, 5 * NB['tv_loss'](X))
    assert torch.isclose(total, c[0] + s[0] + s[1] + tv)
    total.backward()
    assert X.grad.shape == X.shape and X.grad.abs().sum() > 0


# --- the image as a parameter, and training ----------------------------------

def test_synthesized_image_is_the_only_parameter():
    module = NB['SynthesizedImage']((1, 3, 4, 5))
    params = list(module.parameters())
    assert len(params) == 1 and params[0].shape == (1, 3, 4, 5)
    assert module() is module.weight


def test_get_inits_copies_the_image_and_precomputes_grams():
    X = torch.randn(1, 3, 4, 4)
    styles_Y = [torch.randn(1, 2, 3, 3), torch.randn(1, 5, 2, 2)]
    gen_img, grams, trainer = NB['get_inits'](X, 0.01, styles_Y)
    assert torch.equal(gen_img(), X) and gen_img.weight is not X
    with torch.no_grad():
        gen_img.weight.add_(1)
    assert not torch.equal(gen_img(), X)              # a copy, not a view
    assert [G.shape for G in grams] == [(2, 2), (5, 5)]
    assert torch.equal(grams[1], NB['gram'](styles_Y[1]))
    assert trainer.param_groups[0]['lr'] == 0.01
    assert trainer.param_groups[0]['params'] == [gen_img.weight]


def test_train_lowers_the_loss_and_decays_the_learning_rate(monkeypatch):
    net = _tiny_net()
    content = torch.randn(1, 3, 8, 8)
    style = torch.randn(1, 3, 8, 12) * 2 + 1
    layers = ([3], [1, 4])
    contents_Y, _ = NB['extract_features'](net, content, *layers)
    _, styles_Y = NB['extract_features'](net, style, *layers)
    rates = []
    step = torch.optim.Adam.step

    def recording_step(self, *args, **kwargs):
        rates.append(self.param_groups[0]['lr'])
        return step(self, *args, **kwargs)
    monkeypatch.setattr(torch.optim.Adam, 'step', recording_step)
    weights = (1.0, 1e3, 0.1)
    X, snapshots, parts, seconds = NB['train'](
        net, content, contents_Y, styles_Y, layers, weights, lr=0.2,
        num_steps=20, lr_period=5, lr_decay=0.5)
    assert X.shape == content.shape and seconds >= 0
    assert len(snapshots) == 2 and snapshots[0].shape == (8, 8, 3)
    assert rates[:6] == [0.2] * 5 + [0.1] and rates[-1] == 0.2 / 8
    _, s0, _, _ = NB['compute_loss'](
        content, *NB['extract_features'](net, content, *layers), contents_Y,
        [NB['gram'](Y) for Y in styles_Y], weights)
    assert parts[1] < 0.5 * float(sum(s0))            # the style moved
    assert parts[0] > 0                               # away from the photo


# --- data and figure ----------------------------------------------------------

@pytest.mark.parametrize('name, size', [('cat2', (1280, 1280)),
                                        ('autumn-oak', (1717, 1200))])
def test_photos_from_the_mirror(mirror, tmp_path, name, size):
    url, sha1 = d2l.DATA_HUB[name]
    assert url.endswith(f'/{name}.jpg') and len(sha1) == 40
    path = d2l.download(url, str(tmp_path), sha1)
    assert d2l.Image.open(path).size == size


def test_figure_script_draws_the_committed_figure(tmp_path):
    spec = importlib.util.spec_from_file_location('neural_style_figures',
                                                  FIGURES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = tmp_path
    module.pipeline_figure()
    name = 'neural-style-pipeline.svg'
    made = (tmp_path / name).read_text()
    assert made == (FIGURES.parent / name).read_text()
    assert '<title>' in made and '<desc>' in made


# --- published-style workflow -------------------------------------------------

def test_published_style_transfer_runs_on_our_package(monkeypatch):
    """What a reader of the published book (d2l 1.0.3) writes: torchvision
    transforms with Normalize, a module holding the image, Adam with StepLR,
    d2l.try_gpu, and an Animator with two panels whose right one shows the
    image through animator.axes[1]. A small random CNN replaces VGG."""
    import matplotlib
    matplotlib.use('Agg')
    for name, params in [('try_gpu', ['i']), ('set_figsize', ['figsize'])]:
        assert list(inspect.signature(getattr(d2l, name)).parameters) == \
            params
    torch.manual_seed(1)

    # --- what the reader writes (only the assertions are ours) ---
    mean, std = torch.tensor([0.485, 0.456, 0.406]), torch.tensor(
        [0.229, 0.224, 0.225])
    pipeline = torchvision.transforms.Compose([
        torchvision.transforms.Resize((12, 16)),
        torchvision.transforms.ToTensor(),
        torchvision.transforms.Normalize(mean=mean, std=std)])
    photo = d2l.Image.new('RGB', (40, 30), (40, 120, 200))
    painting = d2l.Image.fromarray(
        (torch.rand(30, 40, 3) * 255).to(torch.uint8).numpy())
    device = d2l.try_gpu()
    cnn = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                        nn.Conv2d(8, 8, 3, padding=1), nn.ReLU()).to(device)
    for p in cnn.parameters():
        p.requires_grad_(False)

    def feats(x):
        outs = []
        for k, layer in enumerate(cnn):
            x = layer(x)
            if k in (1, 3):
                outs.append(x)
        return outs

    def gram_of(x):
        c, n = x.shape[1], x.numel() // x.shape[1]
        x = x.reshape((c, n))
        return torch.matmul(x, x.T) / (c * n)

    class Picture(nn.Module):
        def __init__(self, shape):
            super().__init__()
            self.weight = nn.Parameter(torch.rand(*shape))

        def forward(self):
            return self.weight

    X_c = pipeline(photo).unsqueeze(0).to(device)
    style_grams = [gram_of(y) for y in
                   feats(pipeline(painting).unsqueeze(0).to(device))]
    content_target = feats(X_c)[1]
    pic = Picture(X_c.shape).to(device)
    pic.weight.data.copy_(X_c.data)
    opt = torch.optim.Adam(pic.parameters(), lr=0.05)
    sched = torch.optim.lr_scheduler.StepLR(opt, 5, 0.8)
    animator = d2l.Animator(xlabel='epoch', ylabel='loss', xlim=[1, 20],
                            legend=['content', 'style'], ncols=2,
                            figsize=(7, 2.5))
    losses = []
    for epoch in range(20):
        opt.zero_grad()
        ys = feats(pic())
        c_l = torch.square(ys[1] - content_target.detach()).mean()
        s_l = sum(torch.square(gram_of(y) - g.detach()).mean()
                  for y, g in zip(ys, style_grams)) * 1e3
        (c_l + s_l).backward()
        opt.step()
        sched.step()
        if (epoch + 1) % 5 == 0:
            img = pic().detach().cpu()[0] * std.reshape(3, 1, 1) + \
                mean.reshape(3, 1, 1)
            animator.axes[1].imshow(img.clamp(0, 1).permute(1, 2, 0).numpy())
            animator.add(epoch + 1, [c_l.item(), s_l.item()])
        losses.append(s_l.item())

    assert losses[-1] < losses[0]
    assert len(animator.X[0]) == 4 and animator.axes[1].images
    assert opt.param_groups[0]['lr'] == pytest.approx(0.05 * 0.8 ** 4)
