"""Tests of Section 14.6: DATA_HUB['banana-detection'], read_data_bananas,
BananasDataset and load_data_bananas, on hand-made folders in the archive's
layout and on a tiny generated stand-in (never on the real archive); and
the notebook's transform_example (v2 transforms on an image and its boxes),
against hand computations."""
import os

import pytest
import torch
from PIL import Image

from d2l import hub, synthetic_vision
from d2l import torch as d2l
from notebook_cells import notebook_code

HEADER = 'img_name,label,xmin,ymin,xmax,ymax\n'


def write_split(root, split, rows, size=(100, 50)):
    """bananas_<split>/images/<name> (blank, W x H = size) and label.csv."""
    folder = root / f'bananas_{split}'
    (folder / 'images').mkdir(parents=True)
    lines = [HEADER]
    for name, label, *box in rows:
        Image.new('RGB', size, (10, 20, 30)).save(folder / 'images' / name)
        lines.append(','.join(map(str, [name, label, *box])) + '\n')
    (folder / 'label.csv').write_text(''.join(lines))


@pytest.fixture
def hand_made(tmp_path):
    """A 2-image training split and a 1-image validation split, 100 x 50."""
    write_split(tmp_path, 'train', [('0.png', 0, 10, 5, 60, 45),
                                    ('1.png', 2, 0, 0, 100, 50)])
    write_split(tmp_path, 'val', [('0.png', 1, 50, 25, 75, 50)])
    return str(tmp_path)


@pytest.fixture(scope='module')
def stand_in(tmp_path_factory):
    target = tmp_path_factory.mktemp('data') / 'banana-detection-synthetic'
    return synthetic_vision.build_bananas(target, num_train=5, num_val=3,
                                          size=64)


def test_data_hub_entry_is_the_books_archive():
    url, sha1 = d2l.DATA_HUB['banana-detection']
    assert url == hub.DATA_URL + 'banana-detection.zip'
    assert sha1 == '5de26c8fce5ccdea9f91267273464dc968d20d72'


def test_read_divides_x_by_width_and_y_by_height(hand_made):
    images, labels = d2l.read_data_bananas(True, data_dir=hand_made)
    assert [tuple(img.shape) for img in images] == [(3, 50, 100)] * 2
    assert images[0].dtype == torch.uint8
    assert labels.shape == (2, 1, 5)
    torch.testing.assert_close(labels, torch.tensor(
        [[[0, 0.1, 0.1, 0.6, 0.9]], [[2, 0.0, 0.0, 1.0, 1.0]]]))


def test_read_leaves_the_class_column_alone(hand_made):
    _, labels = d2l.read_data_bananas(False, data_dir=hand_made)
    torch.testing.assert_close(labels, torch.tensor([[[1, 0.5, 0.5, 0.75,
                                                       1.0]]]))


def test_read_uses_download_extract_by_default(hand_made, monkeypatch):
    asked = []

    def fake(name, folder=None):
        asked.append(name)
        return hand_made
    monkeypatch.setattr(d2l, 'download_extract', fake)
    images, _ = d2l.read_data_bananas()
    assert asked == ['banana-detection'] and len(images) == 2


def test_read_names_the_bad_split_argument(hand_made):
    with pytest.raises(TypeError, match='is_train must be bool'):
        d2l.read_data_bananas('train', data_dir=hand_made)


def test_read_names_the_missing_table(tmp_path):
    with pytest.raises(FileNotFoundError, match='label.csv'):
        d2l.read_data_bananas(True, data_dir=str(tmp_path))


def test_read_matches_the_stand_in_table(stand_in):
    images, labels = d2l.read_data_bananas(True, data_dir=stand_in)
    table = d2l.pd.read_csv(os.path.join(stand_in, 'bananas_train',
                                         'label.csv'))
    pixels = torch.tensor(table[['xmin', 'ymin', 'xmax', 'ymax']].values,
                          dtype=torch.float32)
    assert len(images) == 5 and labels.shape == (5, 1, 5)
    torch.testing.assert_close(labels[:, 0, 1:] * 64, pixels)
    assert (labels[:, 0, 0] == 0).all()


