"""Tests of Section 4.3: Classifier, accuracy, default optimizer."""
import pytest
import torch
from torch import nn

from d2l import torch as d2l


def test_accuracy_value_on_hand_checked_scores():
    Y_hat = torch.tensor([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1], [0.3, 0.4, 0.3]])
    Y = torch.tensor([2, 0, 0])
    model = d2l.Classifier()
    assert model.accuracy(Y_hat, Y).item() == pytest.approx(2 / 3)
    assert model.accuracy(Y_hat, Y, averaged=False).tolist() == [1, 1, 0]


def test_accuracy_flattens_leading_axes():
    Y_hat = torch.randn(2, 5, 4)                   # (B, T, q)
    Y = Y_hat.argmax(-1)                           # (B, T), all correct
    correct = d2l.Classifier().accuracy(Y_hat, Y, averaged=False)
    assert correct.shape == (10,) and correct.dtype == torch.float32
    assert correct.sum().item() == 10


def test_accuracy_compares_across_label_dtypes():
    # 300 classes: a cast of the argmax to uint8 would turn 300 into 44
    Y_hat = torch.zeros(2, 301)
    Y_hat[0, 300] = Y_hat[1, 44] = 1.0
    model = d2l.Classifier()
    labels = torch.tensor([300, 44])
    for Y in (labels, labels.int(), labels.float()):
        assert model.accuracy(Y_hat, Y).item() == 1.0
    small = torch.tensor([44, 44], dtype=torch.uint8)   # 300 is not 44
    assert model.accuracy(Y_hat, small, averaged=False).tolist() == [0, 1]
    flags = torch.tensor([True, False])                 # binary bool labels
    assert model.accuracy(torch.tensor([[0., 1.], [1., 0.]]), flags) == 1.0


def test_accuracy_rejects_mismatched_labels():
    with pytest.raises(ValueError, match='4 rows but 3 labels'):
        d2l.Classifier().accuracy(torch.zeros(4, 2), torch.zeros(3))


def test_default_optimizer_is_sgd_with_lr():
    class Tiny(d2l.Module):
        def __init__(self, lr=0.5):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Linear(2, 1)
    optim = Tiny().configure_optimizers()
    assert isinstance(optim, torch.optim.SGD)
    assert optim.param_groups[0]['lr'] == 0.5
    assert len(optim.param_groups[0]['params']) == 2   # weight and bias


def test_default_optimizer_needs_lr():
    with pytest.raises(AttributeError, match='has no lr'):
        d2l.Classifier().configure_optimizers()


class _Fixed(d2l.Classifier):
    """Scores that put class 0 first: accuracy = share of label 0."""
    def forward(self, X):
        return torch.stack([X[:, 0], torch.zeros_like(X[:, 0])], 1)

    def loss(self, Y_hat, Y):
        return torch.tensor(1.0)


def test_validation_step_records_loss_and_accuracy():
    class Trainer:                                 # just what plot reads
        epoch, num_val_batches = 0, 2
    model = _Fixed()
    model.board.display = False
    model.trainer = Trainer()
    X = torch.ones(4, 1)
    model.validation_step((X, torch.tensor([0, 0, 1, 1])))
    model.validation_step((X, torch.tensor([0, 0, 0, 1])))
    assert model.board.data['val_acc'] == [(1.0, pytest.approx(0.625))]
    assert model.board.data['val_loss'] == [(1.0, 1.0)]


class _Batches(d2l.DataModule):
    """A data module whose validation loader is a fixed list of batches."""
    def __init__(self, batches):
        super().__init__()
        self.batches = batches

    def get_dataloader(self, train):
        return self.batches


def _identity_classifier():
    model = d2l.Classifier()
    model.net = nn.Identity()                      # output = the scores
    return model


def test_val_accuracy_counts_examples_not_minibatches():
    Y_hat = torch.tensor([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1], [0.3, 0.4, 0.3]])
    Y = torch.tensor([2, 0, 0])
    data = _Batches([(Y_hat[:2], Y[:2]), (Y_hat[2:], Y[2:])])
    acc = _identity_classifier().val_accuracy(data)
    assert isinstance(acc, float) and acc == pytest.approx(2 / 3)


def test_val_accuracy_over_leading_axes_and_restores_mode():
    Y_hat = torch.randn(4, 3, 5)                   # (B, T, q)
    Y = Y_hat.argmax(-1)                           # all 12 correct
    model = _identity_classifier()
    model.train()
    assert model.val_accuracy(_Batches([(Y_hat, Y)])) == 1.0
    assert model.training                          # mode restored
    model.eval()
    model.val_accuracy(_Batches([(Y_hat, Y)]))
    assert not model.training


def test_val_accuracy_tracks_no_gradients():
    class Probe(d2l.Classifier):
        def forward(self, X):
            self.grad_enabled = torch.is_grad_enabled()
            return X
    model = Probe()
    model.val_accuracy(_Batches([(torch.eye(2), torch.tensor([0, 1]))]))
    assert model.grad_enabled is False


def test_val_accuracy_uses_the_trainers_prepare_batch():
    seen = []

    class Trainer:
        def prepare_batch(self, batch):
            seen.append(len(batch[-1]))
            return batch
    model = _identity_classifier()
    model.trainer = Trainer()
    model.val_accuracy(_Batches([(torch.eye(3), torch.arange(3))]))
    assert seen == [3]


def test_val_accuracy_rejects_an_empty_validation_set():
    with pytest.raises(ValueError, match='validation set of data is empty'):
        _identity_classifier().val_accuracy(_Batches([]))
