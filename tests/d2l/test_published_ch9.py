"""Chapter 9 (Sections 9.2-9.3) code written the way the published book does.

Each test is a reader's cell as it would be typed with the published package
in mind (``from d2l import torch as d2l``, 1.0.3): a ``TimeMachine`` built
step by step with ``add_to_class``, ``d2l.download`` called with a URL and a
SHA-1, list comprehensions over the vocabulary, ``'--'``-joined bigrams,
``print`` of a first minibatch, and later chapters' uses of ``Vocab``. The
code runs unchanged against our package; only the asserts are ours. Where a
reader's cell would change a package class (``add_to_class(d2l.TimeMachine)``)
it changes a subclass instead, so the other tests see the package as it is.
"""
import collections
import re

import matplotlib
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')


# --- 9.2: the data module built one method at a time ------------------------

class TimeMachine(d2l.DataModule):
    """A reader's copy of the book's data module."""
    def _download(self):
        path = d2l.download(d2l.DATA_URL + 'timemachine.txt', self.root,
                            '090b5e7e70c295757f55df93cb0a180b9691891a')
        with open(path) as f:
            return f.read()


@d2l.add_to_class(TimeMachine)
def _preprocess(self, text):
    return re.sub('[^A-Za-z]+', ' ', text).lower()


@d2l.add_to_class(TimeMachine)
def _tokenize(self, text):
    return list(text)


@d2l.add_to_class(TimeMachine)
def build(self, raw_text, vocab=None):
    tokens = self._tokenize(self._preprocess(raw_text))
    if vocab is None: vocab = d2l.Vocab(tokens)
    corpus = [vocab[token] for token in tokens]
    return corpus, vocab


def test_text_pipeline_in_published_style(mirror, capsys):
    data = TimeMachine()
    raw_text = data._download()
    assert raw_text[:60].startswith('The Time Machine, by H. G. Wells')
    text = data._preprocess(raw_text)
    assert text[:60] == ('the time machine by h g wells i the time '
                         'traveller for so it')
    tokens = data._tokenize(text)
    assert ','.join(tokens[:30]).startswith('t,h,e, ,t,i,m,e')
    vocab = d2l.Vocab(tokens)
    indices = vocab[tokens[:10]]
    print('indices:', indices)
    print('words:', vocab.to_tokens(indices))
    out = capsys.readouterr().out
    assert 'indices: [21, 9, 6, 0, 21, 10, 14, 6, 0, 14]' in out
    assert "words: ['t', 'h', 'e', ' ', 't', 'i', 'm', 'e', ' ', 'm']" in out
    corpus, vocab = data.build(raw_text)
    assert (len(corpus), len(vocab)) == (173428, 28)


def test_word_statistics_in_published_style(mirror):
    data = TimeMachine()
    words = data._preprocess(data._download()).split()
    vocab = d2l.Vocab(words)
    assert vocab.token_freqs[:3] == [('the', 2261), ('i', 1267),
                                     ('and', 1245)]
    freqs = [freq for token, freq in vocab.token_freqs]
    d2l.plot(freqs, xlabel='token: x', ylabel='frequency: n(x)',
             xscale='log', yscale='log')
    bigram_tokens = ['--'.join(pair) for pair in zip(words[:-1], words[1:])]
    bigram_vocab = d2l.Vocab(bigram_tokens)
    assert bigram_vocab.token_freqs[:2] == [('of--the', 309),
                                            ('in--the', 169)]
    trigram_tokens = ['--'.join(triple) for triple in zip(
        words[:-2], words[1:-1], words[2:])]
    trigram_vocab = d2l.Vocab(trigram_tokens)
    assert trigram_vocab.token_freqs[4:6] == [('it--was--a', 15),
                                              ('here--and--there', 15)]
    curves = [freqs] + [[f for _, f in v.token_freqs]
                        for v in (bigram_vocab, trigram_vocab)]
    d2l.plot(curves, xlabel='token: x', ylabel='frequency: n(x)',
             xscale='log', yscale='log', legend=['1-gram', '2-gram', '3-gram'])
    d2l.plt.close('all')


# --- 9.3: windows and loaders, as the published book adds them -------------

class ReaderTimeMachine(d2l.TimeMachine):
    """Stands in for d2l.TimeMachine in a reader's add_to_class cells."""


