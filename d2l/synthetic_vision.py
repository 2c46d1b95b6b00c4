"""Seeded stand-ins for the chapter 14 image data that the mirror lacks.

Why this exists (the data policy of issue 16): readers online get the book's
real data, since every loader keeps its canonical URL and SHA-1. The banana
detection set, Pascal VOC 2012, the hot dog set and the two Kaggle tiny
samples are neither in the offline mirror nor downloadable here, so quick
mode runs the book's unchanged loader code on a stand-in written by this
module, in exactly the archive's on-disk layout, and says so in one visible
line. Default mode never substitutes. No stand-in is ever resolved under a
canonical name: builders write only into a folder whose name ends in
``-synthetic`` and that has no canonical archive or folder name on its path.

One renderer serves every stand-in: a textured background with shapes drawn
by a seeded generator. Every image has a generator of its own, seeded from
(seed, dataset, split, index), so an image does not depend on how many are
made, and the same seed gives byte-identical files.

* class-labelled images: :func:`render_labelled` (``'cifar'``: 10 shape
  classes at 32x32, none changed by a left-right flip; ``'hotdog'``: two
  food-like classes; ``'breeds'``: 16 variants of one animal-like figure at
  variable sizes) and :func:`synthetic_cifar` for in-memory arrays;
* images with boxes: :func:`render_boxed` (banana-like crescents);
* images with per-pixel masks: :func:`render_masked` (class ids, 255 on the
  borders that VOC paints in (224, 224, 192)).

Each ``build_*`` function returns the folder the book's loader reads, i.e.
what ``download_extract`` returns for the real archive (for VOC, the
``VOCdevkit/VOC2012`` folder). A complete folder is reused; a partial or
stale one that this module wrote is rebuilt. :func:`real_or_stand_in` is the
one call a notebook makes: the real archive when it can be had, else (quick
mode only) the stand-in. :func:`cifar10_or_stand_in` does the same for
torchvision's CIFAR-10, as a dataset of images rather than a folder. Not
part of the published API: import it as ``from d2l import synthetic_vision``.
"""
import colorsys
import functools
import hashlib
import inspect
import json
import os
import pathlib
import shutil

import numpy as np

from d2l import checks, hub, quickmode

# PIL (and torchvision) are imported inside the functions that draw, write or
# serve images, so that `import d2l` does not load them.

__all__ = ['CIFAR_CLASSES', 'HOTDOG_CLASSES', 'BREEDS', 'SEG_CLASSES',
           'VOC_PALETTE', 'BORDER', 'SUFFIX', 'CANONICAL_NAMES',
           'render_labelled', 'render_boxed', 'render_masked',
           'synthetic_cifar', 'describe', 'is_generated', 'build_bananas',
           'build_voc', 'build_hotdog', 'build_kaggle_cifar10',
           'build_kaggle_dog',
           'real_or_stand_in', 'CIFAR_SUBSET', 'CIFAR_SUBSET_SHA1',
           'cifar10_or_stand_in']

#: The ten "synthetic CIFAR" classes; a left-right flip keeps each label.
CIFAR_CLASSES = ('disc', 'ring', 'square', 'frame', 'triangle', 'cross',
                 'star', 'stripes', 'checker', 'pair')
#: Folder names of the hot dog stand-in, as in ``hotdog.zip``.
HOTDOG_CLASSES = ('hotdog', 'not-hotdog')
_EARS = ('pointed', 'round', 'floppy', 'bare')
_COATS = ('plain', 'spotted', 'striped', 'patched')
#: The 16 fine-grained "breeds": ear shape x coat pattern.
BREEDS = tuple(f'{ear}_{coat}' for ear in _EARS for coat in _COATS)
#: Segmentation classes, id 0 is the background (VOC's convention).
SEG_CLASSES = ('background', 'disc', 'square', 'triangle', 'ring', 'star',
               'cross', 'frame')
#: Palette index of VOC's object borders.
BORDER = 255
#: Every stand-in folder's name ends with this.
SUFFIX = '-synthetic'
#: Archive and folder names of the real data; no stand-in path contains one.
CANONICAL_NAMES = frozenset({
    'banana-detection', 'banana-detection.zip', 'bananas_train',
    'bananas_val', 'VOCdevkit', 'VOC2012', 'VOCtrainval_11-May-2012.tar',
    'voc2012', 'hotdog', 'hotdog.zip', 'kaggle_cifar10_tiny',
    'kaggle_cifar10_tiny.zip', 'cifar-10', 'cifar-10-batches-py',
    'cifar-10-python.tar.gz', 'kaggle_dog_tiny', 'kaggle_dog_tiny.zip',
    'dog-breed-identification'})
_MARKER = '.synthetic-vision.json'
_SPLITS = ('train', 'val', 'test')


def _make_palette():
    """VOC's 256-colour label palette: bits of the index spread over R, G, B.

    Colour i takes bits 0, 1, 2 of i for the top bit of R, G, B, bits 3, 4, 5
    for the next one, and so on; index 255 comes out as (224, 224, 192).
    """
    palette = np.zeros((256, 3), np.uint8)
    for i in range(256):
        for level in range(3):          # 8 bits of i fill 3 bits per channel
            for channel in range(3):
                bit = (i >> (3 * level + channel)) & 1
                palette[i, channel] |= bit << (7 - level)
    return palette


#: (256, 3) uint8: row k is the RGB colour of class k; row 255 the border.
VOC_PALETTE = _make_palette()


# ----------------------------------------------------------------- randomness

def _rng(seed, *keys):
    """An independent generator for one image, from `seed` and `keys`."""
    words = [seed] + [int.from_bytes(hashlib.sha1(str(k).encode()).digest()
                                     [:4], 'little') for k in keys]
    return np.random.default_rng(np.random.SeedSequence(words))


def _check_common(seed, index, split):
    checks.integer(seed, 'seed', at_least=0)
    checks.integer(index, 'index', at_least=0)
    checks.one_of(split, 'split', _SPLITS)


def _colour(rng, hue=(0.0, 1.0), sat=(0.3, 0.9), val=(0.3, 0.9)):
    """A random RGB colour (float array, 0-255) from HSV ranges."""
    rgb = colorsys.hsv_to_rgb(rng.uniform(*hue) % 1.0, rng.uniform(*sat),
                              rng.uniform(*val))
    return np.array(rgb, np.float32) * 255


