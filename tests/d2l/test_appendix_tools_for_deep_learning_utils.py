"""Tests of the utility functions and classes of Appendix B.7."""
import math

import numpy as np
import pytest
import torch
from torch import nn

from d2l import torch as d2l


# ---------------------------------------------------------------- regression
def test_synthetic_data_shapes_and_fit():
    torch.manual_seed(0)
    w = torch.tensor([2.0, -3.4])
    X, y = d2l.synthetic_data(w, 4.2, 500)
    assert X.shape == (500, 2) and y.shape == (500, 1)
    residual = y.reshape(-1) - (X @ w + 4.2)
    assert residual.abs().max() < 0.06          # noise sd is 0.01


def test_synthetic_data_rejects_bad_input():
    with pytest.raises(ValueError, match='w must be a 1-D tensor'):
        d2l.synthetic_data(torch.ones(2, 1), 0.0, 10)
    with pytest.raises(ValueError, match='num_examples must be an integer >= 1'):
        d2l.synthetic_data(torch.ones(2), 0.0, 0)


def test_load_array_batches_in_order_when_not_training():
    X, y = torch.arange(10.0).reshape(5, 2), torch.arange(5)
    batches = list(d2l.load_array((X, y), 2, is_train=False))
    assert len(batches) == 3
    assert batches[0][0].shape == (2, 2) and batches[-1][1].tolist() == [4]
    assert torch.equal(batches[1][0], X[2:4])


def test_load_array_shuffles_like_a_default_loader_in_whole_batches():
    X, y = torch.arange(14.0).reshape(7, 2), torch.arange(7)
    torch.manual_seed(3)
    ours = list(d2l.load_array((X, y), 3))
    torch.manual_seed(3)
    plain = list(torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(X, y), 3, shuffle=True))
    assert [b[1].tolist() for b in ours] == [b[1].tolist() for b in plain]
    assert all(torch.equal(Xb, X[yb]) for Xb, yb in ours)  # rows stay paired
    assert sorted(torch.cat([b[1] for b in ours]).tolist()) == list(range(7))
    assert all(isinstance(b, tuple) and len(b) == 2 for b in ours)


def test_load_array_rejects_bad_input():
    with pytest.raises(ValueError, match='same length along axis 0'):
        d2l.load_array((torch.ones(3), torch.ones(4)), 2)
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        d2l.load_array((torch.ones(3),), 0)


def test_linreg_value_and_shape():
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    w = torch.tensor([[1.0], [-1.0]])
    out = d2l.linreg(X, w, 0.5)
    assert out.shape == (2, 1)
    assert out.reshape(-1).tolist() == [-0.5, -0.5]


def test_linreg_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match='X has 3 features but w has 2'):
        d2l.linreg(torch.ones(4, 3), torch.ones(2, 1), 0.0)


def test_squared_loss_value_and_shape():
    l = d2l.squared_loss(torch.tensor([[1.0], [3.0]]), torch.tensor([0.0, 1]))
    assert l.shape == (2, 1) and l.reshape(-1).tolist() == [0.5, 2.0]


def test_squared_loss_rejects_size_mismatch():
    with pytest.raises(ValueError, match='y_hat has 2 elements but y has 3'):
        d2l.squared_loss(torch.ones(2, 1), torch.ones(3))


def test_sgd_updates_and_zeroes_grad():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * torch.tensor([2.0, 4.0])).sum().backward()  # grad = [2, 4]
    d2l.sgd([w], lr=0.5, batch_size=2)
    assert w.detach().tolist() == [0.5, 1.0]
    assert w.grad.tolist() == [0.0, 0.0] and w.shape == (2,)


def test_sgd_rejects_missing_grad_and_bad_batch():
    w = torch.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match='has no gradient'):
        d2l.sgd([w], 0.1, 1)
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        d2l.sgd([w], 0.1, 0)


def test_evaluate_loss_is_per_example_mean():
    X = torch.tensor([[1.0], [2.0], [3.0]])
    y = torch.tensor([1.0, 2.0, 5.0])
    data = d2l.load_array((X, y), 2, is_train=False)
    mse = nn.MSELoss(reduction='none')
    assert d2l.evaluate_loss(lambda X: X, data, mse) == pytest.approx(4 / 3)