@d2l.add_to_class(ReaderTimeMachine)
def __init__(self, batch_size, num_steps, num_train=10000, num_val=5000):
    super(d2l.TimeMachine, self).__init__()
    self.save_hyperparameters()
    text = self._download()
    corpus, self.vocab = self.build(text)
    rows = [corpus[i:i+num_steps+1] for i in range(len(corpus)-num_steps)]
    array = torch.tensor(rows)
    self.X, self.Y = array[:,:-1], array[:,1:]


@d2l.add_to_class(ReaderTimeMachine)
def get_dataloader(self, train):
    if train:
        idx = slice(0, self.num_train)
    else:
        idx = slice(self.num_train, self.num_train + self.num_val)
    return self.get_tensorloader([self.X, self.Y], train, idx)


def test_reader_windows_match_the_package(mirror):
    reader = ReaderTimeMachine(batch_size=2, num_steps=10)
    ours = d2l.TimeMachine(batch_size=2, num_steps=10)
    assert torch.equal(reader.X, ours.X) and torch.equal(reader.Y, ours.Y)
    assert reader.vocab.idx_to_token == ours.vocab.idx_to_token


def test_first_minibatch_in_published_style(mirror, capsys):
    data = d2l.TimeMachine(batch_size=2, num_steps=10)
    for X, Y in data.train_dataloader():
        print('X:', X, '\nY:', Y)
        break
    assert X.shape == Y.shape == (2, 10)
    assert torch.equal(X[:, 1:], Y[:, :-1])
    assert 'X: tensor(' in capsys.readouterr().out


def test_later_chapters_uses_of_the_data_and_vocab(mirror):
    # 9.5/9.6: the language-model data and its vocabulary
    data = d2l.TimeMachine(batch_size=1024, num_steps=32)
    assert len(data.vocab) == 28
    prefix = 'it has'
    outputs = [data.vocab[prefix[0]]]
    for y in prefix[1:]:
        outputs.append(data.vocab[y])
    assert ''.join([data.vocab.idx_to_token[i] for i in outputs]) == prefix
    # 10.5: one vocabulary per language with reserved tokens
    src = [['go', '.'], ['hi', '.'], ['run', '!'], ['go', '.']]
    src_vocab = d2l.Vocab(src, min_freq=2,
                          reserved_tokens=['<pad>', '<bos>', '<eos>'])
    assert src_vocab.idx_to_token == ['.', '<bos>', '<eos>', '<pad>',
                                      '<unk>', 'go']
    assert src_vocab['<pad>'] == 3 and src_vocab['run'] == src_vocab.unk
    translation = []
    for token in src_vocab.to_tokens(torch.tensor([5, 0, 2, 3])):
        if token == '<eos>':
            break
        translation.append(token)
    assert translation == ['go', '.']
    # 15.x: counting with the vocabulary's own tables
    counter = collections.Counter([tk for line in src for tk in line])
    assert {src_vocab.idx_to_token[src_vocab.token_to_idx[t]]
            for t in ('go', '.')} == {'go', '.'}
    assert counter['go'] == dict(src_vocab.token_freqs)['go'] == 2


# --- 9.1: one-step predictions drawn next to the labels ----------------------

def test_plot_takes_a_tensor_column_and_a_numpy_column_together():
    """9.1 plots labels (a (n, 1) tensor) with predictions converted by
    ``.detach().numpy()`` (a (n, 1) array) against a 1-D time axis."""
    import matplotlib.pyplot as plt
    time = torch.arange(1, 61, dtype=torch.float32)
    series = torch.sin(0.1 * time)
    lagged = torch.stack([series[i: i + 56] for i in range(4)], 1)  # (56, 4)
    labels = series[4:].reshape(-1, 1)                                # (56, 1)
    net = torch.nn.Linear(4, 1)
    preds = net(lagged).detach().numpy()                              # (56, 1)
    d2l.plot(time[4:], [labels, preds], 'time', 'x',
             legend=['labels', '1-step preds'], figsize=(6, 3))
    lines = plt.gca().get_lines()
    assert len(lines) == 2
    assert lines[0].get_ydata().tolist() == labels.flatten().tolist()
    assert lines[1].get_ydata() == pytest.approx(preds.flatten().tolist())
    plt.close('all')
