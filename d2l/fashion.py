"""Fashion-MNIST plumbing behind ``d2l.FashionMNIST`` (Section 4.2).

The book's data module asks :func:`load` for a split and gets an
:class:`ImageSet`: every image of the split as one ``uint8`` tensor in
memory, with the attributes of a torchvision dataset (``data``: the raw
28x28 bytes, ``targets``, ``classes``: torchvision's class names) and the
images that models see, resized once, in ``images``. What happens on the way
is bookkeeping that the section only summarises in a note:

* The four IDX files are registered in ``DATA_HUB`` by URL and SHA-1 and
  fetched with :func:`d2l.hub.download` (cache, then mirror, then network).
* :func:`read_idx` decodes a file: a 4-byte magic number (two zero bytes, a
  data-type code, 8 for unsigned bytes, and the number of axes), one
  big-endian 32-bit size per axis, then the array in row-major order.
* The decoded tensor is cached in a ``.pt`` file beside the download whose
  name carries the archive's SHA-1; it is written under a private name and
  renamed, so an interrupted run or two notebooks starting at once never
  leave a partial cache.
* Quick mode (``D2L_QUICK=1``) keeps a class-balanced random subset
  (:data:`QUICK_PER_CLASS` images per class, the same on every run).
* Resizing is done once, on the whole ``uint8`` tensor, in chunks, so that
  even 224x224 images never need a float copy of the whole split. The
  resized copy goes to ``images``; ``data`` keeps the raw bytes, as in
  torchvision, whose ``Resize`` transform acts only when an item is read.

An :class:`ImageSet` indexed with one position returns ``(image, label)``
like torchvision; indexed with a list or tensor of positions it returns a
whole minibatch from a single gather, which is what makes the loader of
``FashionMNIST.get_dataloader`` fast without worker processes. The gather and
the conversion to floats run in NumPy, which is single-threaded: on a small,
busy CPU, PyTorch's multi-threaded kernels spend most of their time on such
small arrays waiting for one another (one pass at 32x32, minibatches of 64,
took 11 s instead of 0.2 s on a loaded 2-core machine).
"""
import os

import numpy as np
import torch

from d2l import checks
from d2l.hub import DATA_HUB, download
from d2l.quickmode import is_quick

__all__ = ['CLASSES', 'TORCHVISION_CLASSES', 'QUICK_PER_CLASS', 'ImageSet',
           'read_idx', 'balanced_subset', 'load']

#: The ten class names the book shows (``text_labels``), in label order 0-9.
CLASSES = ('t-shirt', 'trouser', 'pullover', 'dress', 'coat',
           'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot')

#: The same classes as torchvision's FashionMNIST spells them (``classes``).
TORCHVISION_CLASSES = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
                       'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot')

#: Images per class kept in quick mode, per split.
QUICK_PER_CLASS = {'train': 300, 'test': 100}

_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'
_FILES = {   # DATA_HUB name -> (file name, SHA-1)
    'fashion-mnist-train-images': ('train-images-idx3-ubyte.gz',
                                   '95978b76b6897f6ca69a25145d01716efb615989'),
    'fashion-mnist-train-labels': ('train-labels-idx1-ubyte.gz',
                                   '09814cfef5a041118ceace42f8dae995319d331a'),
    'fashion-mnist-test-images': ('t10k-images-idx3-ubyte.gz',
                                  '5edda96c6d8c36ff915115a0e8136d370a021576'),
    'fashion-mnist-test-labels': ('t10k-labels-idx1-ubyte.gz',
                                  '9caad14e1aff9adac77d3744963212d36af15bee'),
}
for _name, (_file, _sha1) in _FILES.items():
    DATA_HUB[_name] = (_URL + _file, _sha1)

_RESIZE_CHUNK = 4096   # images resized at a time (bounds the float copy)


class ImageSet(torch.utils.data.Dataset):
    """uint8 images (N, H, W) and int64 labels (N,) held in memory.

    ``data``, ``targets`` and ``classes`` mean what they mean in torchvision
    (``data``: the images as stored, before any resizing). ``images`` holds
    the images that items are made of: ``data`` itself, or a resized copy.
    An item is a float image (1, H, W) of ``images`` in [0, 1] and an int
    label; a list, slice or tensor of positions gives a minibatch
    (B, 1, H, W), (B,).
    """
    def __init__(self, data, targets, classes=TORCHVISION_CLASSES,
                 split=None, images=None):
        images = data if images is None else images
        for name, x in (('data', data), ('images', images)):
            if x.dtype != torch.uint8 or x.ndim != 3:
                raise ValueError(f'expected {name} of uint8 images of shape '
                                 f'(N, H, W), got {x.dtype} of shape '
                                 f'{tuple(x.shape)}')
        if len(images) != len(data):
            raise ValueError(f'expected {len(data)} resized images, got '
                             f'{len(images)}')
        if targets.shape != (len(data),):
            raise ValueError(f'expected {len(data)} labels, got shape '
                             f'{tuple(targets.shape)}')
        self.data, self.images, self.targets = data, images, targets.long()
        self.classes, self.split = list(classes), split

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            idx = range(len(self))[idx]
        pos = (idx.cpu().numpy() if isinstance(idx, torch.Tensor)
               else np.asarray(idx))
        if pos.size == 0:
            pos = pos.astype(np.int64)        # np.asarray([]) is float
        if pos.dtype.kind not in 'iu':
            raise TypeError(f'positions must be integers, got {pos.dtype}')
        rows, n = pos.reshape(-1).astype(np.int64), len(self)      # (B,)
        bad = rows[(rows < -n) | (rows >= n)]
        if bad.size:
            raise IndexError(f'positions must lie in -{n}..{n - 1}, '
                             f'got {bad[:5].tolist()}')
        rows = np.where(rows < 0, rows + n, rows)
        # NumPy, not torch: single-threaded, so a busy CPU cannot stall it
        pixels = self.images.numpy().take(rows, axis=0)  # (B, H, W)
        X = np.divide(pixels, np.float32(255), dtype=np.float32)
        X = torch.from_numpy(X).unsqueeze(1)  # (B, 1, H, W)
        y = torch.from_numpy(self.targets.numpy().take(rows))  # (B,)
        return (X[0], int(y[0])) if pos.ndim == 0 else (X, y)

    def __repr__(self):
        n, h, w = self.images.shape
        split = f'{self.split} split, ' if self.split else ''
        return (f'ImageSet({split}{n} images of 1x{h}x{w}, '
                f'{len(self.classes)} classes)')


