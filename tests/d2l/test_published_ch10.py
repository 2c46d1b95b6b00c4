"""Chapter 10 (Sections 10.3 and 10.5-10.7) code that calls our package the
way the published book does.

Each test is a reader's cell as it would be typed with the published
package (d2l 1.0.3) in mind: a deep RNN built from ``d2l.RNNScratch``
layers, a data module whose ``_download`` opens
``self.root + '/fra-eng/fra.txt'``, tensors converted with
``.type(torch.int32)`` before ``to_tokens``, a decoder with a lazy output
layer initialised by ``self.apply(init_seq2seq)``, ``num_gpus=1`` on a
machine without GPU, and a translation loop over ``predict_step``. What the
code keeps from the published book is exactly how it calls the d2l API
(names, arguments, attributes, return values). One change: the reader's
data module gets the test session's cache folder as ``root`` (the published
code reads the extracted file from there).
"""
import os

import matplotlib
import torch
from torch import nn

from d2l import torch as d2l

matplotlib.use('Agg')


# --- 10.3 --------------------------------------------------------------------

class TowerOfScratchRNNs(d2l.Module):
    """A deep RNN as a reader builds it on the 1.0.3 API: a pile of
    d2l.RNNScratch layers, the first fed the inputs, each later one fed the
    states of the layer below. d2l.RNNLMScratch reads ``num_hiddens`` and
    ``sigma`` off it (saved by save_hyperparameters) and gets, from forward,
    the top layer's states as one (T, B, h) tensor rather than a list."""
    def __init__(self, num_inputs, num_hiddens, num_layers, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        in_sizes = [num_inputs] + [num_hiddens] * (num_layers - 1)
        self.layers = nn.ModuleList(
            [d2l.RNNScratch(size, num_hiddens, sigma) for size in in_sizes])

    def forward(self, inputs, Hs=None):
        last = [None] * len(self.layers) if Hs is None else list(Hs)
        seq = inputs                              # (T, B, num_inputs)
        for depth, layer in enumerate(self.layers):
            per_step, last[depth] = layer(seq, last[depth])
            seq = torch.stack(per_step)           # T x (B, h) -> (T, B, h)
        return seq, last


def test_stacked_rnn_scratch_in_published_style(mirror):
    """A deep RNN from scratch inside the saved RNNLMScratch: its forward
    hands output_layer a (T, B, h) tensor, not a list."""
    torch.manual_seed(0)
    data = d2l.TimeMachine(batch_size=3, num_steps=6)
    V = len(data.vocab)
    tower = TowerOfScratchRNNs(num_inputs=V, num_hiddens=10, num_layers=3)
    X, Y = next(iter(data.train_dataloader()))
    top, states = tower(torch.nn.functional.one_hot(X.T, V).float())
    assert tuple(top.shape) == (6, 3, 10)
    assert [tuple(H.shape) for H in states] == [(3, 10)] * 3
    torch.testing.assert_close(top[-1], states[-1])   # last step = top state
    model = d2l.RNNLMScratch(tower, vocab_size=V, lr=2)
    assert tuple(model.W_hq.shape) == (10, V)
    Y_hat = model(X)
    assert tuple(Y_hat.shape) == (3, 6, V)
    loss = model.loss(Y_hat, Y)
    assert torch.isfinite(loss)
    loss.backward()                               # gradients reach the bottom
    assert model.rnn.layers[0].W_xh.grad.abs().sum() > 0


# --- 10.5 --------------------------------------------------------------------

FRA_SHA1 = '94646ad1522d915e7b0f9296181140edcf86a4f5'


class ReaderMT(d2l.DataModule):
    def _download(self):
        archive = d2l.download(d2l.DATA_URL + 'fra-eng.zip', self.root,
                               FRA_SHA1)
        d2l.extract(archive)                    # result unused, as in 1.0.3
        path = self.root + '/fra-eng/fra.txt'
        with open(path, encoding='utf-8') as f:
            return f.read()


def test_reader_download_and_package_preprocessing(mirror, capsys):
    reader = ReaderMT(root=os.environ['D2L_DATA_DIR'])
    raw_text = reader._download()
    print(raw_text[:75])
    assert capsys.readouterr().out.startswith('Go.\tVa !\nHi.\tSalut !')
    data = d2l.MTFraEng.__new__(d2l.MTFraEng)
    text = data._preprocess(raw_text)
    assert text[:80].startswith('go .\tva !\nhi .\tsalut !\nrun !\tcours !')
    src, tgt = data._tokenize(text)
    assert src[:2] == [['go', '.', '<eos>'], ['hi', '.', '<eos>']]
    assert tgt[5] == ['ça', 'alors', '!', '<eos>']
    d2l.show_list_len_pair_hist(['source', 'target'],
                                '# tokens per sequence', 'count', src, tgt)
    d2l.plt.close('all')


def test_batches_and_build_in_published_style(mirror, capsys):
    mt = d2l.MTFraEng(batch_size=3)
    batch = next(iter(mt.train_dataloader()))
    for name, part in zip(['X', 'dec', 'X_len', 'Y'], batch):
        print(name, part.type(torch.int32))
    out = capsys.readouterr().out
    assert out.count('tensor(') == 4 and 'dtype=torch.int32' in out
    X, dec, _, _ = mt.build(['hi .'], ['salut .'])
    print(mt.src_vocab.to_tokens(X[0].type(torch.int32)))
    print(mt.tgt_vocab.to_tokens(dec[0].type(torch.int32)))
    out = capsys.readouterr().out
    assert "['hi', '.', '<eos>', '<pad>'" in out
    assert "['<bos>', 'salut', '.', '<eos>', '<pad>'" in out


# --- 10.6 --------------------------------------------------------------------

def test_encoder_decoder_subclasses_in_published_style():
    class Enc(d2l.Encoder):
        def __init__(self):
            super().__init__()

        def forward(self, X, *args):
            return X

    class Dec(d2l.Decoder):
        def __init__(self):
            super().__init__()
            self.dense = nn.LazyLinear(5)

        def init_state(self, enc_all_outputs, *args):
            return enc_all_outputs

        def forward(self, X, state):
            return self.dense(X + state), state

    net = d2l.EncoderDecoder(Enc(), Dec())
    assert net(torch.ones(2, 3, 4), torch.ones(2, 3, 4)).shape == (2, 3, 5)


# --- 10.7 --------------------------------------------------------------------

class BookDecoder(d2l.Decoder):
    """The book's RNN decoder, as a reader types it."""
    def __init__(self, V, E, H, L, dropout=0):
        super().__init__()
        self.dense = nn.LazyLinear(V)           # lazy, as in the book
        self.embedding = nn.Embedding(V, E)
        self.rnn = d2l.GRU(E + H, H, L, dropout)
        self.apply(d2l.init_seq2seq)

    def init_state(self, enc_all_outputs, *args):
        return enc_all_outputs

    def forward(self, X, state):
        embs = self.embedding(X.t().type(torch.int32))
        enc_output, hidden_state = state
        context = enc_output[-1].repeat(embs.shape[0], 1, 1)
        outputs, hidden_state = self.rnn(torch.cat((embs, context), -1),
                                         hidden_state)
        return self.dense(outputs).swapaxes(0, 1), [enc_output, hidden_state]


def test_shapes_in_published_style():
    V, E, H, L, B, T = 11, 6, 12, 3, 5, 7
    enc = d2l.Seq2SeqEncoder(V, E, H, L)
    X = torch.zeros((B, T))                     # float, as in the book
    outputs, last = enc(X)
    d2l.check_shape(outputs, (T, B, H))
    d2l.check_shape(last, (L, B, H))
    dec = BookDecoder(V, E, H, L)
    Y_hat, new_state = dec(X, dec.init_state(enc(X)))
    d2l.check_shape(Y_hat, (B, T, V))
    d2l.check_shape(new_state[1], (L, B, H))


def test_training_and_translation_in_published_style(mirror, capsys):
    torch.manual_seed(0)
    mt = d2l.MTFraEng(batch_size=128)
    net = d2l.Seq2Seq(
        d2l.Seq2SeqEncoder(len(mt.src_vocab), 32, 32, 2, 0.2),
        BookDecoder(len(mt.tgt_vocab), 32, 32, 2, 0.2),
        tgt_pad=mt.tgt_vocab['<pad>'], lr=0.005)
    d2l.Trainer(max_epochs=2, gradient_clip_val=1, num_gpus=1).fit(net, mt)
    sources = ['hi .', 'run !', 'i won .', 'stop !']
    targets = ['salut !', 'cours !', "j'ai gagné .", 'arrête !']
    outs, _ = net.predict_step(mt.build(sources, targets), d2l.try_gpu(),
                               mt.num_steps)
    for source, target, row in zip(sources, targets, outs):
        words = []
        for word in mt.tgt_vocab.to_tokens(row):
            if word == '<eos>':
                break
            words.append(word)
        score = d2l.bleu(' '.join(words), target, k=2)
        print(f'{source} => {words}, bleu,{score:.3f}')
    lines = capsys.readouterr().out.strip().split('\n')[-4:]
    assert [line.split(' => ')[0] for line in lines] == sources
    assert all(0 <= float(line.rsplit(',', 1)[1]) <= 1 for line in lines)
