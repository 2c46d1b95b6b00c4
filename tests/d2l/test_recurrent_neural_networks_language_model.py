"""Tests of the saved code of Section 9.3 (TimeMachine windows, loaders)."""
import pytest
import torch

from d2l import torch as d2l


@pytest.fixture(scope='module')
def book(mirror):
    return d2l.TimeMachine(batch_size=4, num_steps=8, num_train=100,
                           num_val=30)


def test_hyperparameters_and_attributes(book):
    assert (book.batch_size, book.num_steps, book.num_train,
            book.num_val) == (4, 8, 100, 30)
    assert book.root == '../data' or book.root   # DataModule's set-up ran
    assert len(book.vocab) == 28
    assert book.corpus.shape == (173428,) and book.corpus.dtype == torch.long


def test_windows_shapes_and_shift_by_one(book):
    n = len(book.corpus) - 8
    assert book.X.shape == book.Y.shape == (n, 8)
    assert torch.equal(book.X[:, 1:], book.Y[:, :-1])
    assert torch.equal(book.X[:, 0], book.corpus[:n])
    assert torch.equal(book.Y[:, -1], book.corpus[8:])
    assert torch.equal(book.X[5], book.corpus[5:13])


def test_train_and_val_splits(book):
    train = book.get_dataloader(train=True)
    val = book.get_dataloader(train=False)
    assert len(train.dataset) == 100 and len(val.dataset) == 30
    X, Y = next(iter(val))                 # validation is not shuffled
    assert X.shape == Y.shape == (4, 8)
    assert torch.equal(X, book.X[100:104])
    Xs = torch.cat([X for X, _ in train])
    assert Xs.shape == (100, 8)
    # shuffled, but the same set of windows
    assert sorted(map(tuple, Xs.tolist())) == sorted(
        map(tuple, book.X[:100].tolist()))


def test_default_split_sizes(mirror):
    data = d2l.TimeMachine(batch_size=1024, num_steps=32)
    assert (data.num_train, data.num_val) == (10000, 5000)
    assert len(data.val_dataloader().dataset) == 5000
    X, Y = next(iter(data.train_dataloader()))
    assert X.shape == Y.shape == (1024, 32)
    assert torch.equal(X[:, 1:], Y[:, :-1])


def test_rejects_bad_sizes(mirror):
    with pytest.raises(ValueError, match='num_steps must be an integer >= 1'):
        d2l.TimeMachine(batch_size=2, num_steps=0)
    with pytest.raises(TypeError, match='batch_size must be an integer'):
        d2l.TimeMachine(batch_size=2.0, num_steps=5)
    with pytest.raises(ValueError, match='num_val must be an integer >= 0'):
        d2l.TimeMachine(batch_size=2, num_steps=5, num_val=-1)
    with pytest.raises(ValueError, match='exceeds the 173418 windows'):
        d2l.TimeMachine(batch_size=2, num_steps=10, num_train=173000,
                        num_val=1000)


def test_numpy_sizes_are_accepted(mirror):
    np = pytest.importorskip('numpy')
    data = d2l.TimeMachine(batch_size=np.int64(2), num_steps=np.int32(3),
                           num_train=10, num_val=4)
    assert next(iter(data.train_dataloader()))[0].shape == (2, 3)