def read_idx(path):
    """Decode a gzip-compressed IDX file of unsigned bytes into a tensor."""
    import gzip
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    if len(raw) < 4 or raw[:3] != b'\x00\x00\x08':
        raise ValueError(f'{path}: expected an IDX file of unsigned bytes '
                         f'(magic 0x0008....), got {raw[:4].hex()}')
    ndim = raw[3]
    if len(raw) < 4 + 4 * ndim:
        raise ValueError(f'{path}: IDX header announces {ndim} axes but the '
                         f'file ends after {len(raw)} bytes')
    shape = np.frombuffer(raw, dtype='>u4', count=ndim, offset=4)
    size = int(np.prod(shape, dtype=np.int64))
    body = len(raw) - 4 - 4 * ndim
    if body != size:
        raise ValueError(f'{path}: IDX header announces shape '
                         f'{tuple(int(s) for s in shape)} ({size} bytes) but '
                         f'the file holds {body}')
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    return torch.from_numpy(data.reshape(shape.astype(np.int64)).copy())


def balanced_subset(labels, per_class, seed=0):
    """Sorted positions of `per_class` random examples of every class.

    A seeded generator of its own makes the subset the same on every run and
    leaves the global random state alone.
    """
    per_class = checks.integer(per_class, 'per_class', at_least=1)
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(labels), generator=gen)          # (N,)
    picks = [order[labels[order] == c][:per_class]
             for c in labels.unique()]                          # each (<= k,)
    short = [len(p) for p in picks if len(p) < per_class]
    if short:
        raise ValueError(f'expected {per_class} examples of every class, '
                         f'but one class has only {min(short)}')
    return torch.cat(picks).sort().values                       # (classes*k,)


def _read(name, root):
    """The tensor of DATA_HUB file `name`, decoded once and cached."""
    url, sha1 = DATA_HUB[name]
    path = download(url, root, sha1)
    cache = f'{path}.{sha1[:8]}.pt'
    if os.path.exists(cache):
        return torch.load(cache, weights_only=True)
    data = read_idx(path)
    part = f'{cache}.{os.getpid()}.part'      # private to this process
    torch.save(data, part)
    os.replace(part, cache)                   # atomic: never a partial cache
    return data


def _size(resize):
    """`resize` as a (height, width) tuple of positive ints.

    One integer means a square, as torchvision's Resize does for the square
    Fashion-MNIST images.
    """
    if isinstance(resize, torch.Tensor):
        resize = resize.tolist()
    if not isinstance(resize, (tuple, list)):
        side = checks.integer(resize, 'resize', at_least=1)
        return side, side
    if len(resize) != 2:
        raise ValueError(f'resize must be (height, width), got {resize!r}')
    return tuple(checks.integer(s, 'resize[{}]'.format(i), at_least=1)
                 for i, s in enumerate(resize))


def load(split, root='../data', resize=(28, 28)):
    """The 'train' or 'test' split as an ImageSet of size `resize` (h, w).

    `data` keeps the raw 28x28 images, `images` the resized ones. In quick
    mode only QUICK_PER_CLASS[split] images of every class are kept.
    """
    checks.one_of(split, 'split', ('train', 'test'))
    height, width = _size(resize)
    X = _read(f'fashion-mnist-{split}-images', root)          # (N, 28, 28)
    y = _read(f'fashion-mnist-{split}-labels', root).long()   # (N,)
    if is_quick():
        keep = balanced_subset(y, QUICK_PER_CLASS[split])
        X, y = X.index_select(0, keep), y.index_select(0, keep)
    images = X
    if (height, width) != tuple(X.shape[-2:]):
        from torchvision.transforms.v2 import functional as TF
        images = torch.cat([TF.resize(chunk.unsqueeze(1), [height, width],
                                      antialias=True).squeeze(1)
                            for chunk in X.split(_RESIZE_CHUNK)])  # (N, H, W)
    return ImageSet(X, y, split=split, images=images)
