"""Chapter 5 code written the way the published d2l book writes it.

Each test is a reader's cell as it would be typed with the published
package in mind (``from d2l import torch as d2l``, 1.0.3): numpy integers
for sizes, ``print`` of results, ``board.data[...][-1].y``, subclasses of
``d2l.Classifier`` and ``d2l.DataModule`` with their own ``__init__``. The
code runs unchanged against our package; only the asserts are ours.
"""
import matplotlib
import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from d2l import torch as d2l

matplotlib.use('Agg')


class ToyImages(d2l.DataModule):
    """64 random 4x4 'images' in 2 classes, split 48 / 16."""
    def __init__(self, batch_size=16):
        super().__init__()
        self.save_hyperparameters()
        gen = torch.Generator().manual_seed(0)
        self.X = torch.randn(64, 1, 4, 4, generator=gen)
        self.y = (self.X.sum(dim=(1, 2, 3)) > 0).long()

    def get_dataloader(self, train):
        i = slice(0, 48) if train else slice(48, None)
        return self.get_tensorloader((self.X, self.y), train, i)


# --- 5.1: activation plots with autograd ---------------------------------

def test_activation_cells_in_published_style():
    x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
    y = torch.relu(x)
    d2l.plot(x.detach(), y.detach(), 'x', 'relu(x)', figsize=(5, 2.5))
    y.backward(torch.ones_like(x), retain_graph=True)
    d2l.plot(x.detach(), x.grad, 'x', 'grad of relu', figsize=(5, 2.5))
    assert x.grad[:80].sum() == 0 and x.grad[81:].min() == 1
    y = torch.sigmoid(x)
    x.grad.data.zero_()
    y.backward(torch.ones_like(x), retain_graph=True)
    d2l.plot(x.detach(), x.grad, 'x', 'grad of sigmoid', figsize=(5, 2.5))
    assert x.grad.max().item() == pytest.approx(0.25)
    # 5.4 draws a function and its gradient as numpy arrays on one axes
    d2l.plot(x.detach().numpy(), [y.detach().numpy(), x.grad.numpy()],
             legend=['sigmoid', 'gradient'], figsize=(4.5, 2.5))
    d2l.plt.close('all')


# --- 5.2: MLP from scratch and concise, numpy sizes -----------------------

class ReaderMLPScratch(d2l.Classifier):
    """A reader's from-scratch MLP: randn * sigma weights, 1-d biases."""
    def __init__(self, num_inputs, num_outputs, num_hiddens, lr,
                 sigma=0.01):
        """Sizes arrive as numpy integers, straight from a config."""
        super().__init__()
        self.save_hyperparameters()
        for name, rows, cols in (('W1', num_inputs, num_hiddens),
                                 ('W2', num_hiddens, num_outputs)):
            weight = torch.randn(rows, cols) * sigma
            setattr(self, name, nn.Parameter(weight))
        self.b1 = nn.Parameter(torch.zeros(num_hiddens))
        self.b2 = nn.Parameter(torch.zeros(num_outputs))


def reader_relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


@d2l.add_to_class(ReaderMLPScratch)
def forward(self, X):
    X = X.reshape((-1, self.num_inputs))
    H = reader_relu(torch.matmul(X, self.W1) + self.b1)
    return torch.matmul(H, self.W2) + self.b2


def test_reader_mlp_scratch_with_numpy_sizes_trains():
    torch.manual_seed(0)
    model = ReaderMLPScratch(num_inputs=np.int64(16), num_outputs=np.int64(2),
                             num_hiddens=np.int64(8), lr=0.1)
    trainer = d2l.Trainer(max_epochs=np.int64(2))
    trainer.fit(model, ToyImages(batch_size=16))
    assert isinstance(model.board.data['val_acc'][-1].y, float)
    assert 1 < model.board.data['train_loss'][-1].x <= 2


def test_saved_mlp_scratch_and_relu_with_numpy_and_torch_sizes():
    torch.manual_seed(0)
    model = d2l.MLPScratch(num_inputs=np.int64(16), num_outputs=torch.tensor(2),
                           num_hiddens=np.int32(8), lr=0.1)
    X = torch.randn(5, 1, 4, 4)
    assert model(X).shape == (5, 2)
    assert torch.equal(d2l.relu(X), reader_relu(X))
    d2l.Trainer(max_epochs=1).fit(model, ToyImages())
    assert len(model.board.data['val_loss']) == 1