def test_evaluate_loss_rejects_empty_data():
    with pytest.raises(ValueError, match='yielded no examples'):
        d2l.evaluate_loss(lambda X: X, [], nn.MSELoss(reduction='none'))


# ---------------------------------------------------- counting and plotting
def test_accumulator_adds_resets_and_indexes():
    acc = d2l.Accumulator(3)
    acc.add(1, 2, 3)
    acc.add(torch.tensor(0.5), 0, 1)
    assert acc.data == [1.5, 2.0, 4.0] and acc[2] == 4.0 and len(acc.data) == 3
    acc.reset()
    assert acc.data == [0.0, 0.0, 0.0]


def test_accumulator_rejects_bad_input():
    with pytest.raises(ValueError, match='expected 2 values, got 3'):
        d2l.Accumulator(2).add(1, 2, 3)
    with pytest.raises(ValueError, match='n must be an integer >= 1'):
        d2l.Accumulator(0)


def test_accuracy_counts_argmax_and_index_predictions():
    y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    y = torch.tensor([1, 1, 1])
    assert d2l.accuracy(y_hat, y) == 2.0
    assert d2l.accuracy(torch.tensor([1, 0, 1]), y) == 2.0


def test_accuracy_rejects_size_mismatch():
    with pytest.raises(ValueError, match='3 predictions for 2 labels'):
        d2l.accuracy(torch.ones(3, 4), torch.ones(2))


def test_animator_records_every_point_and_prints_a_line(capsys):
    animator = d2l.Animator(xlabel='epoch', legend=['a', 'b'], xlim=[0, 2])
    animator.add(1, (0.5, None))
    animator.add(2, (torch.tensor(0.25), 3))
    animator.flush()
    assert animator.X == [[1.0, 2.0], [2.0]]
    assert animator.Y == [[0.5, 0.25], [3.0]]
    assert len(animator.axes) == 1
    out = capsys.readouterr().out
    assert 'epoch 2' in out and 'a 0.25' in out and out.endswith('\n')


def test_animator_grid_of_axes():
    assert len(d2l.Animator(nrows=2, ncols=3).axes) == 6


def test_animator_throttles_redraws(monkeypatch):
    shown = []
    animator = d2l.Animator()
    monkeypatch.setattr(animator._view, '_show_line',
                        lambda curves: shown.append(len(curves[0].xs)))
    for i in range(100):
        animator.add(i, i * i)
    assert shown == [1]                         # only the first point
    animator.flush()
    assert shown == [1, 100]
    animator.flush()                            # nothing new: no redraw
    assert shown == [1, 100]


def test_animator_shows_the_end_of_xlim_at_once(monkeypatch):
    shown = []
    animator = d2l.Animator(xlim=[0, 3])
    monkeypatch.setattr(animator._view, '_show_line',
                        lambda curves: shown.append(curves[0].xs[-1]))
    for x in range(4):
        animator.add(x, x)
    assert shown == [0.0, 3.0]


def test_animator_renders_through_the_shared_engine():
    animator = d2l.Animator(legend=['train', 'test'], fmts=('-', 'm--'))
    animator.display = False
    animator.add([1, 2], [0.5, 0.25])
    svg = animator._view.render()
    assert '</svg>' in svg and len(animator.axes[0].get_lines()) == 2
    assert isinstance(animator._view, d2l.liveplot.LiveView)
    assert isinstance(d2l.ProgressBoard()._view, d2l.liveplot.LiveView)


def test_one_xavier_helper_for_linear_conv_and_gru():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(300, 100), nn.Conv2d(3, 4, 3),
                        nn.GRU(8, 16))
    net.apply(d2l._xavier_init)
    # U(-a, a) with a^2 = 6 / (fan_in + fan_out): variance 2 / (300 + 100)
    assert net[0].weight.var().item() == pytest.approx(0.005, rel=0.1)
    w = net[2].weight_hh_l0                       # (3 * 16, 16)
    assert w.abs().max() <= (6 / (16 + 48)) ** 0.5
    assert not hasattr(d2l, '_xavier_init_seq2seq')


def test_animator_rejects_bad_input():
    animator = d2l.Animator()
    with pytest.raises(ValueError, match='got 2 x values for 3 y values'):
        animator.add([1, 2], [1, 2, 3])
    animator.add(0, [1, 2])
    with pytest.raises(ValueError, match=r'expected 2 y values .* got 1'):
        animator.add(1, 5)


