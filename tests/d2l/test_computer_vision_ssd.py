"""Tests of Section 14.7 (ssd): the notebook's TinySSD pieces, the layout
of its predictions, its loss, its average precision and the two exercise
losses.

The section saves no code: its definitions are executed from the
notebook's own cells, found by their first code line. Oracles: hand
counts and hand-computed values, d2l.multibox_prior, F.cross_entropy.
"""
import math
import os

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l
from notebook_cells import first_code_line, notebook_code

DEFINES = ('def cls_predictor(', 'def bbox_predictor(', 'def flatten_pred(',
           'def down_sample_blk(', 'def base_net(', 'def get_blk(',
           'def blk_forward(', 'small = ', 'class TinySSD(',
           '@d2l.add_to_class(TinySSD)', 'def calc_loss(', 'def cls_eval(',
           'def average_precision(', 'def smooth_l1(', 'def focal_loss(')
# cells that define a function and then plot it: keep only the definition
PLOTS = ('def smooth_l1(', 'def focal_loss(')


def definition_only(cell):
    """A loss cell without the plot after its def; other cells whole."""
    if first_code_line(cell).startswith(PLOTS):
        return cell.split('\n\n')[0]
    return cell


NB = notebook_code('computer-vision/ssd.md', DEFINES, trim=definition_only,
                   F=F, os=os)


def test_heads_keep_the_grid_and_count_channels():
    Y = NB['cls_predictor'](6, 3, 4)(torch.zeros(2, 6, 9, 7))
    assert Y.shape == (2, 15, 9, 7)                 # a (q + 1) = 3 * 5
    Y = NB['bbox_predictor'](5, 2)(torch.zeros(2, 5, 3, 8))
    assert Y.shape == (2, 8, 3, 8)                  # 4 a


def test_conv_head_parameters_against_a_dense_layer():
    head = NB['cls_predictor'](64, 4, 1)
    assert sum(p.numel() for p in head.parameters()) == 64 * 9 * 8 + 8
    dense = nn.Linear(64 * 2 * 2, 2 * 2 * 4 * 2)     # the same count, tiny
    assert sum(p.numel() for p in dense.parameters()) == \
        (64 * 2 * 2 + 1) * (2 * 2 * 4 * 2)


def test_concatenated_scales():
    Y1 = torch.zeros(2, 6, 4, 4)                    # 16 positions x 6
    Y2 = torch.zeros(2, 9, 2, 2)                    # 4 positions x 9
    assert NB['concat_preds']([Y1, Y2]).shape == (2, 96 + 36)


def test_channel_layout_gives_one_row_per_anchor():
    """Channel i(q+1)+j at (y, x) lands in row (y w + x) a + i, column j."""
    a, q, h, w = 3, 2, 2, 4
    c = torch.arange(a * (q + 1)).reshape(1, -1, 1, 1).float()
    y = torch.arange(h).reshape(1, 1, -1, 1).float()
    x = torch.arange(w).reshape(1, 1, 1, -1).float()
    pred = c + 100 * y + 1000 * x                     # (1, a(q+1), h, w)
    rows = NB['flatten_pred'](pred).reshape(1, -1, q + 1)[0]
    for yy in range(h):
        for xx in range(w):
            for i in range(a):
                for j in range(q + 1):
                    k = (yy * w + xx) * a + i
                    assert rows[k, j] == i * (q + 1) + j + 100 * yy + 1000 * xx


def test_down_sample_block_halves_and_sees_six_pixels():
    blk = NB['down_sample_blk'](1, 1).double().eval()
    assert blk(torch.zeros(2, 1, 20, 20, dtype=torch.float64)).shape == \
        (2, 1, 10, 10)
    # the field is a union over the pooling window and over the ReLUs'
    # patterns: make every path pass a gradient
    for k, layer in enumerate(blk):
        if isinstance(layer, nn.ReLU):
            blk[k] = nn.Identity()
        elif isinstance(layer, nn.MaxPool2d):
            blk[k] = nn.AvgPool2d(2)
    X = torch.randn(1, 1, 16, 16, dtype=torch.float64, requires_grad=True)
    blk(X)[0, 0, 3, 3].backward()
    rows = X.grad[0, 0].abs().sum(1).nonzero().reshape(-1)
    assert len(rows) == 6                            # receptive field 6


def test_base_net_output():
    assert NB['base_net']()(torch.zeros(2, 3, 256, 256)).shape == \
        (2, 64, 32, 32)


def test_anchor_sizes_are_geometric_means():
    sizes = NB['sizes']
    assert [s[0] for s in sizes] == [0.2, 0.37, 0.54, 0.71, 0.88]
    nxt = [0.37, 0.54, 0.71, 0.88, 1.05]
    for (s, m), t in zip(sizes, nxt):
        assert m == pytest.approx(math.sqrt(s * t), abs=5e-4)
    assert NB['num_anchors'] == 4


@pytest.mark.parametrize('edge, channels, width, count', [
    (256, (16, 32, 64), 128, 5444),
    (64, (8, 16, 32), 64, (64 + 16 + 4 + 1 + 1) * 4)])
def test_tiny_ssd_shapes_and_anchor_count(edge, channels, width, count):
    net = NB['TinySSD'](1, channels=channels, width=width)
    anchors, cls_preds, bbox_preds = net(torch.zeros(2, 3, edge, edge))
    assert anchors.shape == (1, count, 4)
    assert cls_preds.shape == (2, count, 2)
    assert bbox_preds.shape == (2, 4 * count)