# ----------------------------------------------------------------- drawing

def _noise(rng, h, w, cells):
    """Smooth random field in [0, 1], shape (h, w): upsampled coarse noise."""
    from PIL import Image
    coarse = Image.fromarray(rng.random((cells, cells)).astype(np.float32))
    smooth = coarse.resize((w, h), Image.Resampling.BICUBIC)
    return np.clip(np.asarray(smooth), 0, 1)


def _background(rng, h, w, hue=(0.0, 1.0), grain=6.0):
    """Textured background, float (h, w, 3): two colours mixed by noise."""
    a, b = _colour(rng, hue), _colour(rng, hue, sat=(0.0, 0.6))
    t = _noise(rng, h, w, int(rng.integers(2, 8)))[..., None]
    ramp = np.linspace(-1, 1, w, dtype=np.float32)[None, :, None]
    img = a * (1 - t) + b * t + ramp * rng.uniform(-25, 25)
    return img + grain * rng.standard_normal((h, w, 1), np.float32)


def _circle(r=1.0, cx=0.0, cy=0.0, n=48, ry=None):
    """Polygon of a circle (or an ellipse with vertical radius `ry`)."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([cx + r * np.cos(t), cy + (ry or r) * np.sin(t)], 1)


def _rect(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)


def _star(points=5, inner=0.45):
    t = np.arange(2 * points) * np.pi / points - np.pi / 2
    r = np.where(np.arange(2 * points) % 2, inner, 1.0)
    return np.stack([r * np.cos(t), r * np.sin(t)], 1)


def _stadium(length, width, n=10):
    """A rounded bar along x: `length` long, `width` thick."""
    r, half = width / 2, max(length / 2 - width / 2, 0)
    right = np.linspace(-np.pi / 2, np.pi / 2, n)
    left = right + np.pi
    return np.concatenate([
        np.stack([half + r * np.cos(right), r * np.sin(right)], 1),
        np.stack([-half + r * np.cos(left), r * np.sin(left)], 1)])


def _strip(xs, ys, thickness):
    """A polygon following the polyline (xs, ys) with the given thickness."""
    top = np.stack([xs, ys - thickness / 2], 1)
    bottom = np.stack([xs, ys + thickness / 2], 1)[::-1]
    return np.concatenate([top, bottom])


def _shape(kind, rng):
    """Parts [(polygon, keep)] of a unit-sized shape; keep=0 cuts a hole."""
    sq = _rect(-0.8, -0.8, 0.8, 0.8)
    if kind == 'disc':
        return [(_circle(), 1)]
    if kind == 'ring':
        return [(_circle(), 1), (_circle(rng.uniform(0.45, 0.65)), 0)]
    if kind == 'square':
        return [(sq, 1)]
    if kind == 'frame':
        return [(sq, 1), (sq * rng.uniform(0.5, 0.65), 0)]
    if kind == 'triangle':
        return [(np.array([[0, -1], [0.9, 0.7], [-0.9, 0.7]]), 1)]
    if kind == 'cross':
        return [(_rect(-1, -0.3, 1, 0.3), 1), (_rect(-0.3, -1, 0.3, 1), 1)]
    if kind == 'star':
        return [(_star(), 1)]
    if kind == 'stripes':
        bands = [(_rect(-0.9, y, 0.9, y + 0.3), 0) for y in (-0.6, 0.0, 0.6)]
        return [(_rect(-0.9, -0.9, 0.9, 0.9), 1)] + bands
    if kind == 'checker':
        cells = [(_rect(x, y, x + 0.45, y + 0.45), 0)
                 for i, x in enumerate(np.arange(-0.9, 0.8, 0.45))
                 for j, y in enumerate(np.arange(-0.9, 0.8, 0.45))
                 if (i + j) % 2]
        return [(_rect(-0.9, -0.9, 0.9, 0.9), 1)] + cells
    if kind == 'pair':
        return [(_circle(0.45, -0.5), 1), (_circle(0.45, 0.5), 1)]
    raise ValueError(f'unknown shape {kind!r}')


def _coverage(parts, h, w, place, ss=1):
    """Fraction of each pixel (h, w) covered by `parts` placed by `place`.

    `place` = (cx, cy, scale, angle, mirror); drawing `ss` times larger and
    averaging gives anti-aliased edges, ss=1 gives a hard 0/1 mask.
    """
    from PIL import Image, ImageDraw
    cx, cy, scale, angle, mirror = place
    rot = np.array([[np.cos(angle), -np.sin(angle)],
                    [np.sin(angle), np.cos(angle)]])
    flip = np.array([-1.0 if mirror else 1.0, 1.0])
    placed = [((p * flip) @ rot.T * scale + (cx, cy), keep)
              for p, keep in parts]
    out = np.zeros((h, w), np.float32)
    if not placed:
        return out
    corners = np.concatenate([xy for xy, _ in placed])
    x0, y0 = np.clip(np.floor(corners.min(0)).astype(int), 0, (w, h))
    x1, y1 = np.clip(np.ceil(corners.max(0)).astype(int) + 1, 0, (w, h))
    if x1 <= x0 or y1 <= y0:
        return out
    # draw only the shape's window: most of a large image stays untouched
    canvas = Image.new('L', ((x1 - x0) * ss, (y1 - y0) * ss), 0)
    draw = ImageDraw.Draw(canvas)
    for xy, keep in placed:
        draw.polygon([tuple(p) for p in (xy - (x0, y0)) * ss],
                     fill=255 if keep else 0)
    if ss > 1:
        canvas = canvas.resize((x1 - x0, y1 - y0), Image.Resampling.BOX)
    out[y0:y1, x0:x1] = np.asarray(canvas, np.float32) / 255
    return out


def _paint(img, cover, colour, alpha=1.0):
    """Blend `colour` (RGB or (h, w, 3) texture) into `img` where covered."""
    cols, rows = np.flatnonzero(cover.any(0)), np.flatnonzero(cover.any(1))
    if cols.size:             # blend inside the shape's window only
        win = np.s_[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        a = cover[win][..., None] * alpha
        colour = np.asarray(colour, np.float32)
        img[win] = img[win] * (1 - a) + a * (colour[win] if colour.ndim == 3
                                             else colour)
    return cover


def _to_image(img):
    from PIL import Image
    return Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8))


def _contrast(rng, img):
    """A colour whose brightness is far from the mean of `img`."""
    dark = img.mean() > 128
    return _colour(rng, val=(0.05, 0.4) if dark else (0.65, 1.0))


def _place(rng, h, w, scale, margin=1.0, tilt=np.pi, mirror=False):
    """(cx, cy, scale, angle, mirror) keeping a radius `scale` inside."""
    pad = scale * margin
    cx = rng.uniform(min(pad, w / 2), max(w - pad, w / 2))
    cy = rng.uniform(min(pad, h / 2), max(h - pad, h / 2))
    return cx, cy, scale, rng.uniform(-tilt, tilt), mirror


# ----------------------------------------------------- class-labelled images

def _draw_cifar(rng, label):
    """One 32x32 image: a class shape over a textured, cluttered ground."""
    ss, size = 4, 32
    img = _background(rng, size, size, grain=4.0)
    for _ in range(int(rng.integers(0, 3))):          # faint clutter
        kind = CIFAR_CLASSES[int(rng.integers(len(CIFAR_CLASSES)))]
        place = _place(rng, size, size, rng.uniform(2, 4), margin=0)
        _paint(img, _coverage(_shape(kind, rng), size, size, place, ss),
               _colour(rng), alpha=0.35)
    place = _place(rng, size, size, rng.uniform(7, 12))
    parts = _shape(CIFAR_CLASSES[label], rng)
    _paint(img, _coverage(parts, size, size, place, ss), _contrast(rng, img))
    return _to_image(img + 3 * rng.standard_normal(img.shape, np.float32))


def _draw_hotdog(rng, h, w):
    """A sausage in a bun, with a mustard zigzag, at a random angle."""
    img = _background(rng, h, w, hue=(0.45, 0.75))
    s = min(h, w) * rng.uniform(0.32, 0.42)
    place = _place(rng, h, w, s, margin=1.1)
    bun = (_colour(rng, (0.08, 0.12), (0.4, 0.6), (0.75, 0.95)))
    _paint(img, _coverage([(_stadium(1.9, 0.8), 1)], h, w, place, 2), bun)
    meat = _colour(rng, (0.0, 0.04), (0.6, 0.85), (0.45, 0.7))
    _paint(img, _coverage([(_stadium(2.1, 0.38), 1)], h, w, place, 2), meat)
    xs = np.linspace(-0.8, 0.8, 9)
    zig = _strip(xs, 0.08 * (-1.0) ** np.arange(9), 0.07)
    _paint(img, _coverage([(zig, 1)], h, w, place, 2),
           _colour(rng, (0.13, 0.16), (0.8, 1.0), (0.85, 1.0)))
    return img


def _pizza(img, rng, h, w, place):
    """Cheese wedge, crust and three slices of pepperoni."""
    wedge = np.array([[0, -1], [0.75, 0.8], [-0.75, 0.8]])
    _paint(img, _coverage([(wedge, 1)], h, w, place, 2),
           _colour(rng, (0.1, 0.14), (0.6, 0.8), (0.85, 1.0)))
    crust = [(_rect(-0.8, 0.65, 0.8, 0.95), 1)]
    _paint(img, _coverage(crust, h, w, place, 2), _colour(rng, (0.07, 0.09)))
    dots = [(_circle(0.14, x, y), 1)
            for x, y in ((0, -0.3), (-0.25, 0.3), (0.25, 0.3))]
    _paint(img, _coverage(dots, h, w, place, 2),
           _colour(rng, (0.98, 1.02), (0.7, 0.9), (0.6, 0.8)))


def _grapes(img, rng, h, w, place):
    """A cluster of small discs."""
    berries = [(_circle(0.25, *rng.uniform(-0.6, 0.6, 2)), 1)
               for _ in range(int(rng.integers(6, 11)))]
    _paint(img, _coverage(berries, h, w, place, 2),
           _colour(rng, (0.75, 0.85), (0.4, 0.7), (0.3, 0.6)))


def _cookie(img, rng, h, w, place):
    """A brown disc with dark chips."""
    _paint(img, _coverage([(_circle(), 1)], h, w, place, 2),
           _colour(rng, (0.07, 0.1), (0.5, 0.7), (0.55, 0.75)))
    chips = [(_circle(0.12, *rng.uniform(-0.6, 0.6, 2)), 1) for _ in range(6)]
    _paint(img, _coverage(chips, h, w, place, 2), np.array([50, 30, 20]))


def _salad(img, rng, h, w, place):
    """A ragged green blob with tomato bits."""
    t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    r = 0.8 + 0.2 * rng.random(40)
    blob = np.stack([r * np.cos(t), r * np.sin(t)], 1)
    _paint(img, _coverage([(blob, 1)], h, w, place, 2),
           _colour(rng, (0.25, 0.35), (0.6, 0.9), (0.45, 0.8)))
    bits = [(_circle(0.15, *rng.uniform(-0.5, 0.5, 2)), 1) for _ in range(3)]
    _paint(img, _coverage(bits, h, w, place, 2), np.array([210, 40, 30]))


def _draw_other_food(rng, h, w):
    """Pizza slice, grapes, cookie or salad: food that is not a hot dog."""
    img = _background(rng, h, w, hue=(0.45, 0.75))
    place = _place(rng, h, w, min(h, w) * rng.uniform(0.3, 0.4), margin=1.1)
    dishes = (_pizza, _grapes, _cookie, _salad)
    dishes[int(rng.integers(len(dishes)))](img, rng, h, w, place)
    return img


def _ears(kind):
    """Ear polygons in the figure's frame (head centred at (-1.1, -0.55))."""
    if kind == 'pointed':
        return [(np.array([[-1.4, -0.8], [-1.3, -1.35], [-1.1, -0.85]]), 1),
                (np.array([[-1.05, -0.85], [-0.85, -1.35], [-0.8, -0.8]]), 1)]
    if kind == 'round':
        return [(_circle(0.17, -1.35, -0.95), 1),
                (_circle(0.17, -0.85, -0.95), 1)]
    if kind == 'floppy':
        return [(_circle(0.14, -1.5, -0.45, ry=0.3), 1),
                (_circle(0.14, -0.7, -0.45, ry=0.3), 1)]
    return []