def test_dataset_items_and_length(hand_made, capsys):
    data = d2l.BananasDataset(True, data_dir=hand_made)
    assert capsys.readouterr().out == 'read 2 training examples\n'
    assert len(data) == 2
    X, y = data[1]
    assert X.dtype == torch.float32 and X.shape == (3, 50, 100)
    assert X.max() == 30.0                 # pixel values stay 0..255
    torch.testing.assert_close(y, torch.tensor([[2, 0.0, 0.0, 1.0, 1.0]]))
    d2l.BananasDataset(False, data_dir=hand_made)
    assert capsys.readouterr().out == 'read 1 validation examples\n'


def test_loaders_batch_shapes_and_order(stand_in):
    torch.manual_seed(0)
    train_iter, val_iter = d2l.load_data_bananas(2, data_dir=stand_in)
    X, Y = next(iter(train_iter))
    assert X.shape == (2, 3, 64, 64) and Y.shape == (2, 1, 5)
    assert train_iter.sampler.__class__.__name__ == 'RandomSampler'
    _, val_labels = d2l.read_data_bananas(False, data_dir=stand_in)
    torch.testing.assert_close(torch.cat([y for _, y in val_iter]),
                               val_labels)         # validation: in order
    assert [len(y) for _, y in val_iter] == [2, 1]


def test_loader_names_the_bad_batch_size(hand_made):
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        d2l.load_data_bananas(0, data_dir=hand_made)


def test_data_dir_is_keyword_only(hand_made):
    with pytest.raises(TypeError):
        d2l.read_data_bananas(True, hand_made)


NB = notebook_code('computer-vision/object-detection-dataset.md',
                   ('from torchvision import tv_tensors',))


def test_flip_moves_the_box_by_hand():
    from torchvision.transforms import v2
    img = torch.arange(50 * 100, dtype=torch.float32).reshape(1, 50, 100)
    img = img.expand(3, 50, 100)                       # W = 100, H = 50
    y = torch.tensor([[0, 0.1, 0.1, 0.6, 0.9],          # pixels 10..60, 5..45
                      [1, 0.5, 0.5, 0.75, 1.0]])
    flipped, y_flip = NB['transform_example'](v2.RandomHorizontalFlip(p=1),
                                              img, y)
    # mirror in pixels: x -> 100 - x, so [10, 60] -> [40, 90], [50, 75] ->
    # [25, 50]; y and the classes stay
    torch.testing.assert_close(y_flip, torch.tensor(
        [[0, 0.4, 0.1, 0.9, 0.9], [1, 0.25, 0.5, 0.5, 1.0]]))
    assert torch.equal(flipped, img.flip(-1))
    assert type(flipped) is torch.Tensor and type(y_flip) is torch.Tensor


def test_crop_divides_by_the_new_size():
    from torchvision.transforms import v2
    img = torch.zeros(3, 50, 100)
    y = torch.tensor([[0, 0.1, 0.1, 0.6, 0.9]])         # pixels 10, 5, 60, 45
    out, y_crop = NB['transform_example'](v2.CenterCrop((40, 80)), img, y)
    assert out.shape == (3, 40, 80)                     # offsets 10 and 5
    torch.testing.assert_close(y_crop, torch.tensor(
        [[0, 0.0, 0.0, 50 / 80, 1.0]]))                 # 0, 0, 50, 40 px


def test_sanitize_drops_a_box_with_its_class():
    from torchvision.transforms import v2
    img = torch.zeros(3, 50, 100)
    y = torch.tensor([[3, 0.0, 0.0, 0.2, 0.2],          # outside the crop
                      [7, 0.4, 0.4, 0.6, 0.6]])
    aug = v2.Compose([v2.CenterCrop((20, 40)), v2.SanitizeBoundingBoxes()])
    _, y_out = NB['transform_example'](aug, img, y)
    assert y_out[:, 0].tolist() == [7.0]
    torch.testing.assert_close(y_out[:, 1:], torch.tensor(
        [[0.25, 0.25, 0.75, 0.75]]))                    # 40..60 in 30..70
