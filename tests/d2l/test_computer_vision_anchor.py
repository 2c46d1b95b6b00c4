"""Tests of Section 14.4: anchors (multibox_prior, show_bboxes), IoU,
labelling (assign_anchor_to_bbox, offset_boxes, multibox_target) and
prediction (offset_inverse, nms, multibox_detection), each against
torchvision.ops or a brute-force reference on small inputs."""
import itertools
import math

import matplotlib
import matplotlib.pyplot as plt
import pytest
import torch
from torchvision import ops

from d2l import torch as d2l

matplotlib.use('Agg')


def random_boxes(n, seed, dtype=torch.float64, scale=1.0):
    """n corner-form boxes with x1 < x2 and y1 < y2."""
    g = torch.Generator().manual_seed(seed)
    corners = torch.rand(n, 2, 2, generator=g, dtype=dtype).sort(1).values
    return corners.reshape(n, 4) * scale      # (n, corner, coordinate)


# --- multibox_prior ----------------------------------------------------------

def test_multibox_prior_matches_a_loop_over_pixels():
    h, w, sizes, ratios = 3, 5, [0.5, 0.25], [1, 2, 0.5]
    Y = d2l.multibox_prior(torch.zeros(2, 7, h, w), sizes, ratios)
    pairs = [(s, ratios[0]) for s in sizes] + [(sizes[0], r)
                                              for r in ratios[1:]]
    expected = []
    for i, j in itertools.product(range(h), range(w)):
        cx, cy = (j + 0.5) / w, (i + 0.5) / h
        for s, r in pairs:
            aw, ah = s * math.sqrt(r) * h / w, s / math.sqrt(r)
            expected.append([cx - aw / 2, cy - ah / 2, cx + aw / 2,
                             cy + ah / 2])
    assert Y.shape == (1, h * w * 4, 4)
    torch.testing.assert_close(Y[0], torch.tensor(expected))


def test_multibox_prior_count_and_pixel_shape():
    h, w = 561, 728
    Y = d2l.multibox_prior(torch.zeros(h, w), [0.8, 0.6, 0.4, 0.2], [1, 2, .5])
    assert Y.shape == (1, 2_450_448, 4) == (1, h * w * (4 + 3 - 1), 4)
    # r = 1 is square in pixels, r = 2 twice as wide as high
    box = Y.reshape(h, w, 6, 4)[280, 264] * torch.tensor([w, h, w, h])
    wh = box[:, 2:] - box[:, :2]
    torch.testing.assert_close(wh[0], torch.tensor([0.8 * h, 0.8 * h]))
    torch.testing.assert_close(wh[4, 0] / wh[4, 1], torch.tensor(2.0))
    torch.testing.assert_close(Y.reshape(h, w, 6, 4)[280, 264, 0],
                               torch.tensor([0.0551, 0.1, 0.6716, 0.9]),
                               atol=1e-4, rtol=0)


def test_multibox_prior_names_the_bad_input():
    with pytest.raises(ValueError, match='sizes must be positive'):
        d2l.multibox_prior(torch.zeros(2, 2), [], [1])
    with pytest.raises(ValueError, match=r'ratios must be positive.*-1'):
        d2l.multibox_prior(torch.zeros(2, 2), [0.5], [1, -1])
    with pytest.raises(ValueError, match=r'height and a width.*\(3,\)'):
        d2l.multibox_prior(torch.zeros(3), [0.5], [1])
    with pytest.raises(TypeError, match='data'):
        d2l.multibox_prior([[0.0]], [0.5], [1])


# --- show_bboxes -------------------------------------------------------------

def test_show_bboxes_draws_labelled_boxes_and_keeps_the_image_view():
    fig, ax = plt.subplots()
    ax.imshow(torch.zeros(20, 30).numpy())
    view = (ax.get_xlim(), ax.get_ylim())
    boxes = torch.tensor([[1.0, 2, 10, 12], [-5, -5, 50, 40]])
    d2l.show_bboxes(ax, boxes, ['a', 'b'], ['w', 'tab:red'])
    assert len(ax.patches) == 2 and [t.get_text() for t in ax.texts] == \
        ['a', 'b']
    assert (ax.get_xlim(), ax.get_ylim()) == view
    assert ax.texts[1].get_position() == (view[0][0], view[1][1])  # clamped
    assert matplotlib.colors.same_color(ax.texts[0].get_color(), 'black')
    d2l.show_bboxes(ax, boxes[:1], 'one', 'g')        # plain strings
    assert ax.texts[-1].get_text() == 'one'
    plt.close(fig)