# ------------------------------------------------------- image classification
def test_get_dataloader_workers(monkeypatch):
    import multiprocessing
    monkeypatch.delenv('D2L_QUICK', raising=False)
    monkeypatch.setattr(multiprocessing, 'get_start_method',
                        lambda allow_none=False: 'fork')
    monkeypatch.setattr('os.cpu_count', lambda: 16)
    assert d2l.get_dataloader_workers() == 4
    monkeypatch.setattr('os.cpu_count', lambda: 2)
    assert d2l.get_dataloader_workers() == 2
    monkeypatch.setattr('os.cpu_count', lambda: None)
    assert d2l.get_dataloader_workers() == 1


def test_get_dataloader_workers_is_zero_unless_forking(monkeypatch):
    import multiprocessing
    monkeypatch.delenv('D2L_QUICK', raising=False)
    for method in ('spawn', 'forkserver'):
        monkeypatch.setattr(multiprocessing, 'get_start_method',
                            lambda allow_none=False, m=method: m)
        assert d2l.get_dataloader_workers() == 0
    # not chosen yet: the platform default (first of the list) decides
    monkeypatch.setattr(multiprocessing, 'get_start_method',
                        lambda allow_none=False: None)
    monkeypatch.setattr(multiprocessing, 'get_all_start_methods',
                        lambda: ['spawn', 'fork'])
    assert d2l.get_dataloader_workers() == 0
    monkeypatch.setattr(multiprocessing, 'get_all_start_methods',
                        lambda: ['fork', 'spawn'])
    assert d2l.get_dataloader_workers() >= 1
    monkeypatch.setenv('D2L_QUICK', '1')
    assert d2l.get_dataloader_workers() == 0


def test_get_dataloader_workers_leaves_the_start_method_open():
    import multiprocessing
    before = multiprocessing.get_start_method(allow_none=True)
    d2l.get_dataloader_workers()
    assert multiprocessing.get_start_method(allow_none=True) == before


def test_get_fashion_mnist_labels():
    labels = d2l.get_fashion_mnist_labels(torch.tensor([0, 9, 3]))
    assert labels == ['t-shirt', 'ankle boot', 'dress']
    assert d2l.get_fashion_mnist_labels([7]) == ['sneaker']
    assert d2l.get_fashion_mnist_labels(torch.tensor(1)) == ['trouser']


def test_get_fashion_mnist_labels_rejects_out_of_range():
    with pytest.raises(ValueError, match=r'must lie in 0..9, got \[10\]'):
        d2l.get_fashion_mnist_labels([1, 10])


def test_load_data_fashion_mnist_shapes(quick, mirror):
    train_iter, test_iter = d2l.load_data_fashion_mnist(32)
    X, y = next(iter(train_iter))
    assert X.shape == (32, 1, 28, 28) and y.shape == (32,)
    assert len(test_iter.dataset) < len(train_iter.dataset)


def test_load_data_fashion_mnist_passes_resize(monkeypatch):
    seen = []

    class Fake:
        def __init__(self, batch_size, resize):
            seen.append((batch_size, resize))

        def get_dataloader(self, train):
            return 'train' if train else 'test'

    monkeypatch.setattr(d2l, 'FashionMNIST', Fake)
    assert d2l.load_data_fashion_mnist(8, resize=16) == ('train', 'test')
    d2l.load_data_fashion_mnist(8)
    d2l.load_data_fashion_mnist(8, resize=[20, 24])
    assert seen == [(8, (16, 16)), (8, (28, 28)), (8, (20, 24))]


def test_load_data_fashion_mnist_rejects_bad_batch(quick, mirror):
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        d2l.load_data_fashion_mnist(0)


def _constant_net(cls):
    """A net whose bias makes it always predict class `cls` of 3."""
    net = nn.Linear(2, 3)
    with torch.no_grad():
        net.weight.zero_()
        net.bias.copy_(torch.eye(3)[cls])
    return net


def test_evaluate_accuracy_gpu_value_and_mode():
    X, y = torch.zeros(5, 2), torch.tensor([0, 1, 1, 2, 1])
    net = _constant_net(1)
    net.train()
    data = d2l.load_array((X, y), 2, is_train=False)
    assert d2l.evaluate_accuracy_gpu(net, data) == pytest.approx(3 / 5)
    assert net.training                          # mode restored