def test_concise_mlp_subclass_in_published_style():
    class ReaderMLP(d2l.Classifier):
        def __init__(self, num_outputs, num_hiddens, lr):
            """No forward: d2l.Module.forward calls self.net."""
            super().__init__()
            self.save_hyperparameters()
            layers = [nn.Flatten(), nn.LazyLinear(num_hiddens)]
            layers += [nn.ReLU(), nn.LazyLinear(num_outputs)]
            self.net = nn.Sequential(*layers)

    torch.manual_seed(0)
    model = ReaderMLP(num_outputs=np.int64(2), num_hiddens=np.int64(8),
                      lr=0.1)
    trainer = d2l.Trainer(max_epochs=2)
    trainer.fit(model, ToyImages())
    Y_hat = model(ToyImages().X[:4])
    assert Y_hat.shape == (4, 2)
    assert model.accuracy(Y_hat, ToyImages().y[:4]).item() in (
        0.0, 0.25, 0.5, 0.75, 1.0)


def test_mlp_scratch_on_fashion_mnist_with_numpy_sizes(quick, mirror):
    torch.manual_seed(0)
    model = d2l.MLPScratch(num_inputs=np.int64(784), num_outputs=np.int64(10),
                           num_hiddens=np.int64(256), lr=0.1)
    data = d2l.FashionMNIST(batch_size=np.int64(256))
    trainer = d2l.Trainer(max_epochs=np.int64(10))
    trainer.fit(model, data)
    assert model.board.data['val_acc'][-1].y > 0.3


# --- 5.6: dropout ----------------------------------------------------------

def test_dropout_layer_cells_in_published_style(capsys):
    X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
    print('dropout_p = 0:', d2l.dropout_layer(X, 0))
    print('dropout_p = 0.5:', d2l.dropout_layer(X, 0.5))
    print('dropout_p = 1:', d2l.dropout_layer(X, 1))
    printed = capsys.readouterr().out
    assert printed.count('tensor(') == 3
    assert torch.equal(d2l.dropout_layer(X, 0.), X)
    assert torch.equal(d2l.dropout_layer(X, 1.), torch.zeros(2, 8))


def test_dropout_layer_on_an_integer_tensor_gives_floats():
    X = torch.arange(16).reshape((2, 8))          # dtype forgotten: int64
    print('dropout_p = 0.5:', d2l.dropout_layer(X, 0.5))
    assert d2l.dropout_layer(X, 0.5).dtype == torch.float32
    assert torch.equal(d2l.dropout_layer(X, 0), X.float())


class ReaderDropoutMLPScratch(d2l.Classifier):
    def __init__(self, num_outputs, num_hiddens_1, num_hiddens_2,
                 dropout_1, dropout_2, lr):
        """Lazy layers, with d2l.dropout_layer applied in forward."""
        super().__init__()
        self.save_hyperparameters()
        self.act = nn.ReLU()
        self.first = nn.LazyLinear(num_hiddens_1)
        self.second = nn.LazyLinear(num_hiddens_2)
        self.out = nn.LazyLinear(num_outputs)

    def forward(self, X):
        H = self.act(self.first(X.reshape((X.shape[0], -1))))
        H = d2l.dropout_layer(H, self.dropout_1) if self.training else H
        H = self.act(self.second(H))
        H = d2l.dropout_layer(H, self.dropout_2) if self.training else H
        return self.out(H)


def test_dropout_mlp_scratch_trains_and_is_deterministic_in_eval():
    hparams = {'num_outputs': np.int64(2), 'num_hiddens_1': 16,
               'num_hiddens_2': 16, 'dropout_1': 0.5, 'dropout_2': 0.5,
               'lr': 0.1}
    torch.manual_seed(0)
    model = ReaderDropoutMLPScratch(**hparams)
    data = ToyImages()
    trainer = d2l.Trainer(max_epochs=2)
    trainer.fit(model, data)
    model.eval()
    X = data.X[:8]
    assert torch.equal(model(X), model(X))        # no dropout in eval mode
    model.train()
    assert not torch.equal(model(X), model(X))    # dropout while training


