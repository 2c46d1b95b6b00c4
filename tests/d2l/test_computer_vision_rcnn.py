"""Tests of Section 14.8 (rcnn): the notebook's from-scratch RoI pooling
and RoI alignment against torchvision.ops, the claims the text makes about
them (rounding, overlapping bins, response to sub-cell moves), the
multiply-add counter and the RPN head's output layout.

The section saves no code: the definitions are executed from the
notebook's own cells, found by their first line. Oracles:
torchvision.ops.roi_pool / roi_align, hand-computed values, brute force.
"""
import math

import pytest
import torch
from torch import nn
from torchvision import ops

from d2l import torch as d2l
from notebook_cells import notebook_code

DEFINES = ('def conv_macs(', 'def round_half_away(', 'def bilinear(',
           'def roi_align(', 'class RPNHead(')


NB = notebook_code('computer-vision/rcnn.md', DEFINES, math=math, ops=ops)
# the section's example: digits of e on a 6 x 6 map of a 48 x 48 image
E_MAP = torch.tensor([[2, 7, 1, 8, 2, 8], [1, 8, 2, 8, 4, 5],
                      [9, 0, 4, 5, 2, 3], [5, 3, 6, 0, 2, 8],
                      [7, 4, 7, 1, 3, 5], [2, 6, 6, 2, 4, 9]],
                     dtype=torch.float32).reshape(1, 1, 6, 6)
ROIS = torch.tensor([[0, 8, 16, 40, 32], [0, 0, 0, 24, 40]],
                    dtype=torch.float32)


def random_case(seed, scales=(1.0, 0.5, 0.25, 0.125)):
    """A float64 map (C, H, W) with H, W >= 2, a box reaching a little
    past the map, a spatial scale and an output size."""
    g = torch.Generator().manual_seed(seed)
    H, W = [int(v) for v in torch.randint(2, 9, (2,), generator=g)]
    X = torch.randn(2, H, W, generator=g, dtype=torch.float64)
    scale = scales[seed % len(scales)]
    corners = torch.rand(2, 2, generator=g, dtype=torch.float64)
    corners = corners * torch.tensor([W, H]) / scale * 1.2 - 0.5
    (x1, y1), (x2, y2) = corners.sort(0).values.tolist()
    size = tuple(int(v) for v in torch.randint(1, 4, (2,), generator=g))
    return X, torch.tensor([x1, y1, x2, y2], dtype=torch.float64), scale, size


# --- RoI pooling ------------------------------------------------------------

@pytest.mark.parametrize('seed', range(200))
def test_roi_pool_matches_torchvision(seed):
    X, box, scale, size = random_case(seed)
    expected = ops.roi_pool(X[None], [box[None]], size, scale)[0]
    assert torch.equal(NB['roi_pool'](X, box, size, scale), expected)


def test_roi_pool_rounds_halves_away_from_zero_like_torchvision():
    X = torch.arange(64, dtype=torch.float64).reshape(1, 8, 8)
    for box in ([4, 4, 20, 28], [12, 4, 44, 36], [-4, -4, 20, 12]):
        box = torch.tensor(box, dtype=torch.float64)    # corners x 1/8 = .5
        expected = ops.roi_pool(X[None], [box[None]], (2, 3), 0.125)[0]
        assert torch.equal(NB['roi_pool'](X, box, (2, 3), 0.125), expected)
    assert [NB['round_half_away'](v) for v in (2.5, -2.5, 1.4, -0.6)] == \
        [3, -3, 1, -1]


def test_roi_pool_worked_example_and_figure():
    Y = ops.roi_pool(E_MAP, ROIS, (2, 2), 6 / 48)
    assert Y[0, 0].tolist() == [[6, 8], [7, 8]]
    assert Y[1, 0].tolist() == [[9, 8], [7, 7]]
    mine = torch.stack([NB['roi_pool'](E_MAP[0], r[1:], (2, 2), 6 / 48)
                        for r in ROIS])
    assert torch.equal(mine, Y)


def test_bins_of_an_odd_region_overlap_and_cover_it():
    """A 3 x 5 region into 2 x 2: bins share one row and one column (the
    text's claim), and every cell of the region lies in some bin."""
    h, w, h2, w2 = 3, 5, 2, 2
    rows = [range(math.floor(i * h / h2), math.ceil((i + 1) * h / h2))
            for i in range(h2)]
    cols = [range(math.floor(j * w / w2), math.ceil((j + 1) * w / w2))
            for j in range(w2)]
    assert [list(r) for r in rows] == [[0, 1], [1, 2]]
    assert [list(c) for c in cols] == [[0, 1, 2], [2, 3, 4]]
    assert set().union(*map(set, rows)) == set(range(h))
    assert set().union(*map(set, cols)) == set(range(w))