def test_show_bboxes_names_the_bad_input():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match='got 1 labels for 2 boxes'):
        d2l.show_bboxes(ax, torch.zeros(2, 4), ['x'])
    plt.close(fig)


# --- box_iou -----------------------------------------------------------------

def test_box_iou_hand_checked():
    a = torch.tensor([[0.0, 0, 2, 2]])
    b = torch.tensor([[0.0, 0, 2, 2], [1, 0, 3, 2], [2, 2, 4, 4],
                      [5, 5, 6, 6], [0.5, 0.5, 1.5, 1.5]])
    torch.testing.assert_close(d2l.box_iou(a, b),
                               torch.tensor([[1, 1 / 3, 0, 0, 0.25]]))
    dog = torch.tensor([[55.0, 45, 473, 515]])
    cat = torch.tensor([[400.0, 117, 657, 486]])
    torch.testing.assert_close(d2l.box_iou(dog, cat),
                               torch.tensor([[26937 / 264356]]))


@pytest.mark.parametrize('seed', range(5))
def test_box_iou_matches_torchvision(seed):
    b1, b2 = random_boxes(17, seed), random_boxes(9, seed + 100)
    ours = d2l.box_iou(b1, b2)
    assert ours.shape == (17, 9)
    torch.testing.assert_close(ours, ops.box_iou(b1, b2), rtol=0,
                               atol=1e-12)


def test_box_iou_names_the_bad_input():
    with pytest.raises(ValueError, match=r'boxes2 must have shape \(n, 4\)'):
        d2l.box_iou(torch.zeros(2, 4), torch.zeros(2, 2, 4))
    with pytest.raises(ValueError, match=r'boxes1 must have shape'):
        d2l.box_iou(torch.zeros(2, 3), torch.zeros(2, 4))


# --- assign_anchor_to_bbox ---------------------------------------------------

def reference_assignment(X, threshold):
    """The two rules of the section, written with plain Python loops."""
    n_a, n_b = len(X), len(X[0])
    out = []
    for row in X:
        j = max(range(n_b), key=lambda j: row[j])
        out.append(j if row[j] >= threshold else -1)
    rows, cols = set(range(n_a)), set(range(n_b))
    while rows and cols:
        i, j = max(((i, j) for i in sorted(rows) for j in sorted(cols)),
                   key=lambda p: X[p[0]][p[1]])
        out[i] = j
        rows.remove(i)
        cols.remove(j)
    return out


SCALE = torch.tensor([728.0, 561, 728, 561])
GT = torch.tensor([[55.0, 45, 473, 515], [400, 117, 657, 486]]) / SCALE
ANCHORS = torch.tensor([[70.0, 60, 460, 500], [30, 100, 400, 540],
                        [430, 250, 700, 540], [300, 20, 560, 300],
                        [600, 10, 720, 100], [150, 300, 350, 540]]) / SCALE


def test_assign_section_example():
    got = d2l.assign_anchor_to_bbox(GT, ANCHORS, 'cpu')
    assert got.tolist() == [0, 0, 1, -1, -1, -1]
    assert got.dtype == torch.long
    # a lower threshold lets anchors 3 (cat) and 5 (dog) in
    assert d2l.assign_anchor_to_bbox(GT, ANCHORS, 'cpu', 0.2).tolist() == \
        [0, 0, 1, 1, -1, 0]


@pytest.mark.parametrize('seed', range(8))
def test_assign_matches_the_reference_and_covers_every_box(seed):
    anchors, gt = random_boxes(12, seed), random_boxes(4, seed + 50)
    got = d2l.assign_anchor_to_bbox(gt, anchors, 'cpu', 0.3)
    X = ops.box_iou(anchors, gt).tolist()
    assert got.tolist() == reference_assignment(X, 0.3)
    assert set(got.tolist()) >= {0, 1, 2, 3}       # every box has an anchor


