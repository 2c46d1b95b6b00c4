"""Chapter 4 code written the way the published d2l book writes it.

Each test is a reader's cell as it would be typed with the published
package in mind (``from d2l import torch as d2l``, 1.0.3): numpy integers
for sizes, torchvision's dataset attributes, ``keepdims``, plain tensors
with ``requires_grad`` as parameters, ``add_to_class`` on our classes,
``board.data[...][-1].y``. The code runs unchanged against our package;
only the asserts (and the quick-mode caps that keep the tests short) are
ours.
"""
import time

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from d2l import torch as d2l

matplotlib.use('Agg')


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close('all')


# --- 4.2: the image classification dataset -----------------------------------

def test_fashion_mnist_with_numpy_batch_size_full_splits(mirror, full):
    data = d2l.FashionMNIST(batch_size=np.int64(64), resize=(28, 28))
    assert (len(data.train), len(data.val)) == (60000, 10000)
    assert data.train[0][0].shape == torch.Size([1, 28, 28])
    X, y = next(iter(data.train_dataloader()))
    assert (X.shape, X.dtype) == ((64, 1, 28, 28), torch.float32)
    assert (y.shape, y.dtype) == ((64,), torch.int64)


def test_torchvision_attributes(mirror, quick):
    data = d2l.FashionMNIST(resize=(32, 32))
    images, labels = data.train.data, data.train.targets
    # as torchvision's: the raw 28 x 28 bytes, whatever `resize` says
    assert images.shape[1:] == (28, 28) and images.dtype == torch.uint8
    assert data.train.images.shape[1:] == (32, 32)
    assert labels.shape == (len(data.train),)
    assert data.train.classes[0] == 'T-shirt/top'
    names = [data.val.classes[i].split('/')[0].lower()
             for i in data.val.targets[:4]]
    assert names == data.text_labels(data.val.targets[:4])


def test_book_cells_of_section_4_2(mirror, quick):
    data = d2l.FashionMNIST(resize=(32, 32))
    print(len(data.train), len(data.val))
    print(data.train[0][0].shape)
    X, y = next(iter(data.train_dataloader()))
    print(X.shape, X.dtype, y.shape, y.dtype)
    tic = time.time()
    for X, y in data.train_dataloader():
        continue
    print(f'{time.time() - tic:.2f} sec')
    batch = next(iter(data.val_dataloader()))
    data.visualize(batch)
    assert X.shape[1:] == (1, 32, 32)
    assert len(d2l.plt.gcf().axes) == 8


def test_per_item_get_dataloader_with_default_collate(mirror, quick):
    # the published get_dataloader: one example at a time, default collate
    class PerItem(d2l.FashionMNIST):
        pass

    @d2l.add_to_class(PerItem)
    def get_dataloader(self, train):
        split = self.train if train else self.val
        return torch.utils.data.DataLoader(
            split, batch_size=self.batch_size, shuffle=train,
            num_workers=self.num_workers)

    fmnist = PerItem(batch_size=np.int64(32))
    X, y = next(iter(fmnist.val_dataloader()))
    assert X.shape == (32, 1, 28, 28) and y.dtype == torch.int64
    assert torch.equal(y, fmnist.val.targets[:32])


def test_text_labels_and_show_images_with_numpy_grid(mirror, quick):
    data = d2l.FashionMNIST()
    X, y = next(iter(data.val_dataloader()))
    labels = data.text_labels(y)
    assert len(labels) == 64 and set(labels) <= set(d2l.fashion.CLASSES)
    axes = d2l.show_images(X.squeeze(1), np.int64(2), np.int64(9),
                           titles=labels)
    assert len(axes) == 18 and axes[0].get_title() == labels[0]


def test_workers_set_by_the_reader(mirror, quick):
    data = d2l.FashionMNIST(batch_size=256)
    data.num_workers = 2
    sizes = [len(y) for _, y in data.val_dataloader()]
    assert sum(sizes) == len(data.val)


# --- 4.3: the base classification model --------------------------------------

def test_accuracy_and_default_optimizer():
    model = d2l.Classifier()
    Y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = torch.tensor([0, 2])
    assert float(model.accuracy(Y_hat, y)) == 0.5
    assert model.accuracy(Y_hat, y, averaged=False).tolist() == [0.0, 1.0]
    model.lr = 0.1
    model.net = nn.LazyLinear(3)
    model(torch.zeros(1, 4))
    assert isinstance(model.configure_optimizers(), torch.optim.SGD)