# --- RoI alignment ----------------------------------------------------------

@pytest.mark.parametrize('seed', range(200))
def test_roi_align_matches_torchvision_aligned(seed):
    X, box, scale, size = random_case(seed)
    g = 1 + seed % 3
    expected = ops.roi_align(X[None], [box[None]], size, scale, g,
                             aligned=True)[0]
    mine = NB['roi_align'](X, box, size, scale, sampling_ratio=g)
    assert torch.allclose(mine, expected, atol=1e-12)


def test_roi_align_worked_example():
    Y = ops.roi_align(E_MAP, ROIS, (2, 2), 6 / 48, 2, aligned=True)
    assert torch.allclose(Y[0, 0], torch.tensor([[2.6875, 3.5],
                                                 [4.3125, 1.4375]]))
    mine = torch.stack([NB['roi_align'](E_MAP[0], r[1:], (2, 2), 6 / 48)
                        for r in ROIS])
    assert torch.allclose(mine, Y)


def test_bilinear_reads_cells_exactly_and_interpolates_linearly():
    X = torch.randn(3, 4, 5, dtype=torch.float64)
    for i in range(4):
        for j in range(5):
            assert torch.equal(NB['bilinear'](X, float(i), float(j)),
                               X[:, i, j])
    mid = NB['bilinear'](X, 1.25, 2.5)
    expected = (0.75 * (X[:, 1, 2] + X[:, 1, 3]) / 2
                + 0.25 * (X[:, 2, 2] + X[:, 2, 3]) / 2)
    assert torch.allclose(mid, expected)
    assert torch.equal(NB['bilinear'](X, -1.5, 0.0), torch.zeros(3,
                                                                dtype=X.dtype))


def test_sub_cell_moves_change_roi_align_but_not_roi_pool():
    """The text's sliding-box claim: 0 and 2 px give the same pooled
    output, 4 px changes it; RoI alignment changes at every step."""
    pooled, aligned = [], []
    for shift in range(0, 10, 2):
        box = ROIS[:1] + torch.tensor([0, 0, shift, 0, shift])
        pooled.append(ops.roi_pool(E_MAP, box, (2, 2), 1 / 8))
        aligned.append(ops.roi_align(E_MAP, box, (2, 2), 1 / 8, 2, True))
    assert torch.equal(pooled[0], pooled[1])
    assert not torch.equal(pooled[1], pooled[2])
    for a, b in zip(aligned, aligned[1:]):
        assert not torch.allclose(a, b)


# --- the cost counter and the RPN head ---------------------------------------

def test_conv_macs_counts_by_hand_and_removes_its_hooks():
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                        nn.Conv2d(8, 4, 1),
                        nn.Conv2d(4, 4, 3, groups=2, stride=2))
    X = torch.zeros(1, 3, 10, 10)
    # 8*10*10 outputs x 27, 4*10*10 x 8, 4*4*4 x (2*9)
    assert NB['conv_macs'](net, X) == 8 * 100 * 27 + 4 * 100 * 8 + 64 * 18
    assert all(not m._forward_hooks for m in net.modules())


def test_conv_macs_grow_with_the_number_of_pixels():
    net = nn.Conv2d(2, 3, 3, padding=1)
    small = NB['conv_macs'](net, torch.zeros(1, 2, 8, 8))
    assert NB['conv_macs'](net, torch.zeros(1, 2, 16, 24)) == 6 * small


def test_rpn_head_orders_outputs_like_multibox_prior():
    torch.manual_seed(0)
    F_map = torch.randn(1, 16, 3, 4)
    a = 5
    head = NB['RPNHead'](16, a, c=8)
    scores, offsets = head(F_map)
    anchors = d2l.multibox_prior(F_map, [0.5, 0.25, 0.1], [1, 2, 0.5])[0]
    assert scores.shape == (3 * 4 * a,) and offsets.shape == (3 * 4 * a, 4)
    assert anchors.shape[0] == scores.shape[0]
    # the score of anchor k of cell (i, j) is channel k of the 1x1 conv there
    Z = head.conv(F_map)
    raw = head.score(Z)                               # (1, a, H, W)
    i, j, k = 2, 1, 3
    assert torch.equal(scores[(i * 4 + j) * a + k], raw[0, k, i, j])
    raw_off = head.offset(Z)                          # (1, 4a, H, W)
    assert torch.equal(offsets[(i * 4 + j) * a + k],
                       raw_off[0, 4 * k:4 * k + 4, i, j])