def test_evaluate_accuracy_gpu_rejects_empty_data():
    with pytest.raises(ValueError, match='yielded no examples'):
        d2l.evaluate_accuracy_gpu(_constant_net(0), [])


def test_train_ch6_learns_a_separable_problem(quick, capsys):
    torch.manual_seed(0)
    X = torch.randn(256, 2)
    y = (X[:, 0] > 0).long()
    train = d2l.load_array((X, y), 32)
    test = d2l.load_array((X, y), 64, is_train=False)
    net = nn.Sequential(nn.LazyLinear(2))         # lazy: materialised first
    d2l.train_ch6(net, train, test, 2, 0.5, d2l.cpu())
    assert d2l.evaluate_accuracy_gpu(net, test) > 0.9
    out = capsys.readouterr().out
    assert 'test acc' in out and 'examples/sec on cpu' in out


def test_train_ch6_rejects_bad_epochs():
    with pytest.raises(ValueError, match='num_epochs must be an integer >= 1'):
        d2l.train_ch6(nn.Linear(2, 2), [], [], 0, 0.1, d2l.cpu())


# --------------------------------------------------------- gradient clipping
def test_grad_clipping_scales_to_theta():
    net = nn.Linear(2, 1, bias=False)
    net.weight.grad = torch.tensor([[3.0, 4.0]])     # norm 5
    d2l.grad_clipping(net, 1.0)
    assert torch.allclose(net.weight.grad, torch.tensor([[0.6, 0.8]]))
    d2l.grad_clipping(net, 2.0)                      # below theta: unchanged
    assert torch.allclose(net.weight.grad, torch.tensor([[0.6, 0.8]]))


def test_grad_clipping_without_gradients_is_a_no_op():
    net = nn.Linear(2, 1)
    d2l.grad_clipping(net, 1.0)
    assert net.weight.grad is None


def test_grad_clipping_scratch_model_with_params():
    class Scratch:
        params = [torch.zeros(2, requires_grad=True),
                  torch.zeros(1, requires_grad=True)]
    Scratch.params[0].grad = torch.tensor([0.0, 6.0])
    Scratch.params[1].grad = torch.tensor([8.0])     # global norm 10
    d2l.grad_clipping(Scratch, 5.0)
    assert Scratch.params[0].grad.tolist() == [0.0, 3.0]
    assert Scratch.params[1].grad.shape == (1,)


def test_grad_clipping_rejects_bad_input():
    with pytest.raises(ValueError, match='theta must be positive, got 0'):
        d2l.grad_clipping(nn.Linear(1, 1), 0)
    with pytest.raises(TypeError, match='expected an nn.Module'):
        d2l.grad_clipping(object(), 1.0)


# ------------------------------------------------------------ text and NMT
def test_tokenize_words_and_chars():
    assert d2l.tokenize(['a bc', 'd']) == [['a', 'bc'], ['d']]
    assert d2l.tokenize(['ab'], token='char') == [['a', 'b']]


def test_tokenize_rejects_unknown_kind():
    with pytest.raises(ValueError, match="'word' or 'char', got 'byte'"):
        d2l.tokenize(['a'], token='byte')


def test_vocab_indices_are_alphabetical_with_unk():
    vocab = d2l.Vocab([['b', 'a'], ['a', 'c']], min_freq=1,
                      reserved_tokens=['<pad>'])
    assert vocab.idx_to_token == ['<pad>', '<unk>', 'a', 'b', 'c']
    assert len(vocab) == 5 and vocab.unk == 1
    assert vocab['a'] == 2 and vocab[['c', 'zzz']] == [4, 1]
    assert vocab.to_tokens(torch.tensor([3, 2])) == ['b', 'a']
    assert vocab.to_tokens(0) == '<pad>'
    assert vocab.token_freqs[0] == ('a', 2)


def test_vocab_min_freq_drops_rare_tokens():
    vocab = d2l.Vocab(list('aab'), min_freq=2)
    assert vocab.idx_to_token == ['<unk>', 'a'] and vocab['b'] == vocab.unk


def test_vocab_rejects_a_string():
    with pytest.raises(TypeError, match='got a str'):
        d2l.Vocab('abc')