# --- 4.4: softmax regression from scratch ------------------------------------
# The published style: plain tensors with requires_grad listed by an
# overridden parameters(), a forward pass that returns probabilities, and a
# loss that takes their log, picking entries with list(range(...)).

def prob_softmax(scores):
    e = torch.exp(scores)
    return e / e.sum(1, keepdims=True)


class TensorSoftmax(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W = torch.randn(num_inputs, num_outputs).mul(sigma)
        self.W.requires_grad_()
        self.b = torch.zeros(num_outputs).requires_grad_()

    def parameters(self):
        return [self.W, self.b]


@d2l.add_to_class(TensorSoftmax)
def forward(self, X):
    flat = X.reshape((-1, self.W.shape[0]))
    return prob_softmax(torch.matmul(flat, self.W) + self.b)


def nll(probs, labels):
    picked = probs[list(range(len(probs))), labels]
    return -torch.log(picked).mean()


@d2l.add_to_class(TensorSoftmax)
def loss(self, y_hat, y):
    return nll(y_hat, y)


def test_book_cells_of_section_4_4():
    M = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert M.sum(0, keepdims=True).tolist() == [[5.0, 7.0, 9.0]]
    assert M.sum(1, keepdims=True).tolist() == [[6.0], [15.0]]
    P = prob_softmax(torch.rand((2, 5)))
    assert torch.allclose(P.sum(1), torch.ones(2))
    probs = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    labels = torch.tensor([0, 2])
    assert probs[[0, 1], labels].tolist() == pytest.approx([0.1, 0.5])
    assert float(nll(probs, labels)) == pytest.approx(1.4979, abs=1e-4)


def test_scratch_training_and_mistakes(mirror, quick):
    torch.manual_seed(0)
    trainer = d2l.Trainer(max_epochs=10)
    fmnist = d2l.FashionMNIST(batch_size=256)
    net = TensorSoftmax(num_inputs=784, num_outputs=10, lr=0.1)
    trainer.fit(net, fmnist)
    assert net.board.data['val_acc'][-1].y > 0.5
    X, y = next(iter(fmnist.val_dataloader()))
    guess = net(X).argmax(axis=1)
    assert guess.shape == torch.Size([256])
    miss = guess.type(y.dtype) != y
    titles = [truth + '\n' + pred for truth, pred in zip(
        fmnist.text_labels(y[miss]), fmnist.text_labels(guess[miss]))]
    fmnist.visualize([X[miss], y[miss]], labels=titles)
    assert d2l.plt.gcf().axes[0].get_title() == titles[0]


# --- 4.5: concise softmax regression -----------------------------------------

class FlatLinear(d2l.Classifier):
    """Softmax regression written the published way (no argument checks)."""
    def __init__(self, num_outputs, lr):
        super().__init__()
        self.save_hyperparameters()
        flatten, linear = nn.Flatten(), nn.LazyLinear(num_outputs)
        self.net = nn.Sequential(flatten, linear)

    def forward(self, X):
        return self.net(X)


def test_published_loss_cell_matches_ours():
    def published_loss(self, Y_hat, Y, averaged=True):
        scores = Y_hat.reshape((-1, Y_hat.shape[-1]))
        labels = Y.reshape((-1,))
        mode = 'mean' if averaged else 'none'
        return F.cross_entropy(scores, labels, reduction=mode)
    Y_hat, Y = torch.randn(8, 10), torch.randint(0, 10, (8,))
    model = d2l.Classifier()
    assert torch.allclose(published_loss(model, Y_hat, Y),
                          model.loss(Y_hat, Y))
    assert torch.allclose(published_loss(model, Y_hat, Y, averaged=False),
                          model.loss(Y_hat, Y, averaged=False))


def test_concise_training_published_class_and_ours(mirror, quick):
    fmnist = d2l.FashionMNIST(batch_size=256)
    for Model in (FlatLinear, d2l.SoftmaxRegression):
        torch.manual_seed(0)
        model = Model(num_outputs=np.int64(10), lr=0.1)
        d2l.Trainer(max_epochs=10).fit(model, fmnist)
        assert model.board.data['val_acc'][-1].y > 0.5
        assert 0.5 < model.val_accuracy(fmnist) <= 1.0