def test_tiny_ssd_anchors_are_the_scales_in_order():
    net = NB['TinySSD'](3, channels=(4, 4, 4), width=4)
    anchors, cls_preds, _ = net(torch.zeros(1, 3, 64, 64))
    assert cls_preds.shape[-1] == 4
    expected = torch.cat([d2l.multibox_prior(torch.zeros(1, 1, h, h), s, r)
                          for h, s, r in zip((8, 4, 2, 1, 1), NB['sizes'],
                                             NB['ratios'])], dim=1)
    assert torch.allclose(anchors, expected)


def test_calc_loss_matches_the_formula():
    g = torch.Generator().manual_seed(0)
    B, n_a, c = 2, 5, 3
    cls_preds = torch.randn(B, n_a, c, generator=g)
    cls_labels = torch.randint(0, c, (B, n_a), generator=g)
    bbox_preds = torch.randn(B, 4 * n_a, generator=g)
    bbox_labels = torch.randn(B, 4 * n_a, generator=g)
    masks = (torch.rand(B, 4 * n_a, generator=g) > 0.5).float()
    got = NB['calc_loss'](cls_preds, cls_labels, bbox_preds, bbox_labels,
                          masks)
    for b in range(B):
        ce = F.cross_entropy(cls_preds[b], cls_labels[b])
        l1 = (masks[b] * (bbox_preds[b] - bbox_labels[b]).abs()).sum()
        assert got[b] == pytest.approx(float(ce + l1 / (4 * n_a)), rel=1e-5)


def test_masked_offsets_do_not_count():
    B, n_a = 1, 2
    cls_preds, cls_labels = torch.zeros(B, n_a, 2), torch.zeros(B, n_a).long()
    masks = torch.tensor([[1.0] * 4 + [0.0] * 4])
    labels = torch.zeros(B, 8)
    a = NB['calc_loss'](cls_preds, cls_labels, torch.zeros(B, 8), labels,
                        masks)
    wild = torch.tensor([[0.0] * 4 + [9.0] * 4])      # only masked anchors
    b = NB['calc_loss'](cls_preds, cls_labels, wild, labels, masks)
    assert torch.equal(a, b)


def test_eval_counts():
    cls_preds = torch.tensor([[[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]])
    assert NB['cls_eval'](cls_preds, torch.tensor([[0, 1, 1]])) == 2.0
    err = NB['bbox_eval'](torch.ones(1, 4), torch.zeros(1, 4),
                          torch.tensor([[1.0, 1.0, 0.0, 0.0]]))
    assert err == 2.0


LABELS = torch.tensor([[[0, 0.1, 0.1, 0.5, 0.5]], [[0, 0.5, 0.5, 0.9, 0.9]]])


def det(rows):
    return torch.tensor(rows, dtype=torch.float32).reshape(-1, 6)


def test_average_precision_of_the_section_example():
    dets = [det([[0, 0.9, 0.1, 0.1, 0.5, 0.5], [0, 0.6, 0.6, 0, 1, 0.3]]),
            det([[0, 0.4, 0.5, 0.5, 0.9, 0.9]])]
    assert NB['average_precision'](dets, LABELS) == pytest.approx(5 / 6)


def test_average_precision_perfect_and_empty():
    perfect = [det([[0, 0.8, 0.1, 0.1, 0.5, 0.5]]),
               det([[0, 0.7, 0.5, 0.5, 0.9, 0.9]])]
    assert NB['average_precision'](perfect, LABELS) == pytest.approx(1.0)
    assert NB['average_precision']([det([]), det([])], LABELS) == 0.0


def test_average_precision_counts_duplicates_and_loose_boxes():
    # a second box on an object already found is a false alarm
    dup = [det([[0, 0.9, 0.1, 0.1, 0.5, 0.5], [0, 0.8, 0.1, 0.1, 0.5, 0.5]]),
           det([[0, 0.7, 0.5, 0.5, 0.9, 0.9]])]
    assert NB['average_precision'](dup, LABELS) == \
        pytest.approx((1 + 2 / 3) / 2)
    # IoU 0.25 with its object: not correct at 0.5, correct at 0.2
    loose = [det([[0, 0.9, 0.1, 0.1, 0.2, 0.5]]), det([])]
    assert NB['average_precision'](loose, LABELS) == 0.0
    assert NB['average_precision'](loose, LABELS, 0.2) == pytest.approx(0.5)


def test_smooth_l1_is_continuous_and_tends_to_l1():
    f = NB['smooth_l1']
    for sigma in (0.5, 1.0, 3.0):
        t = torch.tensor([1 / sigma ** 2 - 1e-6, 1 / sigma ** 2 + 1e-6],
                         dtype=torch.float64)
        y = f(t, sigma)
        assert abs(float(y[1] - y[0])) < 1e-5
    x = torch.linspace(-2, 2, 41, dtype=torch.float64)
    assert float((f(x, 100.0) - x.abs()).abs().max()) < 1e-4


def test_focal_loss_reduces_to_cross_entropy():
    p = torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64)
    f = NB['focal_loss']
    assert torch.allclose(f(p, 0), -torch.log(p))
    assert torch.all(f(p, 5) <= f(p, 1)) and torch.all(f(p, 1) <= f(p, 0))