def test_read_data_nmt(mirror):
    text = d2l.read_data_nmt()
    assert text.startswith('Go.\tVa !\n')
    assert text.count('\n') >= 167_000


def test_preprocess_nmt_splits_punctuation():
    assert d2l.preprocess_nmt('Hi,\u202fAll!\tOK.') == 'hi , all !\tok .'
    assert d2l.preprocess_nmt('a !') == 'a !'     # already spaced


def test_tokenize_nmt_pairs_and_limit():
    text = 'go .\tva !\nhi .\tsalut !\nbad line\nrun !\tcours !'
    src, tgt = d2l.tokenize_nmt(text)
    assert src == [['go', '.'], ['hi', '.'], ['run', '!']]
    assert tgt[2] == ['cours', '!']
    src, tgt = d2l.tokenize_nmt(text, num_examples=2)
    assert len(src) == len(tgt) == 2


def test_truncate_pad():
    assert d2l.truncate_pad([1, 2], 4, 0) == [1, 2, 0, 0]
    assert d2l.truncate_pad([1, 2, 3], 2, 0) == [1, 2]
    with pytest.raises(ValueError, match='num_steps must be an integer >= 1'):
        d2l.truncate_pad([1], 0, 0)


def test_build_array_nmt_appends_eos_and_pads():
    vocab = d2l.Vocab([['x', 'y']], reserved_tokens=['<pad>', '<eos>'])
    array, valid_len = d2l.build_array_nmt([['x'], ['y', 'x', 'x']], vocab, 3)
    eos, pad = vocab['<eos>'], vocab['<pad>']
    assert array.shape == (2, 3) and valid_len.shape == (2,)
    assert array[0].tolist() == [vocab['x'], eos, pad]
    assert valid_len.tolist() == [2, 3]


def test_build_array_nmt_rejects_bad_steps():
    vocab = d2l.Vocab([['x']], reserved_tokens=['<pad>', '<eos>'])
    with pytest.raises(ValueError, match='num_steps must be an integer >= 1'):
        d2l.build_array_nmt([['x']], vocab, 0)


def test_load_data_nmt_shapes(mirror):
    data_iter, src_vocab, tgt_vocab = d2l.load_data_nmt(4, 6,
                                                        num_examples=50)
    X, X_len, Y, Y_len = next(iter(data_iter))
    assert X.shape == Y.shape == (4, 6) and X_len.shape == (4,)
    assert len(data_iter.dataset) == 50
    assert {'<pad>', '<bos>', '<eos>', '<unk>'} <= set(tgt_vocab.idx_to_token)
    assert int(X_len.max()) <= 6


def test_load_data_nmt_rejects_bad_batch(mirror):
    with pytest.raises(ValueError, match='batch_size must be an integer >= 1'):
        d2l.load_data_nmt(0, 6, num_examples=10)


def test_sequence_mask_2d_and_3d():
    X = torch.tensor([[1, 2, 3], [4, 5, 6]])
    out = d2l.sequence_mask(X, torch.tensor([1, 2]))
    assert out.tolist() == [[1, 0, 0], [4, 5, 0]]
    assert X[0, 2] == 3                              # input untouched
    out = d2l.sequence_mask(torch.ones(2, 3, 4), torch.tensor([1, 3]), -1)
    assert out.shape == (2, 3, 4) and out[0, 1:].eq(-1).all()
    assert out[1].eq(1).all()


def test_sequence_mask_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r'got \(3,\) and \(3,\)'):
        d2l.sequence_mask(torch.ones(3), torch.ones(3))
    with pytest.raises(ValueError, match=r'got \(2, 3\) and \(3,\)'):
        d2l.sequence_mask(torch.ones(2, 3), torch.ones(3))


def test_masked_softmax_ce_loss_value_and_shape():
    loss = d2l.MaskedSoftmaxCELoss()
    l = loss(torch.zeros(3, 4, 10), torch.zeros(3, 4, dtype=torch.long),
             torch.tensor([4, 2, 0]))
    assert l.shape == (3,)
    assert torch.allclose(l, torch.tensor([1.0, 0.5, 0.0]) * math.log(10))