def _coat(kind, rng):
    """Pattern parts laid over the body (clipped to it when painted)."""
    if kind == 'spotted':
        return [(_circle(rng.uniform(0.08, 0.14), *rng.uniform(-0.8, 0.8, 2)
                         * (1, 0.4)), 1) for _ in range(9)]
    if kind == 'striped':
        return [(_rect(x, -0.6, x + 0.14, 0.6), 1)
                for x in np.arange(-0.8, 0.9, 0.32)]
    if kind == 'patched':
        return [(_circle(0.35, *rng.uniform(-0.5, 0.5, 2) * (1, 0.3)), 1)
                for _ in range(2)]
    return []


def _draw_breed(rng, label, h, w):
    """An animal-like figure whose ears, coat and palette name the breed."""
    ears, coat = _EARS[label // len(_COATS)], _COATS[label % len(_COATS)]
    img = _background(rng, h, w, hue=(0.2, 0.65))
    body_ry = 0.35 + 0.05 * (label % 3)           # proportions differ by breed
    scale = min(h, w) * rng.uniform(0.22, 0.3)
    place = _place(rng, h, w, scale, margin=1.7, tilt=0.25,
                   mirror=bool(rng.integers(2)))
    hue = (label * 0.618) % 1.0
    fur = _colour(rng, (hue - 0.03, hue + 0.03), (0.35, 0.6), (0.45, 0.8))
    legs = [(_rect(x, 0.1, x + 0.18, 0.9), 1) for x in (-0.7, -0.4, 0.4, 0.6)]
    tail = _strip(np.linspace(0.9, 1.5, 6), -0.1 - 0.4 * np.linspace(0, 1, 6)
                  ** 2, 0.12)
    outline = legs + [(tail, 1), (_circle(1.0, ry=body_ry), 1),
                      (_circle(0.42, -1.1, -0.55), 1)] + _ears(ears)
    _paint(img, _coverage(outline, h, w, place, 2), fur)
    body = _coverage([(_circle(1.0, ry=body_ry), 1)], h, w, place, 2)
    pattern = _coverage(_coat(coat, rng), h, w, place, 2) * body
    _paint(img, pattern, fur * rng.uniform(0.35, 0.55))
    _paint(img, _coverage([(_circle(0.07, -1.25, -0.6), 1)], h, w, place, 2),
           np.array([15, 15, 15]))
    return img


def _check_size_range(sizes, name, at_least):
    checks.instance(sizes, name, (tuple, list))
    if len(sizes) != 2:
        raise ValueError(f'{name} must be (smallest, largest), got {sizes!r}')
    low = checks.integer(sizes[0], f'{name}[0]', at_least=at_least)
    high = checks.integer(sizes[1], f'{name}[1]', at_least=low)
    return low, high


def render_labelled(dataset, label, *, seed=0, index=0, split='train',
                    sizes=None):
    """One RGB image of class `label` from `dataset` (PIL.Image).

    `dataset`: 'cifar' (32x32), 'hotdog' (64-96 px a side) or 'breeds'
    (each side drawn from `sizes`, default (150, 400)).
    """
    checks.one_of(dataset, 'dataset', ('cifar', 'hotdog', 'breeds'))
    classes = {'cifar': CIFAR_CLASSES, 'hotdog': HOTDOG_CLASSES,
               'breeds': BREEDS}[dataset]
    checks.integer(label, 'label', at_least=0, at_most=len(classes) - 1)
    _check_common(seed, index, split)
    rng = _rng(seed, dataset, split, index)
    if dataset == 'cifar':
        return _draw_cifar(rng, label)
    low, high = _check_size_range(
        sizes or ((64, 96) if dataset == 'hotdog' else (150, 400)),
        'sizes', 16)
    h, w = (int(v) for v in rng.integers(low, high + 1, 2))
    if dataset == 'hotdog':
        draw = _draw_hotdog if label == 0 else _draw_other_food
        img = draw(rng, h, w)
    else:
        img = _draw_breed(rng, label, h, w)
    return _to_image(img)


def _balanced(n, k, rng):
    """`n` labels in 0..k-1, as even as possible, in a seeded order."""
    return rng.permutation(np.arange(n) % k)


def synthetic_cifar(num_images, *, seed=0, split='train'):
    """`num_images` balanced "synthetic CIFAR" images and labels.

    Returns X, uint8 (N, 32, 32, 3), and y, int64 (N,); the test split uses
    different images from the same seed.
    """
    n = checks.integer(num_images, 'num_images', at_least=1)
    _check_common(seed, 0, split)
    y = _balanced(n, len(CIFAR_CLASSES), _rng(seed, 'cifar', split, 'labels'))
    X = np.stack([np.asarray(render_labelled('cifar', int(label), seed=seed,
                                             index=i, split=split))
                  for i, label in enumerate(y)])
    return X, y.astype(np.int64)


# ----------------------------------------------------------- boxed images

def _banana(rng, h, w, img, scale, centre):
    """Paint one crescent "banana" with darker tips; return its coverage."""
    cx, cy = centre
    place = (cx, cy, scale, rng.uniform(-np.pi, np.pi), False)
    rb, d = rng.uniform(0.8, 0.95), rng.uniform(0.35, 0.5)
    parts = [(_circle(), 1), (_circle(rb, 0.0, -d), 0)]
    cover = _coverage(parts, h, w, place, 2)
    shade = 0.8 + 0.3 * _noise(rng, h, w, 4)[..., None]
    yellow = _colour(rng, (0.13, 0.16), (0.75, 0.95), (0.85, 1.0))
    _paint(img, cover, yellow * shade * rng.uniform(0.9, 1.05))
    ty = (1 - rb ** 2 + d ** 2) / (-2 * d)    # where the two circles cross
    tx = np.sqrt(max(1 - ty ** 2, 0.0))
    tips = [(_circle(0.22, x, ty), 1) for x in (-tx, tx)]
    brown = np.array([90, 60, 20])
    _paint(img, _coverage(tips, h, w, place, 2) * cover, brown)
    return cover


def _tight_box(cover):
    """(xmin, ymin, xmax, ymax) of the pixels at least half covered."""
    ys, xs = np.nonzero(cover >= 0.5)
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def render_boxed(*, seed=0, index=0, split='train', size=256, count=1):
    """A `size` x `size` image of `count` bananas and their pixel boxes.

    Returns (PIL.Image, int64 (count, 4) of xmin, ymin, xmax, ymax); the
    background keeps to cyan-blue-violet hues or grey, never yellow, so a
    sprite's pixels are told apart by colour alone.
    """
    size = checks.integer(size, 'size', at_least=64)
    count = checks.integer(count, 'count', at_least=1, at_most=8)
    _check_common(seed, index, split)
    rng = _rng(seed, 'bananas', split, index)
    hue = (0.45, 0.85) if rng.random() < 0.7 else (0.0, 1.0)
    img = _background(rng, size, size, hue=hue)
    if hue == (0.0, 1.0):                 # a grey ground instead: no yellow
        img = img.mean(-1, keepdims=True).repeat(3, -1)
    lo, hi = size * 0.07, size * (0.18 if count == 1 else 0.11)
    centres, boxes = [], []
    for _ in range(count):
        scale = rng.uniform(lo, hi)
        for _ in range(100):              # keep sprites apart
            c = rng.uniform(scale + 1, size - scale - 1, 2)
            if all(np.hypot(*(c - p)) > scale + q for p, q in centres):
                break
        centres.append((c, scale))
        boxes.append(_tight_box(_banana(rng, size, size, img, scale, c)))
    return _to_image(img), np.array(boxes, np.int64)


# ----------------------------------------------------------- masked images

def _borders(labels):
    """Mark with BORDER the pixels whose 3x3 neighbourhood has two classes."""
    from PIL import Image, ImageFilter
    pic = Image.fromarray(labels)
    high = np.asarray(pic.filter(ImageFilter.MaxFilter(3)))
    low = np.asarray(pic.filter(ImageFilter.MinFilter(3)))
    return np.where(high != low, BORDER, labels).astype(np.uint8)


def render_masked(*, seed=0, index=0, split='train', num_classes=5,
                  sizes=(200, 400), small=0.1):
    """An image of 1-4 shapes and its class-id mask (uint8 (H, W)).

    Class k draws SEG_CLASSES[k] (k = 1..num_classes), 0 is the background
    and BORDER marks class boundaries. Each side is drawn from `sizes`, but
    a fraction `small` of the images have sides of 64-120 px only, so that
    a crop filter has something to drop.
    """
    k = checks.integer(num_classes, 'num_classes', at_least=1,
                       at_most=len(SEG_CLASSES) - 1)
    low, high = _check_size_range(sizes, 'sizes', 32)
    small = checks.real(small, 'small', at_least=0, at_most=1)
    _check_common(seed, index, split)
    rng = _rng(seed, 'voc', split, index)
    if rng.random() < small:
        low, high = 64, 120
    h, w = (int(v) for v in rng.integers(low, high + 1, 2))
    img = _background(rng, h, w)
    labels = np.zeros((h, w), np.uint8)
    for _ in range(int(rng.integers(1, 5))):
        cls = int(rng.integers(1, k + 1))
        place = _place(rng, h, w, min(h, w) * rng.uniform(0.12, 0.3))
        cover = _coverage(_shape(SEG_CLASSES[cls], rng), h, w, place)
        texture = _contrast(rng, img) * (0.85 + 0.3 * _noise(rng, h, w, 3)
                                         [..., None])
        _paint(img, cover, texture)
        labels[cover > 0.5] = cls
    return _to_image(img), _borders(labels)


# ----------------------------------------------------------- the builders

def _stand_in(target):
    """Check that `target` names a stand-in folder; return it resolved."""
    checks.instance(target, 'target', (str, os.PathLike))
    path = pathlib.Path(target).expanduser().resolve()
    if not path.name.endswith(SUFFIX) or path.name == SUFFIX:
        raise ValueError(f'a stand-in folder name must end in {SUFFIX!r} '
                         f'(e.g. bananas{SUFFIX}), got {path.name!r}')
    lower = {n.lower() for n in CANONICAL_NAMES}
    clash = [part for part in path.parts if part.lower() in lower]
    if clash:
        raise ValueError(f'refusing to write a stand-in under the canonical '
                         f'name {clash[0]!r} ({path})')
    return path


def _complete(root, params):
    """True if `root` holds every file of a finished build with `params`."""
    try:
        record = json.loads((root / _MARKER).read_text())
    except (OSError, ValueError):
        return False
    return (record.get('params') == params
            and all((root / f).is_file() for f in record.get('files', ())))


def _build(target, params, write):
    """Run `write(folder, params) -> [relative paths]` unless already done.

    Writes into a hidden sibling and renames it into place, so a folder with
    the marker is always complete; refuses to replace a foreign folder.
    """
    root = _stand_in(target)
    if _complete(root, params):
        return root
    if root.exists() and any(root.iterdir()) and not (root / _MARKER).exists():
        raise FileExistsError(f'{root} exists and was not written by '
                              f'd2l.synthetic_vision; choose another folder')
    staging = root.with_name(f'.{root.name}.partial-{os.getpid()}')
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        files = sorted(write(staging, params))
        record = {'params': params, 'files': files}
        (staging / _MARKER).write_text(json.dumps(record, indent=0) + '\n')
        if _complete(root, params):        # a concurrent build came first
            return root
        if root.exists():
            shutil.rmtree(root)            # ours, but partial or stale
        staging.rename(root)
    except OSError:
        if not _complete(root, params):    # unless a concurrent build won
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return root


def describe(folder):
    """One line saying which stand-in `folder` (or a folder inside it) is.

    For the visible line the policy asks of a notebook that runs on a
    stand-in, e.g. ``print(synthetic_vision.describe(data_dir))``.
    """
    checks.instance(folder, 'folder', (str, os.PathLike))
    path = pathlib.Path(folder).resolve()
    for root in (path, *path.parents):
        if (root / _MARKER).is_file():
            params = json.loads((root / _MARKER).read_text())['params']
            kind = params.pop('kind')
            sizes = ', '.join(f'{k}={v}' for k, v in params.items())
            return (f'stand-in data: generated {kind} set ({sizes}) in '
                    f'{root.name}, not the book\'s data')
    raise ValueError(f'{path} is not inside a folder written by '
                     f'd2l.synthetic_vision')


def is_generated(folder):
    """Whether `folder` is (inside) a stand-in that this module wrote."""
    checks.instance(folder, 'folder', (str, os.PathLike))
    path = pathlib.Path(folder).resolve()
    return any((root / _MARKER).is_file() for root in (path, *path.parents))


def _save(img, folder, name, **options):
    """Save `img` as folder/name (making folder); return the name."""
    folder.mkdir(parents=True, exist_ok=True)
    img.save(folder / name, **options)
    return name


def _count(value, name):
    return checks.integer(value, name, at_least=1)


def _seed(value):
    return checks.integer(value, 'seed', at_least=0)


def _write_bananas(root, p):
    """bananas_{train,val}/images/<i>.png and their label.csv files."""
    files = []
    for split, n in (('train', p['num_train']), ('val', p['num_val'])):
        folder = root / f'bananas_{split}'
        rows = ['img_name,label,xmin,ymin,xmax,ymax']
        for i in range(n):
            img, boxes = render_boxed(seed=p['seed'], index=i, split=split,
                                      size=p['size'])
            name = _save(img, folder / 'images', f'{i}.png',
                         compress_level=1)
            rows.append(f'{name},0,' + ','.join(map(str, boxes[0])))
            files.append(f'bananas_{split}/images/{name}')
        (folder / 'label.csv').write_text('\n'.join(rows) + '\n')
        files.append(f'bananas_{split}/label.csv')
    return files


def build_bananas(target, *, seed=0, num_train=1000, num_val=100, size=256):
    """Write the banana-detection layout; return the folder to read.

    bananas_{train,val}/images/<i>.png and bananas_{train,val}/label.csv
    with columns img_name,label,xmin,ymin,xmax,ymax (pixels, label 0).
    """
    params = dict(kind='bananas', seed=_seed(seed),
                  num_train=_count(num_train, 'num_train'),
                  num_val=_count(num_val, 'num_val'),
                  size=checks.integer(size, 'size', at_least=64))
    return str(_build(target, params, _write_bananas))


def _write_voc_pair(voc, name, img, labels):
    """JPEGImages/<name>.jpg and the palette-coded SegmentationClass PNG."""
    from PIL import Image
    _save(img, voc / 'JPEGImages', f'{name}.jpg', quality=90)
    mask = Image.frombytes('P', labels.shape[::-1], labels.tobytes())
    mask.putpalette(VOC_PALETTE.reshape(-1).tolist())
    _save(mask, voc / 'SegmentationClass', f'{name}.png')
    return [f'VOCdevkit/VOC2012/JPEGImages/{name}.jpg',
            f'VOCdevkit/VOC2012/SegmentationClass/{name}.png']


def _write_voc(root, p):
    """The VOC tree; ids number on from the train split into val."""
    voc = root / 'VOCdevkit' / 'VOC2012'
    lists = voc / 'ImageSets' / 'Segmentation'
    lists.mkdir(parents=True)
    files, first = [], 1
    for split, n in (('train', p['num_train']), ('val', p['num_val'])):
        ids = [f'synth_{first + i:06d}' for i in range(n)]
        for i, name in enumerate(ids):
            files += _write_voc_pair(voc, name, *render_masked(
                seed=p['seed'], index=i, split=split,
                num_classes=p['num_classes'], sizes=p['sizes'],
                small=p['small']))
        (lists / f'{split}.txt').write_text('\n'.join(ids) + '\n')
        files.append(f'VOCdevkit/VOC2012/ImageSets/Segmentation/{split}.txt')
        first += n
    return files


def build_voc(target, *, seed=0, num_train=200, num_val=100, num_classes=5,
              sizes=(200, 400), small=0.1):
    """Write the VOC 2012 segmentation layout; return its VOC2012 folder.

    VOCdevkit/VOC2012/ImageSets/Segmentation/{train,val}.txt,
    JPEGImages/<id>.jpg and SegmentationClass/<id>.png (palette-coded with
    VOC_PALETTE: class k in colour k, borders (224, 224, 192)). Choose
    `sizes` for the crop: the defaults keep about 90% of the images for a
    128x192 crop, but none for the book's 320x480.
    """
    params = dict(kind='voc', seed=_seed(seed),
                  num_train=_count(num_train, 'num_train'),
                  num_val=_count(num_val, 'num_val'),
                  num_classes=checks.integer(num_classes, 'num_classes',
                                             at_least=1,
                                             at_most=len(SEG_CLASSES) - 1),
                  sizes=list(_check_size_range(sizes, 'sizes', 32)),
                  small=checks.real(small, 'small', at_least=0, at_most=1))
    return str(_build(target, params, _write_voc) / 'VOCdevkit' / 'VOC2012')


def _write_hotdog(root, p):
    """{train,test}/{hotdog,not-hotdog}/<i>.png."""
    files = []
    for split, n in (('train', p['num_train']), ('test', p['num_test'])):
        for label, cls in enumerate(HOTDOG_CLASSES):
            for i in range(n):
                img = render_labelled('hotdog', label, seed=p['seed'],
                                      index=label * n + i, split=split)
                files.append(f'{split}/{cls}/' +
                             _save(img, root / split / cls, f'{i}.png'))
    return files


def build_hotdog(target, *, seed=0, num_train=200, num_test=100):
    """Write the hot dog layout; return the folder to read.

    {train,test}/{hotdog,not-hotdog}/<i>.png, `num_train` and `num_test`
    images per class.
    """
    params = dict(kind='hotdog', seed=_seed(seed),
                  num_train=_count(num_train, 'num_train'),
                  num_test=_count(num_test, 'num_test'))
    return str(_build(target, params, _write_hotdog))


def _write_kaggle_cifar10(root, p):
    """train/<id>.png, test/<id>.png (ids from 1) and trainLabels.csv."""
    seed, rows = p['seed'], ['id,label']
    y = _balanced(p['num_train'], len(CIFAR_CLASSES),
                  _rng(seed, 'kaggle_cifar10', 'labels'))
    files = []
    for i, label in enumerate(y):
        img = render_labelled('cifar', int(label), seed=seed, index=i)
        files.append('train/' + _save(img, root / 'train', f'{i + 1}.png'))
        rows.append(f'{i + 1},{CIFAR_CLASSES[label]}')
    for i in range(p['num_test']):
        label = int(_rng(seed, 'kaggle_cifar10', 'test', i).integers(10))
        img = render_labelled('cifar', label, seed=seed, index=i,
                              split='test')
        files.append('test/' + _save(img, root / 'test', f'{i + 1}.png'))
    (root / 'trainLabels.csv').write_text('\n'.join(rows) + '\n')
    return files + ['trainLabels.csv']


def build_kaggle_cifar10(target, *, seed=0, num_train=1000, num_test=5):
    """Write the kaggle_cifar10_tiny layout; return the folder to read.

    train/<id>.png and test/<id>.png (ids from 1) and trainLabels.csv with
    header id,label and CIFAR_CLASSES names, balanced over the classes.
    """
    params = dict(kind='kaggle_cifar10', seed=_seed(seed),
                  num_train=_count(num_train, 'num_train'),
                  num_test=_count(num_test, 'num_test'))
    return str(_build(target, params, _write_kaggle_cifar10))


def _kaggle_id(seed, split, index):
    """A 32-hex-digit file id like the Kaggle dog files', fixed by the seed."""
    return hashlib.md5(f'{seed}/{split}/{index}'.encode()).hexdigest()


def _write_dog_image(root, p, split, index, label):
    """One <split>/<id>.jpg; returns (relative path, id)."""
    name = _kaggle_id(p['seed'], split, index)
    img = render_labelled('breeds', label, seed=p['seed'], index=index,
                          split=split, sizes=p['sizes'])
    _save(img, root / split, f'{name}.jpg', quality=90)
    return f'{split}/{name}.jpg', name


def _write_kaggle_dog(root, p):
    """train/<id>.jpg, test/<id>.jpg and labels.csv sorted by id."""
    k = p['num_breeds']
    y = _balanced(k * p['per_breed'], k, _rng(p['seed'], 'dog', 'labels'))
    files, rows = [], []
    for i, label in enumerate(y):
        path, name = _write_dog_image(root, p, 'train', i, int(label))
        files.append(path)
        rows.append(f'{name},{BREEDS[label]}')
    for i in range(p['num_test']):
        label = int(_rng(p['seed'], 'dog', 'test', i).integers(k))
        files.append(_write_dog_image(root, p, 'test', i, label)[0])
    (root / 'labels.csv').write_text('\n'.join(['id,breed'] + sorted(rows))
                                     + '\n')
    return files + ['labels.csv']


def build_kaggle_dog(target, *, seed=0, num_breeds=16, per_breed=40,
                     num_test=100, sizes=(150, 400)):
    """Write the kaggle_dog_tiny layout; return the folder to read.

    train/<id>.jpg, test/<id>.jpg and labels.csv (id,breed; sorted by id),
    `per_breed` training images for each of the first `num_breeds` BREEDS.
    """
    params = dict(kind='kaggle_dog', seed=_seed(seed),
                  num_breeds=checks.integer(num_breeds, 'num_breeds',
                                            at_least=2, at_most=len(BREEDS)),
                  per_breed=_count(per_breed, 'per_breed'),
                  num_test=_count(num_test, 'num_test'),
                  sizes=list(_check_size_range(sizes, 'sizes', 16)))
    return str(_build(target, params, _write_kaggle_dog))


# ------------------------------------------------- real data or a stand-in

#: DATA_HUB name -> (builder, folder the book reads, stand-in folder name).
_STAND_INS = {
    'banana-detection': (build_bananas, 'banana-detection',
                         'banana-detection-synthetic'),
    'voc2012': (build_voc, 'VOCdevkit/VOC2012', 'voc-segmentation-synthetic'),
    'hotdog': (build_hotdog, 'hotdog', 'hotdog-synthetic'),
    'cifar10_tiny': (build_kaggle_cifar10, 'kaggle_cifar10_tiny',
                     'kaggle-cifar10-tiny-synthetic'),
    'dog_tiny': (build_kaggle_dog, 'kaggle_dog_tiny',
                 'kaggle-dog-tiny-synthetic'),
}
#: The mirror's subset of genuine Kaggle CIFAR-10 images (other images than
#: the book's tiny set, same layout) and the only SHA-1 accepted for it.
CIFAR_SUBSET = 'subsets/kaggle_cifar10_tiny-d2lzh2017/kaggle_cifar10_tiny.zip'
CIFAR_SUBSET_SHA1 = '380ad11827a75fe2045813324ee971b81bec5d80'


def _cifar_subset(cache):
    """The unpacked mirror subset (a folder under `cache`), or None."""
    for root in hub.mirror_folders():
        archive = root / CIFAR_SUBSET
        if not archive.is_file():
            continue
        if (digest := hub.sha1(archive)) != CIFAR_SUBSET_SHA1:
            raise hub.DataError(f'{archive} has SHA-1 {digest}, expected '
                                f'{CIFAR_SUBSET_SHA1}')
        # hub.extract refuses traversal and links; the folder name is ours
        base = cache / pathlib.Path(CIFAR_SUBSET).parent.name
        data_dir = pathlib.Path(hub.extract(archive, base))
        counts = [len(os.listdir(data_dir / s)) for s in ('train', 'test')]
        print(f'stand-in data: the mirror\'s subset {base.name}, '
              f'{counts[0]:,} train and {counts[1]:,} test genuine Kaggle '
              'CIFAR-10 images, other images than the book\'s')
        return str(data_dir)
    return None


def real_or_stand_in(name, folder=None, **build_kwargs):
    """The folder of DATA_HUB archive `name`, or in quick mode a stand-in.

    Issue 16's policy in one call: the real archive when download_extract
    finds it (cache, mirror, network); else default mode raises DataError,
    and quick mode returns a stand-in with the same layout, written under
    the download cache in a folder of its own (for 'cifar10_tiny', first
    the mirror's subset of genuine Kaggle images). One printed line says
    which ran. `folder` is the one the book reads (the default; for voc2012
    'VOCdevkit/VOC2012'). `build_kwargs` go to the builder (e.g.
    num_classes=5 for voc2012); their names are checked in either mode,
    their values shape only a generated stand-in.
    """
    if name not in _STAND_INS:
        raise ValueError(f'no stand-in for {name!r}; known names: '
                         f'{sorted(_STAND_INS)}')
    build, canonical, stand_in = _STAND_INS[name]
    if folder is not None and (pathlib.PurePath(folder)
                               != pathlib.PurePath(canonical)):
        raise ValueError(f'folder for {name!r} must be {canonical!r} (the '
                         f'one its stand-in copies), got {folder!r}')
    params = inspect.signature(build).parameters
    unknown = sorted(set(build_kwargs) - set(list(params)[1:]))
    if unknown:
        raise TypeError(f'{build.__name__} takes no argument {unknown[0]!r};'
                        f' it takes {list(params)[1:]}')
    if name not in hub.DATA_HUB:
        raise KeyError(f'{name!r} has no DATA_HUB row yet: run the #@save '
                       'cell of the section that registers it')
    archive = hub.DATA_HUB[name][0].rsplit('/', 1)[-1]
    try:
        data_dir = hub.download_extract(name, canonical)
        print(f"real data: the book's {archive}")
        return data_dir
    except hub.DataError as err:
        if not quickmode.is_quick():
            other = ('the mirror\'s subset of Kaggle images or a generated '
                     'stand-in' if name == 'cifar10_tiny'
                     else 'a generated stand-in')
            raise hub.DataError(
                f'default mode needs the real {archive} ({name}): {err}. '
                f'Quick mode (D2L_QUICK=1) would run on {other} instead'
            ) from None
    cache = hub._cache_folder(None)
    if name == 'cifar10_tiny' and (subset := _cifar_subset(cache)):
        return subset
    data_dir = build(cache / stand_in, **build_kwargs)
    print(describe(data_dir))
    return data_dir


# ------------------------------------------------- CIFAR-10 as a dataset

#: torchvision's CIFAR-10 archive; torchvision checks it against its MD5.
CIFAR10_ARCHIVE = 'cifar-10-python.tar.gz'
_STAND_IN_SIZE = 1000          # stand-in images when num_images is None


@functools.lru_cache(maxsize=8)
def _cifar_arrays(num_images, split):
    """synthetic_cifar(num_images, split=split), made once per process."""
    X, y = synthetic_cifar(num_images, split=split)
    X.flags.writeable = False              # shared by every dataset made
    return X, y


class _StandInCIFAR:
    """synthetic_cifar images served like torchvision's CIFAR10: each item
    is (PIL image, int label), after `transform` when one is given."""

    def __init__(self, X, y, transform=None):
        self.data, self.targets = X, [int(label) for label in y]
        self.transform, self.classes = transform, list(CIFAR_CLASSES)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        from PIL import Image
        img = Image.fromarray(self.data[i])            # 32x32 RGB
        return (self.transform(img) if self.transform else img,
                self.targets[i])

    def __repr__(self):
        return (f'stand-in for CIFAR-10: {len(self):,} generated images '
                f'(d2l.synthetic_vision.synthetic_cifar)')


def _local_cifar10(root):
    """Whether CIFAR-10 is in `root`, copying the archive from a mirror
    folder into `root` first when only a mirror has it."""
    unpacked = root / 'cifar-10-batches-py'
    if (root / CIFAR10_ARCHIVE).is_file() or unpacked.is_dir():
        return True
    for folder in hub.mirror_folders():
        if (folder / CIFAR10_ARCHIVE).is_file():
            root.mkdir(parents=True, exist_ok=True)
            hub._atomic_copy(folder / CIFAR10_ARCHIVE, root / CIFAR10_ARCHIVE)
            return True
    return False


def cifar10_or_stand_in(train, transform=None, *, root=None,
                        num_images=None, verbose=True):
    """CIFAR-10's training or test images, or in quick mode a stand-in.

    Issue 16's policy for torchvision's CIFAR10 dataset: the real images
    when the archive (or its unpacked folder) is in `root` (default: the
    download cache) or a D2L_DATA_MIRROR folder. Otherwise default mode
    lets torchvision download it, and raises DataError when that fails;
    quick mode does not fetch the 170 MB archive but serves `synthetic_cifar`
    images (PIL, like CIFAR10's) with the same transform. `num_images` keeps
    the first ones (None: all; 1,000 for the stand-in). Unless `verbose` is
    False, one printed line says which data it is.
    """
    checks.instance(train, 'train', bool)
    if num_images is not None:
        num_images = checks.integer(num_images, 'num_images', at_least=1)
    checks.instance(verbose, 'verbose', bool)
    if transform is not None and not callable(transform):
        raise TypeError(f'transform must be callable or None, got '
                        f'{type(transform).__name__}')
    split = 'train' if train else 'test'
    root = hub._cache_folder(root)
    local, quick = _local_cifar10(root), quickmode.is_quick()
    if local or not quick:
        import torch.utils.data
        import torchvision
        try:
            if not local and hub._offline():
                raise hub.DataError(f'{CIFAR10_ARCHIVE} is not in {root} or '
                                    'a mirror folder, and D2L_OFFLINE is set')
            data = torchvision.datasets.CIFAR10(
                root, train=train, transform=transform, download=True)
        except (hub.DataError, RuntimeError, OSError) as err:
            if not quick:
                raise hub.DataError(
                    f'default mode needs CIFAR-10 ({CIFAR10_ARCHIVE}, 170 MB)'
                    f' and could not get it: {err}. Put the archive in '
                    f'{root} or a D2L_DATA_MIRROR folder; quick mode '
                    '(D2L_QUICK=1) would run on generated stand-in images '
                    'instead') from None
        else:
            total = len(data)
            if num_images is not None and num_images < total:
                data = torch.utils.data.Subset(data, range(num_images))
            if verbose:
                print(f'real data: CIFAR-10, {len(data):,} of its {total:,} '
                      f'{split} images')
            return data
    X, y = _cifar_arrays(num_images or _STAND_IN_SIZE, split)
    if verbose:
        print(f'stand-in data: {len(y):,} generated 10-class 32x32 shape '
              f'images ({split} split of synthetic_cifar), not CIFAR-10')
    return _StandInCIFAR(X, y, transform)
