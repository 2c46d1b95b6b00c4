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
    assert images.shape[1:] == (32, 32) and images.dtype == torch.uint8
    assert labels.shape == (len(data.train),)
    assert len(data.train.classes) == 10
    names = [data.val.classes[i] for i in data.val.targets[:4]]
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


def test_published_get_dataloader_with_default_collate(mirror, quick):
    class Shuffled(d2l.FashionMNIST):
        pass

    @d2l.add_to_class(Shuffled)
    def get_dataloader(self, train):
        data = self.train if train else self.val
        return torch.utils.data.DataLoader(data, self.batch_size,
                                           shuffle=train,
                                           num_workers=self.num_workers)

    data = Shuffled(batch_size=np.int64(32))
    X, y = next(iter(data.val_dataloader()))
    assert X.shape == (32, 1, 28, 28) and y.dtype == torch.int64
    assert torch.equal(y, data.val.targets[:32])


def test_text_labels_and_show_images_with_numpy_grid(mirror, quick):
    data = d2l.FashionMNIST()
    X, y = next(iter(data.val_dataloader()))
    labels = data.text_labels(y)
    assert len(labels) == 64 and set(labels) <= set(data.train.classes)
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

def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdims=True)
    return X_exp / partition  # The broadcasting mechanism is applied here


class SoftmaxRegressionScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W = torch.normal(0, sigma, size=(num_inputs, num_outputs),
                              requires_grad=True)
        self.b = torch.zeros(num_outputs, requires_grad=True)

    def parameters(self):
        return [self.W, self.b]


@d2l.add_to_class(SoftmaxRegressionScratch)
def forward(self, X):
    X = X.reshape((-1, self.W.shape[0]))
    return softmax(torch.matmul(X, self.W) + self.b)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[list(range(len(y_hat))), y]).mean()


@d2l.add_to_class(SoftmaxRegressionScratch)
def loss(self, y_hat, y):
    return cross_entropy(y_hat, y)


def test_book_cells_of_section_4_4(mirror, quick):
    X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert X.sum(0, keepdims=True).tolist() == [[5.0, 7.0, 9.0]]
    X = torch.rand((2, 5))
    X_prob = softmax(X)
    assert torch.allclose(X_prob.sum(1), torch.ones(2))
    y = torch.tensor([0, 2])
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    assert y_hat[[0, 1], y].tolist() == pytest.approx([0.1, 0.5])
    assert float(cross_entropy(y_hat, y)) == pytest.approx(1.4979, abs=1e-4)


def test_scratch_training_and_prediction(mirror, quick):
    torch.manual_seed(0)
    data = d2l.FashionMNIST(batch_size=256)
    model = SoftmaxRegressionScratch(num_inputs=784, num_outputs=10, lr=0.1)
    trainer = d2l.Trainer(max_epochs=10)
    trainer.fit(model, data)
    assert model.board.data['val_acc'][-1].y > 0.5
    X, y = next(iter(data.val_dataloader()))
    preds = model(X).argmax(axis=1)
    assert preds.shape == torch.Size([256])
    wrong = preds.type(y.dtype) != y
    X, y, preds = X[wrong], y[wrong], preds[wrong]
    labels = [a + '\n' + b for a, b in zip(
        data.text_labels(y), data.text_labels(preds))]
    data.visualize([X, y], labels=labels)
    assert d2l.plt.gcf().axes[0].get_title() == labels[0]


# --- 4.5: concise softmax regression -----------------------------------------

class SoftmaxRegression(d2l.Classifier):
    """The softmax regression model, as the published book defines it."""
    def __init__(self, num_outputs, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(),
                                 nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)


def test_published_loss_cell_matches_ours():
    def loss(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(
            Y_hat, Y, reduction='mean' if averaged else 'none')
    Y_hat, Y = torch.randn(8, 10), torch.randint(0, 10, (8,))
    model = d2l.Classifier()
    assert torch.allclose(loss(model, Y_hat, Y), model.loss(Y_hat, Y))
    assert torch.allclose(loss(model, Y_hat, Y, averaged=False),
                          model.loss(Y_hat, Y, averaged=False))


def test_concise_training_published_class_and_ours(mirror, quick):
    data = d2l.FashionMNIST(batch_size=256)
    for Model in (SoftmaxRegression, d2l.SoftmaxRegression):
        torch.manual_seed(0)
        model = Model(num_outputs=np.int64(10), lr=0.1)
        trainer = d2l.Trainer(max_epochs=10)
        trainer.fit(model, data)
        assert model.board.data['val_acc'][-1].y > 0.5
        assert 0.5 < model.val_accuracy(data) <= 1.0