def test_dropout_mlp_concise_in_published_style():
    class ReaderDropoutMLP(d2l.Classifier):
        def __init__(self, num_outputs, num_hiddens_1, num_hiddens_2,
                     dropout_1, dropout_2, lr):
            """nn.Dropout layers, switched by train() and eval()."""
            super().__init__()
            self.save_hyperparameters()
            blocks = []
            for width, p in ((num_hiddens_1, dropout_1),
                             (num_hiddens_2, dropout_2)):
                blocks += [nn.LazyLinear(width), nn.ReLU(), nn.Dropout(p)]
            self.net = nn.Sequential(nn.Flatten(), *blocks,
                                     nn.LazyLinear(num_outputs))

    torch.manual_seed(0)
    model = ReaderDropoutMLP(2, 16, 16, 0.5, 0.5, 0.1)
    d2l.Trainer(max_epochs=1).fit(model, ToyImages())
    assert not model.training                       # left in eval mode
    assert model.board.data['val_loss'][-1].x == 1


# --- 5.7: Kaggle house prices ----------------------------------------------

def test_kaggle_house_and_k_fold_loop_in_published_style(mirror, capsys):
    data = d2l.KaggleHouse(batch_size=np.int64(64))
    print(data.raw_train.shape)
    print(data.raw_val.shape)
    data.preprocess()
    assert data.train.shape == (1460, 331)

    def k_fold(trainer, data, k, lr):
        models, losses = [], []
        for fold_index, fold in enumerate(d2l.k_fold_data(data, k)):
            net = d2l.LinearRegression(lr)
            net.board.yscale = 'log'
            net.board.display = fold_index == 0
            trainer.fit(net, fold)
            last = net.board.data['val_loss'][-1]
            losses.append(float(last.y))
            models.append(net)
        print(f'average validation log mse = {np.mean(losses)}')
        return models

    torch.manual_seed(0)
    trainer = d2l.Trainer(max_epochs=np.int64(2))
    models = k_fold(trainer, data, k=np.int64(3), lr=0.01)
    printed = capsys.readouterr().out
    assert '(1460, 81)' in printed and '(1459, 80)' in printed
    mse = float(printed.split('average validation log mse = ')[1].split()[0])
    assert 0 < mse < 10

    preds = [model(torch.tensor(data.val.values.astype(float),
                                dtype=torch.float32)) for model in models]
    ensemble_preds = torch.exp(torch.cat(preds, 1)).mean(1)
    submission = pd.DataFrame({'Id': data.raw_val.Id,
                               'SalePrice': ensemble_preds.detach().numpy()})
    assert submission.shape == (1459, 2)
    assert submission['SalePrice'].median() > 10_000


def test_reader_kaggle_house_subclass_with_download_and_data_url(mirror):
    files = {'raw_train': ('kaggle_house_pred_train.csv',
                           '585e9cc93e70b39160e7921475f9bcd7d31219ce'),
             'raw_val': ('kaggle_house_pred_test.csv',
                         'fa19780a7b011d9b009e8bff8e99922a8ee2eb90')}

    class ReaderKaggleHouse(d2l.DataModule):
        def __init__(self, batch_size, train=None, val=None):
            """Reads both CSVs unless frames are given (self.train set)."""
            super().__init__()
            self.save_hyperparameters()
            if self.train is not None:
                return
            for attr, (name, digest) in files.items():
                path = d2l.download(d2l.DATA_URL + name, self.root,
                                    sha1_hash=digest)
                setattr(self, attr, pd.read_csv(path))

        def get_dataloader(self, train):
            label = 'SalePrice'
            frame = self.train if train else self.val
            if label not in frame:
                return
            as_tensor = lambda x: torch.tensor(x.values.astype(float),
                                               dtype=torch.float32)
            tensors = (as_tensor(frame.drop(columns=[label])),
                       torch.log(as_tensor(frame[label])).reshape((-1, 1)))
            return self.get_tensorloader(tensors, train)

    data = ReaderKaggleHouse(batch_size=64)
    assert data.raw_train.shape == (1460, 81)
    numeric = data.raw_train[['LotArea', 'YearBuilt', 'SalePrice']]
    fold = ReaderKaggleHouse(64, numeric.iloc[:1000], numeric.iloc[1000:])
    X, y = next(iter(fold.train_dataloader()))
    assert X.shape == (64, 2) and y.shape == (64, 1)


def test_k_fold_data_folds_behave_like_published_ones():
    frame = pd.DataFrame({'f': np.arange(20.0),
                          'SalePrice': np.arange(1, 21) * 1000.0})
    data = d2l.KaggleHouse(np.int64(4), frame, frame.iloc[:0])
    folds = d2l.k_fold_data(data, np.int64(4))
    assert [len(f.train) for f in folds] == [15] * 4
    assert [f.val.index.tolist() for f in folds][1] == [5, 6, 7, 8, 9]
    assert all(isinstance(f, d2l.DataModule) for f in folds)
