"""Tests of Section 14.3: box_corner_to_center, box_center_to_corner,
bbox_to_rect and the photo registered as DATA_HUB['catdog']."""
import matplotlib
import pytest
import torch
from torchvision.ops import box_convert

from d2l import torch as d2l

matplotlib.use('Agg')


def test_corner_to_center_hand_checked():
    boxes = torch.tensor([[55.0, 45.0, 473.0, 515.0], [0.0, 0.0, 2.0, 1.0]])
    expected = torch.tensor([[264.0, 280.0, 418.0, 470.0],
                             [1.0, 0.5, 2.0, 1.0]])
    assert torch.equal(d2l.box_corner_to_center(boxes), expected)
    assert torch.equal(d2l.box_center_to_corner(expected), boxes)


def test_converters_match_torchvision_box_convert():
    torch.manual_seed(0)
    corners = torch.rand(50, 2, 2, dtype=torch.float64).sort(dim=1).values
    boxes = corners.reshape(50, 4)                      # x1<x2, y1<y2
    centers = d2l.box_corner_to_center(boxes)
    torch.testing.assert_close(centers, box_convert(boxes, 'xyxy', 'cxcywh'),
                               rtol=0, atol=1e-15)
    torch.testing.assert_close(d2l.box_center_to_corner(centers),
                               box_convert(centers, 'cxcywh', 'xyxy'),
                               rtol=0, atol=1e-15)
    torch.testing.assert_close(d2l.box_center_to_corner(centers), boxes)


def test_converters_keep_leading_axes():
    boxes = torch.rand(3, 5, 4)
    assert d2l.box_corner_to_center(boxes).shape == (3, 5, 4)
    assert d2l.box_center_to_corner(boxes).shape == (3, 5, 4)
    assert d2l.box_corner_to_center(torch.zeros(4)).shape == (4,)
    assert d2l.box_corner_to_center(torch.zeros(0, 4)).shape == (0, 4)


@pytest.mark.parametrize('fn', ['box_corner_to_center',
                                'box_center_to_corner'])
def test_converters_name_the_bad_input(fn):
    with pytest.raises(ValueError, match=r'shape \(\.\.\., 4\), got \(2, 5\)'):
        getattr(d2l, fn)(torch.zeros(2, 5))
    with pytest.raises(ValueError, match=r'got \(\)'):
        getattr(d2l, fn)(torch.tensor(1.0))
    with pytest.raises(TypeError, match='torch.Tensor, got list'):
        getattr(d2l, fn)([[0, 0, 1, 1]])


def test_bbox_to_rect_geometry():
    rect = d2l.bbox_to_rect(torch.tensor([55.0, 45.0, 473.0, 515.0]), 'red')
    assert rect.get_xy() == (55.0, 45.0)
    assert (rect.get_width(), rect.get_height()) == (418.0, 470.0)
    assert not rect.get_fill() and rect.get_linewidth() == 2
    assert matplotlib.colors.same_color(rect.get_edgecolor(), 'red')
    assert d2l.bbox_to_rect([0, 1, 2, 4], 'b').get_height() == 3.0


def test_bbox_to_rect_names_the_bad_input():
    with pytest.raises(ValueError, match='4 numbers .* got 3'):
        d2l.bbox_to_rect([0, 1, 2], 'b')


def test_catdog_photo_from_the_mirror(mirror, tmp_path):
    url, sha1 = d2l.DATA_HUB['catdog']
    assert url.endswith('/catdog.jpg') and len(sha1) == 40
    img = d2l.plt.imread(d2l.download(url, str(tmp_path), sha1))
    assert img.shape == (561, 728, 3)
