"""Tests of the training framework saved in Section 3.2 (oo-design)."""
import pytest
import torch
from torch import nn

from d2l import torch as d2l


class Tiny(d2l.Module):
    """A one-weight model y = w x trained with SGD."""
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Linear(1, 1, bias=False)
        self.board.display = False

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2).mean()

    def configure_optimizers(self):
        # the book's SGD: torch.optim's first use imports torch._dynamo (s)
        return d2l.SGD(self.parameters(), lr=self.lr)


class Pairs(d2l.DataModule):
    """y = 3x on 8 training and 4 validation examples, batches of 2."""
    def __init__(self):
        super().__init__()
        self.batch_size = 2
        x = torch.arange(12.).reshape(-1, 1) / 12
        self.X, self.y = x, 3 * x

    def get_dataloader(self, train):
        i = slice(0, 8) if train else slice(8, None)
        return self.get_tensorloader((self.X, self.y), train, i)


def test_add_to_class_reaches_existing_instances():
    class C:
        pass
    c = C()

    @d2l.add_to_class(C)
    def answer(self):
        return 42
    assert c.answer() == 42 and answer(c) == 42


def test_add_to_class_rejects_an_instance():
    with pytest.raises(TypeError, match='expects a class, got an object'):
        d2l.add_to_class(object())


def test_save_hyperparameters_values_and_ignore():
    class B(d2l.HyperParameters):
        def __init__(self, a, b, c=3, _hidden=0, **extra):
            local = 'not an argument'
            self.save_hyperparameters(ignore=['c'])
            self.local_seen = local
    obj = B(1, 2, z=9)
    assert obj.hparams == {'a': 1, 'b': 2, 'z': 9}
    assert (obj.a, obj.b, obj.z) == (1, 2, 9)
    assert not hasattr(obj, 'c') and not hasattr(obj, 'local')
    assert obj.local_seen == 'not an argument'


def test_save_hyperparameters_keeps_the_default_list_empty():
    class B(d2l.HyperParameters):
        def __init__(self, a):
            self.save_hyperparameters()
    B(1)
    assert d2l.HyperParameters.save_hyperparameters.__defaults__ == ([],)


def test_save_hyperparameters_merges_parent_and_child():
    model = Tiny(lr=0.5)
    assert model.hparams == {'plot_train_per_epoch': 2,
                             'plot_valid_per_epoch': 1, 'lr': 0.5}


def test_save_hyperparameters_rejects_a_string_ignore():
    class B(d2l.HyperParameters):
        def __init__(self, a):
            self.save_hyperparameters(ignore='a')
    with pytest.raises(TypeError, match='ignore must be a list'):
        B(1)


def test_board_averages_every_n_points():
    board = d2l.ProgressBoard(display=False)
    for x in range(1, 7):
        board.draw(x, torch.tensor(float(10 * x)), 'y', every_n=3)
    board.draw(7, 70, 'y', every_n=3)          # buffered, not yet recorded
    assert board.data == {'y': [(2.0, 20.0), (5.0, 50.0)]}


def test_board_shapes_one_list_per_label():
    board = d2l.ProgressBoard(display=False)
    for x in range(10):
        board.draw(x, x, 'a', every_n=2)
        board.draw(x, -x, 'b', every_n=5)
    assert {k: len(v) for k, v in board.data.items()} == {'a': 5, 'b': 2}


def test_board_rejects_a_zero_window():
    with pytest.raises(ValueError, match='every_n must be an integer >= 1'):
        d2l.ProgressBoard(display=False).draw(0, 0, 'y', every_n=0)


def test_board_records_named_points():
    board = d2l.ProgressBoard(display=False)
    board.draw(1, torch.tensor(4.0), 'val_loss')
    point = board.data['val_loss'][-1]
    assert isinstance(point, d2l.Point) and point == (1.0, 4.0)
    assert (point.x, point.y) == (1.0, 4.0)
    assert type(point.y) is float


def test_board_prints_one_progress_line_in_a_terminal(capsys):
    board = d2l.ProgressBoard(xlabel='epoch', xlim=[0, 3])
    for x in range(4):
        board.draw(x, 0.5, 'loss')   # shown: first point, then x at xlim end
    board.flush()
    out = capsys.readouterr().out
    assert out == '\repoch 0/3  loss 0.5\repoch 3/3  loss 0.5\n'


