"""Tests of Section 10.5: d2l.MTFraEng and d2l.show_list_len_pair_hist."""
import matplotlib
import pytest
import torch

from d2l import torch as d2l

matplotlib.use('Agg')


def bare():
    """An MTFraEng without data, to test the text methods on their own."""
    data = d2l.MTFraEng.__new__(d2l.MTFraEng)
    data.num_steps, data.num_train, data.num_val = 5, 2, 1
    return data


@pytest.fixture(scope='module')
def data(mirror):
    return d2l.MTFraEng(batch_size=4)


def test_preprocess_spaces_case_and_punctuation():
    text = 'Go.\tVa\u202f!\nHi, Tom!\tSalut\xa0, Tom !\nWhat?!\tQuoi ?!'
    assert bare()._preprocess(text) == (
        'go .\tva !\nhi , tom !\tsalut , tom !\nwhat ? !\tquoi ? !')
    assert bare()._preprocess('.start') == '.start'   # nothing before it


def test_tokenize_appends_eos_and_skips_bad_lines():
    text = 'go .\tva !\nno tab here\nhi .\tsalut !\tCC-BY attribution\n'
    src, tgt = bare()._tokenize(text)
    assert src == [['go', '.', '<eos>'], ['hi', '.', '<eos>']]
    assert tgt == [['va', '!', '<eos>'], ['salut', '!', '<eos>']]


def test_tokenize_keeps_exactly_max_examples_pairs():
    text = '\n'.join(f'a{i}\tb{i}' for i in range(10))
    for n in (0, 1, 3, 10, 20):
        src, tgt = bare()._tokenize(text, max_examples=n)
        assert len(src) == len(tgt) == min(n, 10)


def test_tokenize_rejects_a_bad_max_examples():
    with pytest.raises(ValueError, match='max_examples must be an integer '
                                         '>= 0, got -1'):
        bare()._tokenize('a\tb', max_examples=-1)
    with pytest.raises(TypeError, match='max_examples must be an integer'):
        bare()._tokenize('a\tb', max_examples=2.5)


def test_build_arrays_pads_trims_and_shifts():
    text = 'a b .\tx y .\na .\tx .\na b c d e f\tx y z u v w\nb .\ty .'
    data = bare()
    data.num_train, data.num_val = 3, 1
    (src, dec, src_len, label), sv, tv = data._build_arrays(text)
    assert src.shape == dec.shape == label.shape == (4, 5)
    assert torch.equal(dec[:, 1:], label[:, :-1])     # shifted by one step
    assert (dec[:, 0] == tv['<bos>']).all()
    assert torch.equal(src_len, (src != sv['<pad>']).sum(1))
    assert src_len.tolist() == [4, 3, 5, 3]           # the 6-token row is cut
    assert sv.to_tokens(src[1]) == ['a', '.', '<eos>', '<pad>', '<pad>']
    assert sv.to_tokens(src[2]) == ['a', 'b', '<unk>', '<unk>', '<unk>']
    assert tv.to_tokens(label[2]) == ['x', 'y', '<unk>', '<unk>',
                                      '<unk>']        # cut: no <eos>
    for vocab in (sv, tv):
        assert {'<eos>', '<pad>', '<unk>'} <= set(vocab.idx_to_token)
    assert '<bos>' in tv.idx_to_token and '<bos>' not in sv.idx_to_token


def test_constructor_checks_sizes_before_reading_data():
    with pytest.raises(ValueError, match='batch_size must be an integer >= '
                                         '1, got 0'):
        d2l.MTFraEng(batch_size=0)
    with pytest.raises(TypeError, match='num_steps must be an integer'):
        d2l.MTFraEng(batch_size=2, num_steps=9.0)


def test_dataset_shapes_and_splits(data):
    src, dec, src_len, label = data.arrays
    assert [tuple(a.shape) for a in data.arrays] == [(640, 9), (640, 9),
                                                     (640,), (640, 9)]
    assert src.dtype == dec.dtype == label.dtype == torch.int64
    assert torch.equal(src_len, (src != data.src_vocab['<pad>']).sum(1))
    assert torch.equal(dec[:, 1:], label[:, :-1])
    assert (dec[:, 0] == data.tgt_vocab['<bos>']).all()
    assert (len(data.src_vocab), len(data.tgt_vocab)) == (194, 213)
    assert data.src_vocab[['<eos>', '<pad>']] == [3, 4]
    assert data.tgt_vocab[['<bos>', '<eos>', '<pad>']] == [3, 4, 5]
    train = data.train_dataloader()
    val = data.val_dataloader()
    assert sum(len(b[0]) for b in train) == 512
    assert sum(len(b[0]) for b in val) == 128
    assert len(next(iter(train))) == 4


def test_first_pairs_of_the_file(data):
    src = data.src_vocab.to_tokens(data.arrays[0][0])
    label = data.tgt_vocab.to_tokens(data.arrays[3][0])
    assert src[:3] == ['go', '.', '<eos>']
    assert label[:3] == ['va', '!', '<eos>']


def test_build_encodes_new_pairs_with_the_same_vocabs(data):
    src, dec, src_len, label = data.build(['Hi!', 'hi .'],
                                          ['Salut !', 'salut .'])
    assert data.src_vocab.to_tokens(src[0]) == (
        ['hi', '!', '<eos>'] + ['<pad>'] * 6)
    assert src_len.tolist() == [3, 3]
    assert data.tgt_vocab.to_tokens(dec[1])[:4] == ['<bos>', 'salut', '.',
                                                    '<eos>']
    many = data.build(['go .'] * 700, ['va !'] * 700)
    assert len(many[0]) == 700          # new pairs are not cut at 640


def test_build_rejects_bad_sentences(data):
    with pytest.raises(ValueError, match='expected as many targets as '
                                         'sources, got 1 and 2'):
        data.build(['a', 'b'], ['x'])
    with pytest.raises(ValueError, match='without tabs'):
        data.build(['a\tb'], ['x'])
    with pytest.raises(TypeError, match='src_sentences'):
        data.build('go .', 'va !')


def test_show_list_len_pair_hist_hatches_the_second_series():
    d2l.plt.close('all')
    d2l.show_list_len_pair_hist(['source', 'target'], 'x', 'y',
                                [[1, 2], [1]], [[1, 2, 3], [1, 2]])
    ax = d2l.plt.gca()
    hatches = {p.get_hatch() for p in ax.patches}
    assert '//' in hatches and None in hatches
    assert ax.get_xlabel() == 'x'
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        'source', 'target']
    d2l.plt.close('all')


def test_raw_validation_targets_are_the_labels_before_the_vocabulary(data):
    """10.7/10.8 score BLEU against the file's target sentences, tokenised by
    _preprocess/_tokenize: through the vocabulary and cut/padded to num_steps
    they give exactly the label rows, so the only difference is <unk>."""
    _, tgt = data._tokenize(data._preprocess(data._download()),
                            data.num_train + data.num_val)
    rows = slice(data.num_train, data.num_train + data.num_val)
    T, vocab = data.num_steps, data.tgt_vocab
    raw = tgt[rows]
    assert len(raw) == data.num_val
    assert all(seq[-1] == '<eos>' and '<unk>' not in seq for seq in raw)
    padded = [seq[:T] + ['<pad>'] * (T - len(seq[:T])) for seq in raw]
    assert torch.equal(torch.tensor(vocab[padded]), data.arrays[-1][rows])
    assert any(vocab[w] == vocab.unk for seq in raw for w in seq)
