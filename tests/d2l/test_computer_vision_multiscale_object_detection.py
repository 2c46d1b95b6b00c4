"""Tests of Section 14.5 (no saved code): the facts the section builds on,
checked on small inputs: anchor centres from a feature map's shape, anchor
counts per scale, the placement count, and the receptive-field recursion
against autograd."""
import itertools

import pytest
import torch
from torch import nn

from d2l import torch as d2l


@pytest.mark.parametrize('fmap_h, fmap_w', [(1, 2), (3, 4), (6, 8), (5, 5)])
def test_anchor_centres_form_a_uniform_grid(fmap_h, fmap_w):
    fmap = torch.zeros(1, 7, fmap_h, fmap_w)
    anchors = d2l.multibox_prior(fmap, [0.2, 0.3], [1, 2, 0.5])[0]
    centres = ((anchors[:, :2] + anchors[:, 2:]) / 2).reshape(
        fmap_h, fmap_w, 4, 2)                       # (h_f, w_f, a, 2)
    expected = torch.stack(torch.meshgrid(
        (torch.arange(fmap_w) + 0.5) / fmap_w,
        (torch.arange(fmap_h) + 0.5) / fmap_h, indexing='xy'), -1)
    for k in range(4):                  # every anchor of a position
        torch.testing.assert_close(centres[:, :, k], expected)


def test_centres_do_not_depend_on_channels_or_values():
    a = d2l.multibox_prior(torch.zeros(1, 1, 3, 4), [0.3], [1])
    b = d2l.multibox_prior(torch.randn(2, 64, 3, 4), [0.3], [1])
    torch.testing.assert_close(a, b)


def test_anchor_count_per_scale():
    scales = [(6, 8, [0.1, 0.15]), (3, 4, [0.3, 0.4]), (1, 2, [0.7, 0.85])]
    counts = [d2l.multibox_prior(torch.zeros(1, 1, h, w), s,
                                 [1, 2, 0.5]).shape[1] for h, w, s in scales]
    assert counts == [192, 48, 8]


def test_fine_grid_squares_do_not_overlap():
    """The section's claim for the 6 x 8 grid on the 561 x 728 photo."""
    h, w = 561, 728
    anchors = d2l.multibox_prior(torch.zeros(1, 1, 6, 8), [0.1, 0.15],
                                 [1, 2, 0.5])[0] * torch.tensor([w, h, w, h])
    sides = anchors[:, 2:] - anchors[:, :2]
    assert (sides[:, 0] < w / 8).all() and (sides[:, 1] < h / 6).all()


@pytest.mark.parametrize('H, W', [(3, 4), (5, 2)])
def test_placement_count_formula(H, W):
    for k, k2 in itertools.product(range(1, H + 1), range(1, W + 1)):
        fits = sum(1 for i in range(H) for j in range(W)
                   if i + k <= H and j + k2 <= W)
        assert fits == (H - k + 1) * (W - k2 + 1)


def receptive_fields(layers, size):
    """Widths of the receptive field after each layer, from the gradient."""
    net = nn.Sequential(*layers)
    for p in net.parameters():
        nn.init.ones_(p)
    X = torch.ones(1, 1, size, size, requires_grad=True)
    widths, Y = [], X
    for layer in net:
        Y = layer(Y)
        unit = Y[0, :, Y.shape[2] // 2, Y.shape[3] // 2].sum()
        grad, = torch.autograd.grad(unit, X, retain_graph=True)
        widths.append(len(grad[0, 0].abs().sum(dim=1).nonzero()))
    return widths


def recursion(kernels_strides):
    r, j, out = 1, 1, []
    for k, s in kernels_strides:
        r, j = r + (k - 1) * j, j * s
        out.append(r)
    return out


def test_receptive_field_recursion_matches_autograd():
    layers = [nn.Conv2d(1, 2, 3, padding=1), nn.AvgPool2d(2),
              nn.Conv2d(2, 2, 5, padding=2), nn.AvgPool2d(2),
              nn.Conv2d(2, 1, 3, stride=2, padding=1)]
    measured = receptive_fields(layers, 96)
    assert measured == recursion([(3, 1), (2, 2), (5, 1), (2, 2), (3, 2)])
    assert measured == [3, 4, 12, 14, 22]


def test_prediction_heads_keep_the_grid():
    a, q = 4, 2
    Z = torch.randn(2, 8, 3, 4)
    cls_head = nn.Conv2d(8, a * (q + 1), kernel_size=3, padding=1)
    box_head = nn.Conv2d(8, 4 * a, kernel_size=3, padding=1)
    assert cls_head(Z).shape == (2, a * (q + 1), 3, 4)
    assert box_head(Z).shape == (2, 4 * a, 3, 4)
