"""Tests of the synthetic data saved in Section 3.3."""
import pytest
import torch

from d2l import torch as d2l


@pytest.fixture
def data():
    """The book's dataset, seeded: w = [2, -3.4], b = 4.2."""
    torch.manual_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)


def test_labels_follow_the_linear_model_without_noise():
    data = d2l.SyntheticRegressionData(w=[1.0, 2.0], b=0.5, noise=0.0,
                                       num_train=3, num_val=2)
    expected = data.X[:, :1] + 2 * data.X[:, 1:] + 0.5      # (5, 1)
    assert torch.allclose(data.y, expected)


def test_noise_has_the_requested_scale(data):
    residual = data.y - data.X @ data.w.reshape(-1, 1) - data.b  # (2000, 1)
    assert 0.008 < residual.std().item() < 0.012


def test_shapes_and_hyperparameters(data):
    assert data.X.shape == (2000, 2) and data.y.shape == (2000, 1)
    assert (data.num_train, data.num_val, data.batch_size) == (1000, 1000,
                                                                32)


def test_loader_batches_and_length(data):
    loader = data.train_dataloader()
    X, y = next(iter(loader))
    assert X.shape == (32, 2) and y.shape == (32, 1)
    assert loader.batch_size == 32 and data.val_dataloader().batch_size == 32
    assert len(loader) == 32                  # 31 full batches and one of 8
    assert sum(len(b[0]) for b in loader) == 1000


def test_validation_loader_is_the_last_split_in_order(data):
    X, y = next(iter(data.val_dataloader()))
    assert torch.equal(X, data.X[1000:1032])
    assert torch.equal(y, data.y[1000:1032])


def test_training_loader_shuffles_each_pass(data):
    first = [next(iter(data.train_dataloader()))[0] for _ in range(2)]
    assert not torch.equal(first[0], first[1])


def test_get_tensorloader_selects_rows():
    dm = d2l.DataModule()
    dm.batch_size = 2
    t = torch.arange(6).reshape(6, 1)
    batches = list(dm.get_tensorloader((t, 10 * t), False, slice(2, 5)))
    assert [b[0].flatten().tolist() for b in batches] == [[2, 3], [4]]
    assert batches[0][1].flatten().tolist() == [20, 30]


def test_get_tensorloader_rejects_unequal_rows():
    dm = d2l.DataModule()
    dm.batch_size = 2
    with pytest.raises(ValueError, match='equally many rows, got \\[3, 4\\]'):
        dm.get_tensorloader((torch.zeros(3), torch.zeros(4)), True)


def test_rejects_a_matrix_of_weights():
    with pytest.raises(ValueError,
                       match=r'w.ndim must be one of \[1\], got 2'):
        d2l.SyntheticRegressionData(w=torch.ones(2, 1), b=0.0)


def test_sizes_of_any_integer_type():
    import numpy as np
    data = d2l.SyntheticRegressionData(w=[1.0], b=0, num_train=np.int64(10),
                                       num_val=torch.tensor(5),
                                       batch_size=np.int32(4))
    assert data.X.shape == (15, 1) and len(data.train_dataloader()) == 3
    assert type(data.num_train) is int


def test_rejects_bad_sizes():
    with pytest.raises(TypeError, match='num_train must be an integer, got '
                                        'float'):
        d2l.SyntheticRegressionData(w=[1.0], b=0, num_train=10.0)
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        d2l.SyntheticRegressionData(w=[1.0], b=0, batch_size=0)


def test_get_tensorloader_takes_numpy_arrays():
    import numpy as np
    module = d2l.DataModule()
    module.batch_size = 2
    X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    batches = list(module.get_tensorloader((X, y), False, slice(1, 4)))
    assert [tuple(b[0].shape) for b in batches] == [(2, 2), (1, 2)]
    assert torch.equal(batches[0][1], torch.tensor([1, 2]))


def test_get_tensorloader_reports_an_int_batch_size():
    import numpy as np
    module = d2l.DataModule()
    module.batch_size = np.int64(4)           # as a subclass might store it
    loader = module.get_tensorloader((torch.zeros(10, 1),), True)
    assert loader.batch_size == 4 and type(loader.batch_size) is int
    assert [len(b[0]) for b in loader] == [4, 4, 2]


def test_get_tensorloader_fetches_each_minibatch_in_one_indexing(data):
    # the dataset is asked for whole minibatches, never for single rows
    loader = data.val_dataloader()
    calls = []
    fetch = loader.dataset.__getitems__

    def spy(indices):
        calls.append(len(indices))
        return fetch(indices)
    loader.dataset.__getitems__ = spy
    batches = list(loader)
    assert calls == [32] * 31 + [8]
    assert isinstance(batches[0], tuple) and len(batches[0]) == 2
    assert torch.equal(torch.cat([X for X, _ in batches]), data.X[1000:])


def test_get_tensorloader_rejects_a_zero_batch_size():
    module = d2l.DataModule()
    module.batch_size = 0
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        module.get_tensorloader((torch.zeros(3),), True)