def test_assign_with_few_anchors_or_no_boxes():
    anchors, gt = random_boxes(2, 0), random_boxes(5, 1)
    got = d2l.assign_anchor_to_bbox(gt, anchors, 'cpu')
    assert len(set(got.tolist())) == 2           # two boxes got an anchor
    assert d2l.assign_anchor_to_bbox(torch.zeros(0, 4), anchors,
                                     'cpu').tolist() == [-1, -1]


def test_assign_names_the_bad_threshold():
    with pytest.raises(ValueError, match='iou_threshold'):
        d2l.assign_anchor_to_bbox(GT, ANCHORS, 'cpu', 1.5)


# --- offsets -----------------------------------------------------------------

def test_offset_boxes_hand_checked():
    anchor = torch.tensor([[0.0, 0, 2, 4]])      # centre (1, 2), 2 x 4
    box = torch.tensor([[0.5, 1, 2.5, 9]])       # centre (1.5, 5), 2 x 8
    expected = torch.tensor([[10 * 0.5 / 2, 10 * 3 / 4, 0, 5 * math.log(2)]])
    torch.testing.assert_close(d2l.offset_boxes(anchor, box, eps=0),
                               expected)


def test_offsets_match_torchvision_box_coder_and_round_trip():
    from torchvision.models.detection._utils import BoxCoder
    coder = BoxCoder(weights=(10.0, 10.0, 5.0, 5.0))
    anchors, boxes = random_boxes(30, 3), random_boxes(30, 4)
    ours = d2l.offset_boxes(anchors, boxes, eps=0)
    assert ours.shape == (30, 4)
    torch.testing.assert_close(ours, coder.encode_single(boxes, anchors))
    decoded = d2l.offset_inverse(anchors, ours)
    torch.testing.assert_close(decoded, boxes)
    small = ours.clamp(-3, 3)                    # inside BoxCoder's clamp
    torch.testing.assert_close(d2l.offset_inverse(anchors, small),
                               coder.decode_single(small, anchors))


def test_offset_functions_name_the_bad_input():
    with pytest.raises(ValueError, match=r'\(\.\.\., 4\)'):
        d2l.offset_boxes(torch.zeros(2, 3), torch.zeros(2, 4))
    with pytest.raises(ValueError, match=r'\(\.\.\., 4\)'):
        d2l.offset_inverse(torch.zeros(2, 5), torch.zeros(2, 4))


# --- multibox_target ---------------------------------------------------------

LABELS = torch.cat([torch.tensor([[0.0], [1.0]]), GT], dim=1)   # (2, 5)


def test_multibox_target_section_example():
    offsets, mask, classes = d2l.multibox_target(ANCHORS[None], LABELS[None])
    assert offsets.shape == mask.shape == (1, 24) and classes.shape == (1, 6)
    assert classes.tolist() == [[1, 1, 2, 0, 0, 0]]
    assert mask.tolist() == [[1.0] * 12 + [0.0] * 12]
    expected = d2l.offset_boxes(ANCHORS[:3], GT[[0, 0, 1]])
    torch.testing.assert_close(offsets.reshape(6, 4)[:3], expected)
    assert torch.all(offsets.reshape(6, 4)[3:] == 0)
    torch.testing.assert_close(offsets[0, :4], torch.tensor(
        [-10 / 390, 0, 5 * math.log(418 / 390), 5 * math.log(470 / 440)]),
        atol=1e-4, rtol=0)


def test_multibox_target_batch_and_padding_rows():
    padded = torch.cat([LABELS, torch.full((1, 5), -1.0)])       # (3, 5)
    only_cat = torch.cat([LABELS[1:], torch.full((2, 5), -1.0)])
    offsets, mask, classes = d2l.multibox_target(
        ANCHORS, torch.stack([padded, only_cat]))
    assert classes[0].tolist() == [1, 1, 2, 0, 0, 0]
    assert classes[1].tolist() == [0, 0, 2, 0, 0, 0]   # best cat anchor
    empty = torch.full((1, 2, 5), -1.0)
    offsets, mask, classes = d2l.multibox_target(ANCHORS, empty)
    assert not classes.any() and not mask.any() and not offsets.any()


def test_multibox_target_names_the_bad_input():
    with pytest.raises(ValueError, match=r'\(batch, boxes, 5\), got \(2, 5\)'):
        d2l.multibox_target(ANCHORS, LABELS)
    with pytest.raises(ValueError, match='anchors'):
        d2l.multibox_target(torch.zeros(6, 3), LABELS[None])


