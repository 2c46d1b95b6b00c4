"""Chapter 10 (Sections 10.5-10.7) code written the way the published book
does, run against our package.

Each test is a reader's cell as it would be typed with the published package
(d2l 1.0.3) in mind: a data module whose ``_download`` opens
``self.root + '/fra-eng/fra.txt'``, tensors converted with ``.type(torch.int32)``
before ``to_tokens``, a decoder with a lazy output layer initialised by
``self.apply(init_seq2seq)``, ``num_gpus=1`` on a machine without GPU, and
the book's translation loop over ``predict_step``. Only the asserts are ours.
The one change: the reader's data module gets the test session's cache
folder as ``root`` (the published code reads the extracted file from there).
"""
import os

import matplotlib
import torch
from torch import nn

from d2l import torch as d2l

matplotlib.use('Agg')


# --- 10.5 --------------------------------------------------------------------

class ReaderMT(d2l.DataModule):
    def _download(self):
        d2l.extract(d2l.download(
            d2l.DATA_URL + 'fra-eng.zip', self.root,
            '94646ad1522d915e7b0f9296181140edcf86a4f5'))
        with open(self.root + '/fra-eng/fra.txt', encoding='utf-8') as f:
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
    data = d2l.MTFraEng(batch_size=3)
    src, tgt, src_valid_len, label = next(iter(data.train_dataloader()))
    print('source:', src.type(torch.int32))
    print('decoder input:', tgt.type(torch.int32))
    print('source len excluding pad:', src_valid_len.type(torch.int32))
    print('label:', label.type(torch.int32))
    out = capsys.readouterr().out
    assert out.count('tensor(') == 4 and 'dtype=torch.int32' in out
    src, tgt, _, _ = data.build(['hi .'], ['salut .'])
    print('source:', data.src_vocab.to_tokens(src[0].type(torch.int32)))
    print('target:', data.tgt_vocab.to_tokens(tgt[0].type(torch.int32)))
    out = capsys.readouterr().out
    assert "source: ['hi', '.', '<eos>', '<pad>'" in out
    assert "target: ['<bos>', 'salut', '.', '<eos>', '<pad>'" in out


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
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers,
                 dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = d2l.GRU(embed_size + num_hiddens, num_hiddens, num_layers,
                           dropout)
        self.dense = nn.LazyLinear(vocab_size)
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
    vocab_size, embed_size, num_hiddens, num_layers = 10, 8, 16, 2
    batch_size, num_steps = 4, 9
    encoder = d2l.Seq2SeqEncoder(vocab_size, embed_size, num_hiddens,
                                 num_layers)
    X = torch.zeros((batch_size, num_steps))        # float, as in the book
    enc_outputs, enc_state = encoder(X)
    d2l.check_shape(enc_outputs, (num_steps, batch_size, num_hiddens))
    d2l.check_shape(enc_state, (num_layers, batch_size, num_hiddens))
    decoder = BookDecoder(vocab_size, embed_size, num_hiddens, num_layers)
    state = decoder.init_state(encoder(X))
    dec_outputs, state = decoder(X, state)
    d2l.check_shape(dec_outputs, (batch_size, num_steps, vocab_size))
    d2l.check_shape(state[1], (num_layers, batch_size, num_hiddens))


def test_training_and_translation_in_published_style(mirror, capsys):
    torch.manual_seed(0)
    data = d2l.MTFraEng(batch_size=128)
    embed_size, num_hiddens, num_layers, dropout = 32, 32, 2, 0.2
    encoder = d2l.Seq2SeqEncoder(
        len(data.src_vocab), embed_size, num_hiddens, num_layers, dropout)
    decoder = BookDecoder(
        len(data.tgt_vocab), embed_size, num_hiddens, num_layers, dropout)
    model = d2l.Seq2Seq(encoder, decoder, tgt_pad=data.tgt_vocab['<pad>'],
                        lr=0.005)
    trainer = d2l.Trainer(max_epochs=2, gradient_clip_val=1, num_gpus=1)
    trainer.fit(model, data)
    engs = ['go .', 'i lost .', 'he\'s calm .', 'i\'m home .']
    fras = ['va !', 'j\'ai perdu .', 'il est calme .', 'je suis chez moi .']
    preds, _ = model.predict_step(
        data.build(engs, fras), d2l.try_gpu(), data.num_steps)
    for en, fr, p in zip(engs, fras, preds):
        translation = []
        for token in data.tgt_vocab.to_tokens(p):
            if token == '<eos>':
                break
            translation.append(token)
        print(f'{en} => {translation}, bleu,'
              f'{d2l.bleu(" ".join(translation), fr, k=2):.3f}')
    lines = capsys.readouterr().out.strip().split('\n')[-4:]
    assert [line.split(' => ')[0] for line in lines] == engs
    assert all(0 <= float(line.rsplit(',', 1)[1]) <= 1 for line in lines)