def test_board_shows_the_first_point_without_flush(capsys):
    board = d2l.ProgressBoard(xlabel='x')
    board.draw(0.0, 1.0, 'sin')
    assert capsys.readouterr().out == '\rx 0  sin 1'
    board.draw(0.1, 2.0, 'sin')      # within 0.5 s: waits for a flush
    assert capsys.readouterr().out == ''
    d2l.liveplot.flush_all()         # what the end of a cell triggers
    assert capsys.readouterr().out == '\rx 0.1  sin 2\n'


def test_board_is_silent_when_display_is_off(capsys):
    board = d2l.ProgressBoard(display=False)
    board.draw(0, 1, 'loss')
    board.flush()
    assert capsys.readouterr().out == ''


def test_module_abstract_methods_raise():
    model = d2l.Module()
    with pytest.raises(NotImplementedError, match='needs self.net'):
        model(torch.zeros(1))
    with pytest.raises(NotImplementedError):
        model.loss(None, None)
    # (configure_optimizers gets a default SGD in Section 4.3)


def test_module_rejects_zero_points_per_epoch():
    with pytest.raises(ValueError, match='plot_train_per_epoch must be an '
                                         'integer >= 1, got 0'):
        d2l.Module(plot_train_per_epoch=0)
    import numpy as np
    assert d2l.Module(plot_valid_per_epoch=np.int32(2)).plot_valid_per_epoch \
        == 2


def test_module_plot_needs_a_trainer():
    with pytest.raises(RuntimeError, match='plot needs self.trainer'):
        Tiny().plot('loss', torch.tensor(1.0), train=True)


def test_datamodule_loaders_are_abstract():
    with pytest.raises(NotImplementedError):
        d2l.DataModule().train_dataloader()


def test_trainer_rejects_bad_epochs():
    # (the CPU-only check of num_gpus is replaced in Section 6.7)
    with pytest.raises(ValueError, match='max_epochs must be an integer >= 1'):
        d2l.Trainer(max_epochs=0)
    with pytest.raises(TypeError, match='max_epochs must be an integer, got '
                                        'float'):
        d2l.Trainer(max_epochs=2.5)
    with pytest.raises(ValueError, match='gradient_clip_val must be a number '
                                         '>= 0'):
        d2l.Trainer(max_epochs=1, gradient_clip_val=-1)


def test_trainer_accepts_any_integer_type():
    import numpy as np
    for n in (np.int64(3), torch.tensor(3), np.uint8(3)):
        trainer = d2l.Trainer(max_epochs=n)
        assert trainer.max_epochs == 3 and type(trainer.max_epochs) is int


def test_fit_names_swapped_arguments(full):
    trainer = d2l.Trainer(max_epochs=1)
    with pytest.raises(TypeError, match=r'model must be a d2l\.Module .*; '
                       'got Pairs .* lacks training_step'):
        trainer.fit(Pairs(), Tiny())
    with pytest.raises(TypeError, match=r'data must be a d2l\.DataModule .*'
                       'got list .* lacks train_dataloader, val_dataloader'):
        trainer.fit(Tiny(), [])


class ReaderModule(torch.nn.Module, d2l.HyperParameters):
    """A model written after the book's code, not derived from d2l.Module."""
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.LazyLinear(1)
        self.board = d2l.ProgressBoard(display=False)
        self.trained = 0

    def training_step(self, batch):
        self.trained += 1
        return ((self.net(batch[0]) - batch[1]) ** 2).mean()

    def validation_step(self, batch):
        pass

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)


def test_fit_accepts_a_duck_typed_model(full):
    model = ReaderModule()
    data = d2l.SyntheticRegressionData(torch.tensor([2.0, -1.0]), 1.0,
                                       num_train=64, num_val=32,
                                       batch_size=32)
    d2l.Trainer(max_epochs=2).fit(model, data)
    assert model.trained == 4


class BoardlessModule(ReaderModule):
    """A reader's model that keeps no progress board at all."""
    def __init__(self):
        super().__init__()
        del self.board


def test_fit_trains_a_model_without_a_board(full):
    model = BoardlessModule()
    data = d2l.SyntheticRegressionData(torch.tensor([2.0, -1.0]), 1.0,
                                       num_train=64, num_val=32,
                                       batch_size=32)
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, data)
    assert model.trained == 6 and model.trainer is trainer
    assert not hasattr(model, 'board')