def test_masked_softmax_ce_loss_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r'pred \(B, T, V\) and label'):
        d2l.MaskedSoftmaxCELoss()(torch.zeros(3, 4, 5),
                                  torch.zeros(3, 5, dtype=torch.long),
                                  torch.tensor([1, 1, 1]))


class _EchoEncoder(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 4)

    def forward(self, X, *args):
        return self.embedding(X)


class _Echo(nn.Module):
    """A toy encoder-decoder whose decoder looks only at its own input."""
    def __init__(self, vocab_size):
        super().__init__()
        self.encoder = _EchoEncoder(vocab_size)
        self.decoder = _EchoDecoder(vocab_size)

    def forward(self, enc_X, dec_X, *args):
        state = self.decoder.init_state(self.encoder(enc_X), *args)
        return self.decoder(dec_X, state)


class _EchoDecoder(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 8)
        self.dense = nn.Linear(8, vocab_size)
        self.attention_weights = torch.ones(1)

    def init_state(self, enc_outputs, *args):
        return None

    def forward(self, X, state):
        return self.dense(self.embedding(X)), state


def _toy_nmt_data():
    vocab = d2l.Vocab([['a', 'b']], reserved_tokens=['<pad>', '<bos>',
                                                     '<eos>'])
    X, X_len = d2l.build_array_nmt([['a', 'b']] * 8, vocab, 4)
    return d2l.load_array((X, X_len, X, X_len), 4), vocab


def test_train_seq2seq_lowers_loss(capsys):
    torch.manual_seed(0)
    data_iter, vocab = _toy_nmt_data()
    net = _Echo(len(vocab))
    d2l.train_seq2seq(net, data_iter, 0.05, 10, vocab, d2l.cpu())
    assert 'tokens/sec on cpu' in capsys.readouterr().out
    X, X_len, Y, Y_len = next(iter(data_iter))
    bos = torch.full((4, 1), vocab['<bos>'])
    Y_hat, _ = net(X, torch.cat([bos, Y[:, :-1]], 1))
    assert Y_hat.shape == (4, 4, len(vocab))
    per_token = d2l.MaskedSoftmaxCELoss()(Y_hat, Y, Y_len).mean()
    assert per_token < 0.5 * math.log(len(vocab))


def test_train_seq2seq_rejects_bad_epochs():
    data_iter, vocab = _toy_nmt_data()
    with pytest.raises(ValueError, match='num_epochs must be an integer >= 1'):
        d2l.train_seq2seq(_Echo(len(vocab)), data_iter, 0.1, 0, vocab,
                          d2l.cpu())


def test_predict_seq2seq_stops_at_eos_and_records_attention():
    vocab = d2l.Vocab([['a', 'b']], reserved_tokens=['<pad>', '<bos>',
                                                     '<eos>'])
    net = _Echo(len(vocab))
    with torch.no_grad():                      # after <bos> say 'a', then eos
        net.decoder.dense.weight.zero_()
        net.decoder.dense.bias.zero_()
        table = torch.zeros(len(vocab), len(vocab))
        table[vocab['<bos>'], vocab['a']] = 1.0
        table[vocab['a'], vocab['<eos>']] = 1.0
        net.decoder.embedding = nn.Embedding.from_pretrained(table)
        net.decoder.dense = nn.Linear(len(vocab), len(vocab))
        net.decoder.dense.weight.copy_(torch.eye(len(vocab)))
        net.decoder.dense.bias.zero_()
    text, attention = d2l.predict_seq2seq(net, 'B a', vocab, vocab, 5,
                                          d2l.cpu(), True)
    assert text == 'a' and len(attention) == 2


def test_predict_seq2seq_rejects_bad_steps():
    vocab = d2l.Vocab([['a']], reserved_tokens=['<pad>', '<bos>', '<eos>'])
    with pytest.raises(ValueError, match='num_steps must be an integer >= 1'):
        d2l.predict_seq2seq(_Echo(len(vocab)), 'a', vocab, vocab, 0,
                            d2l.cpu())