# --- nms ---------------------------------------------------------------------

def test_nms_hand_checked():
    boxes = torch.tensor([[0.0, 0, 2, 2], [0.1, 0, 2, 2], [3, 3, 4, 4]])
    scores = torch.tensor([0.8, 0.9, 0.1])
    assert d2l.nms(boxes, scores, 0.5).tolist() == [1, 2]
    assert d2l.nms(boxes, scores, 0.99).tolist() == [1, 0, 2]
    assert d2l.nms(boxes[:0], scores[:0], 0.5).shape == (0,)


@pytest.mark.parametrize('seed', range(10))
@pytest.mark.parametrize('threshold', [0.2, 0.5, 0.7])
def test_nms_matches_torchvision(seed, threshold):
    boxes = random_boxes(60, seed, torch.float32, scale=100.0)
    scores = torch.rand(60, generator=torch.Generator().manual_seed(seed))
    ours = d2l.nms(boxes, scores, threshold)
    assert ours.dtype == torch.long
    assert torch.equal(ours, ops.nms(boxes, scores, threshold))


def test_nms_names_the_bad_input():
    with pytest.raises(ValueError, match=r'scores \(n,\), got \(3, 4\) and'):
        d2l.nms(torch.zeros(3, 4), torch.zeros(2), 0.5)


# --- multibox_detection ------------------------------------------------------

PRED_ANCHORS = torch.tensor([[60.0, 50, 470, 505], [40, 90, 430, 530],
                             [395, 110, 660, 480], [420, 160, 700, 500],
                             [70, 50, 330, 260]]) / SCALE
CLS_PROBS = torch.tensor([[0.05, 0.10, 0.05, 0.25, 0.30],
                          [0.85, 0.70, 0.05, 0.20, 0.60],
                          [0.10, 0.20, 0.90, 0.55, 0.10]])


def test_multibox_detection_section_example():
    out = d2l.multibox_detection(CLS_PROBS[None], torch.zeros(1, 20),
                                 PRED_ANCHORS[None], nms_threshold=0.5)
    assert out.shape == (1, 5, 6)
    assert out[0, :, 0].tolist() == [1, 0, 0, -1, -1]
    torch.testing.assert_close(out[0, :, 1],
                               torch.tensor([0.9, 0.85, 0.6, 0.7, 0.55]))
    torch.testing.assert_close(out[0, :, 2:], PRED_ANCHORS[[2, 0, 4, 1, 3]])


@pytest.mark.parametrize('seed', range(5))
def test_multibox_detection_keeps_what_torchvision_nms_keeps(seed):
    g = torch.Generator().manual_seed(seed)
    anchors = random_boxes(40, seed, torch.float32)
    offsets = torch.randn(2, 160, generator=g) * 0.5
    probs = torch.softmax(torch.randn(2, 4, 40, generator=g), dim=1)
    out = d2l.multibox_detection(probs, offsets, anchors[None], 0.4, 0.0)
    for b in range(2):
        boxes = d2l.offset_inverse(anchors, offsets[b].reshape(-1, 4))
        conf, cls = probs[b, 1:].max(dim=0)
        keep = ops.nms(boxes, conf, 0.4)
        n = len(keep)
        torch.testing.assert_close(out[b, :n, 2:], boxes[keep])
        assert out[b, :n, 0].tolist() == cls[keep].float().tolist()
        assert torch.all(out[b, n:, 0] == -1)
        assert out[b, n:, 1].tolist() == sorted(out[b, n:, 1].tolist(),
                                                reverse=True)


def test_multibox_detection_unsure_predictions_become_background():
    probs = torch.tensor([[[0.995, 0.1], [0.005, 0.9]]])     # (1, 2, 2)
    anchors = torch.tensor([[0.0, 0, 0.2, 0.2], [0.5, 0.5, 1, 1]])
    out = d2l.multibox_detection(probs, torch.zeros(1, 8), anchors)
    assert out[0, :, 0].tolist() == [0, -1]
    torch.testing.assert_close(out[0, :, 1], torch.tensor([0.9, 0.995]))


def test_multibox_detection_names_the_bad_input():
    with pytest.raises(ValueError, match=r'for 5 anchors need cls_probs'):
        d2l.multibox_detection(CLS_PROBS[None], torch.zeros(1, 16),
                               PRED_ANCHORS[None])