def test_prepare_model_before_prepare_data_sizes_the_board(quick):
    """Before the minibatches are counted, num_epochs is max_epochs even in
    quick mode; the count then applies the quick-mode budget."""
    trainer, model = d2l.Trainer(max_epochs=50), Tiny()
    trainer.prepare_model(model)
    assert trainer.num_epochs == 50 and model.board.xlim == [0, 50]
    trainer.prepare_data(Pairs())
    assert trainer.num_epochs == d2l.quickmode.cap_epochs(50, 4) < 50


class HalfTrainer(d2l.Trainer):
    """Overrides prepare_data the published way: no num_epochs set."""
    def prepare_data(self, data):
        loaders = data.train_dataloader(), data.val_dataloader()
        self.train_dataloader, self.val_dataloader = loaders
        self.num_val_batches = len(loaders[1])
        self.num_train_batches = len(loaders[0]) // 2    # half of each epoch


def test_fit_with_a_published_style_prepare_data(full):
    data = d2l.SyntheticRegressionData(torch.tensor([2.0, -1.0]), 1.0,
                                       num_train=128, num_val=32,
                                       batch_size=32)
    trainer = HalfTrainer(max_epochs=3)
    trainer.fit(d2l.LinearRegression(lr=0.03), data)
    assert trainer.num_epochs == 3 and trainer.train_batch_idx == 6


def test_trainer_fit_counts_and_records(full):
    model, data = Tiny(), Pairs()
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, data)
    assert (trainer.num_train_batches, trainer.num_val_batches) == (4, 2)
    assert (trainer.train_batch_idx, trainer.val_batch_idx) == (12, 6)
    assert model.board.xlim == [0, 3] and model.trainer is trainer
    # 2 training points and 1 validation point per epoch
    assert [x for x, _ in model.board.data['train_loss']] == [
        0.125, 0.625, 1.125, 1.625, 2.125, 2.625]
    assert [x for x, _ in model.board.data['val_loss']] == [1, 2, 3]


def test_trainer_caps_in_quick_mode(quick, monkeypatch):
    from d2l import quickmode
    monkeypatch.setitem(quickmode.LIMITS, 'max_train_batches', 3)
    monkeypatch.setitem(quickmode.LIMITS, 'max_train_steps', 6)
    monkeypatch.setitem(quickmode.LIMITS, 'max_epochs', 2)
    model, data = Tiny(), Pairs()
    trainer = d2l.Trainer(max_epochs=5)
    trainer.fit(model, data)
    assert (trainer.num_train_batches, trainer.num_epochs) == (3, 2)
    assert (trainer.epoch, trainer.train_batch_idx) == (1, 6)
    assert model.board.xlim == [0, 2]


def test_quick_mode_runs_a_small_run_in_full(quick):
    # 5 epochs of 4 minibatches stay under the budget of 120 minibatches
    model, data = Tiny(), Pairs()
    trainer = d2l.Trainer(max_epochs=5)
    trainer.fit(model, data)
    assert (trainer.num_train_batches, trainer.num_epochs) == (4, 5)
    assert (trainer.epoch, trainer.train_batch_idx) == (4, 20)
    assert [x for x, _ in model.board.data['val_loss']] == [1, 2, 3, 4, 5]


def test_quick_mode_stops_a_long_run_after_the_budget(quick):
    model, data = Tiny(), Pairs()
    trainer = d2l.Trainer(max_epochs=100)
    trainer.fit(model, data)
    assert trainer.num_epochs == 30 and trainer.train_batch_idx == 120


def test_board_renders_svg_with_one_line_per_curve():
    board = d2l.ProgressBoard(xlabel='epoch', display=False)
    for x in range(3):
        board.draw(x, x, 'train_loss')
        board.draw(x, 2 * x, 'val_loss')
    svg = board._view.render()
    assert svg.lstrip().startswith('<?xml') and '</svg>' in svg
    assert len(board.axes.get_lines()) == 2
    assert [t.get_text() for t in board.axes.get_legend().get_texts()] == [
        'train_loss', 'val_loss']


def test_board_accepts_integer_like_windows():
    import numpy as np
    board = d2l.ProgressBoard(display=False)
    board.draw(0, 1.0, 'y', every_n=np.int64(1))
    with pytest.raises(TypeError, match='every_n must be an integer, '
                                        'got float 1.5'):
        board.draw(0, 1.0, 'y', every_n=1.5)