# ---------------------------------------------------------------- FrozenLake
def test_frozen_lake_env_info():
    info = d2l.frozen_lake(0)
    assert info['desc'].shape == (4, 4) and info['desc'][3, 3] == 'G'
    assert (info['num_states'], info['num_actions']) == (16, 4)
    assert len(info['mdp']) == 64
    assert info['mdp'][(14, 2)] == [(1.0, 15, 1.0, True)]   # into the goal
    assert info['mdp'][(0, 0)] == [(1.0, 0, 0.0, False)]    # into the wall
    assert info['mdp'][(5, 1)] == [(1.0, 5, 0.0, True)]     # hole: absorbing
    assert info['mdp'][(0, 1)] == [(1.0, 4, 0.0, False)]    # down a row
    assert (info['trans_prob_idx'], info['nextstate_idx'],
            info['reward_idx'], info['done_idx']) == (0, 1, 2, 3)


def test_frozen_lake_rejects_bad_seed():
    with pytest.raises(TypeError, match='seed must be an integer, got str'):
        d2l.frozen_lake('0')


def test_make_env():
    assert d2l.make_env('FrozenLake-v1', seed=1)['num_states'] == 16
    with pytest.raises(ValueError, match="unknown environment 'CartPole-v1'"):
        d2l.make_env('CartPole-v1')


def test_frozen_lake_step_reset_and_sampling():
    env = d2l.FrozenLake(seed=0)
    assert env.reset() == 0
    assert env.step(2) == (1, 0.0, False)
    assert env.step(1) == (5, 0.0, True)                    # fell in
    actions = {env.action_space.sample() for _ in range(200)}
    assert actions == {0, 1, 2, 3} and env.action_space.n == 4
    with pytest.raises(ValueError, match='action must be in 0..3, got 4'):
        env.step(4)


def test_frozen_lake_slippery_and_8x8():
    env = d2l.FrozenLake('8x8', is_slippery=True, seed=0)
    assert env.desc.shape == (8, 8) and env.num_states == 64
    outcomes = env.P[9][2]                                  # right
    assert len(outcomes) == 3
    assert sum(p for p, *_ in outcomes) == pytest.approx(1.0)
    assert sorted(s for _, s, _, _ in outcomes) == [1, 10, 17]


def test_frozen_lake_rejects_bad_map():
    with pytest.raises(ValueError, match="expected '4x4', '8x8'"):
        d2l.FrozenLake('5x5')
    with pytest.raises(ValueError, match='with one S'):
        d2l.FrozenLake(['SF', 'FX'])


def _value_iteration(info, sweeps):
    S, A = info['num_states'], info['num_actions']
    T, R = np.zeros((S, A, S)), np.zeros((S, A))
    for (s, a), outcomes in info['mdp'].items():
        for p, s2, r, _ in outcomes:
            T[s, a, s2] += p
            R[s, a] += p * r
    V, pi = np.zeros((sweeps, S)), np.zeros((sweeps, S), dtype=int)
    for k in range(1, sweeps):
        Q = R + 0.95 * T @ V[k - 1]
        V[k], pi[k] = Q.max(axis=1), Q.argmax(axis=1)
    return V, pi


def test_frozen_lake_optimal_values():
    V, _ = _value_iteration(d2l.frozen_lake(0), 8)
    assert V[-1][0] == pytest.approx(0.95 ** 5)
    assert V[-1][14] == pytest.approx(1.0) and V[-1][15] == 0.0


def test_show_value_function_progress_draws_one_panel_per_step():
    import matplotlib.pyplot as plt
    info = d2l.frozen_lake(0)
    V, pi = _value_iteration(info, 6)
    d2l.show_value_function_progress(info['desc'], V, pi)
    fig = plt.gcf()
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [f'Step = {k}' for k in range(6)]
    assert len(fig.axes) == 8                  # 2 rows of 4, 2 left empty
    plt.close(fig)


def test_show_q_function_progress_subsamples():
    import matplotlib.pyplot as plt
    info = d2l.frozen_lake(0)
    V, pi = np.zeros((95, 16)), np.zeros((95, 16), dtype=int)
    d2l.show_Q_function_progress(info['desc'], V, pi)
    fig = plt.gcf()
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0] == 'Episode = 0' and titles[-1] == 'Episode = 94'
    assert len(titles) == 12                   # 0, 9, ..., 90, and 94
    plt.close(fig)


def test_show_progress_rejects_bad_shapes():
    desc = d2l.frozen_lake(0)['desc']
    with pytest.raises(ValueError, match=r'shape \(K, 16\)'):
        d2l.show_value_function_progress(desc, np.zeros((3, 9)),
                                         np.zeros((3, 9)))
