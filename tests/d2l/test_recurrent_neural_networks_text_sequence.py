"""Tests of the saved code of Section 9.2 (Vocab, TimeMachine's pipeline)."""
import pytest
import torch

from d2l import torch as d2l


# ------------------------------------------------------------------ Vocab
def test_vocab_numbers_tokens_alphabetically_after_specials():
    vocab = d2l.Vocab(['b', 'a', 'c', 'a'], reserved_tokens=['<pad>'])
    assert vocab.idx_to_token == ['<pad>', '<unk>', 'a', 'b', 'c']
    assert vocab.token_to_idx == {'<pad>': 0, '<unk>': 1, 'a': 2, 'b': 3,
                                  'c': 4}
    assert len(vocab) == 5 and vocab.unk == 1


def test_vocab_reserved_tokens_always_get_an_index():
    vocab = d2l.Vocab(['x'], min_freq=5,
                      reserved_tokens=['<pad>', '<bos>', '<eos>', '<unk>'])
    assert vocab.idx_to_token == ['<bos>', '<eos>', '<pad>', '<unk>']
    assert vocab['x'] == vocab.unk            # below min_freq
    assert vocab['<eos>'] == 1


def test_vocab_min_freq_keeps_tokens_at_the_threshold():
    tokens = list('aaabbc')
    assert d2l.Vocab(tokens, min_freq=2).idx_to_token == ['<unk>', 'a', 'b']
    assert d2l.Vocab(tokens, min_freq=3).idx_to_token == ['<unk>', 'a']
    assert d2l.Vocab(tokens, min_freq=4).idx_to_token == ['<unk>']
    for min_freq in (0, 1):
        assert len(d2l.Vocab(tokens, min_freq=min_freq)) == 4


def test_vocab_unknown_tokens_map_to_unk():
    vocab = d2l.Vocab(list('ab'))
    assert vocab.idx_to_token == ['<unk>', 'a', 'b']
    assert vocab['z'] == vocab.unk == 0
    assert vocab[['a', 'z', 'b']] == [1, 0, 2]
    assert vocab.to_tokens(vocab.unk) == '<unk>'


def test_vocab_round_trip_index_token():
    tokens = list('the time machine')
    vocab = d2l.Vocab(tokens)
    assert vocab.to_tokens(vocab[tokens]) == tokens
    for i in range(len(vocab)):
        assert vocab[vocab.to_tokens(i)] == i


def test_vocab_lookup_keeps_nesting_and_accepts_tensors():
    vocab = d2l.Vocab([['a', 'b'], ['b']])     # <unk> 0, a 1, b 2
    assert vocab[[['a'], ['b', 'a']]] == [[1], [2, 1]]
    assert vocab[('a', 'b')] == [1, 2]
    assert vocab.to_tokens(torch.tensor([2, 1])) == ['b', 'a']
    assert vocab.to_tokens(torch.tensor(2)) == 'b'
    assert vocab.to_tokens(torch.tensor([[1], [2]])) == [['a'], ['b']]
    assert vocab.to_tokens([1]) == ['a']      # a list answers with a list


def test_vocab_token_freqs_descending_ties_in_first_seen_order():
    vocab = d2l.Vocab(list('cbabxyzc'))
    assert vocab.token_freqs == [('c', 2), ('b', 2), ('a', 1), ('x', 1),
                                 ('y', 1), ('z', 1)]
    again = d2l.Vocab(list('cbabxyzc'))
    assert again.token_freqs == vocab.token_freqs   # deterministic
    # the same counts in another order of first appearance
    assert d2l.Vocab(list('zyxbabcc')).token_freqs[:2] == [('b', 2),
                                                           ('c', 2)]


def test_vocab_flattens_lines_and_keeps_low_freq_tokens_in_freqs():
    vocab = d2l.Vocab([['a', 'b'], ['a']], min_freq=2)
    assert vocab.token_freqs == [('a', 2), ('b', 1)]
    assert vocab.idx_to_token == ['<unk>', 'a']


def test_vocab_empty():
    vocab = d2l.Vocab()
    assert vocab.idx_to_token == ['<unk>'] and vocab.token_freqs == []
    assert vocab['anything'] == 0


def test_vocab_accepts_any_iterable_of_tokens():
    vocab = d2l.Vocab(iter('abca'))
    assert vocab.token_freqs[0] == ('a', 2)
    assert d2l.Vocab(list('ab'), min_freq=torch.tensor(1)).idx_to_token == [
        '<unk>', 'a', 'b']


def test_vocab_rejects_bad_input():
    with pytest.raises(TypeError, match='tokens must be a list.*got a str'):
        d2l.Vocab('abc')
    with pytest.raises(TypeError, match='reserved_tokens must be a list'):
        d2l.Vocab(['a'], reserved_tokens='<pad>')
    with pytest.raises(TypeError, match='mixes lists and single tokens'):
        d2l.Vocab([['a', 'b'], 'cd'])
    with pytest.raises(ValueError, match='min_freq must be an integer >= 0'):
        d2l.Vocab(['a'], min_freq=-1)
    with pytest.raises(TypeError, match='min_freq must be an integer'):
        d2l.Vocab(['a'], min_freq=1.5)


def test_vocab_to_tokens_rejects_bad_indices():
    vocab = d2l.Vocab(list('ab'))
    with pytest.raises(ValueError, match='index must be an integer <= 2, '
                                         'got 3'):
        vocab.to_tokens(3)
    with pytest.raises(ValueError, match='>= 0, got -1'):
        vocab.to_tokens([0, -1])
    with pytest.raises(TypeError, match='index must be an integer'):
        vocab.to_tokens('a')


# ------------------------------------------------------------ TimeMachine
def test_data_hub_registers_the_time_machine():
    url, sha1 = d2l.DATA_HUB['time_machine']
    assert url == d2l.DATA_URL + 'timemachine.txt'
    assert sha1 == '090b5e7e70c295757f55df93cb0a180b9691891a'


def _bare_time_machine():
    """A TimeMachine without running __init__ (only root is needed)."""
    data = d2l.TimeMachine.__new__(d2l.TimeMachine)
    d2l.DataModule.__init__(data)
    return data


def test_preprocess_keeps_lowercase_letters_and_single_spaces():
    data = _bare_time_machine()
    assert data._preprocess('The Time-Machine,\n\n 1895!  X') == (
        'the time machine x')
    assert data._preprocess('') == ''


def test_tokenize_gives_characters():
    data = _bare_time_machine()
    assert data._tokenize('ab c') == ['a', 'b', ' ', 'c']


def test_build_with_and_without_a_vocab():
    data = _bare_time_machine()
    corpus, vocab = data.build('Ab, ba!')     # -> 'ab ba ' (trailing space)
    assert vocab.idx_to_token == [' ', '<unk>', 'a', 'b']
    assert corpus == [2, 3, 0, 3, 2, 0]
    corpus2, vocab2 = data.build('cab', vocab)
    assert vocab2 is vocab and corpus2 == [1, 2, 3]


def test_build_rejects_non_text():
    with pytest.raises(TypeError, match='raw_text must be str'):
        _bare_time_machine().build(['a', 'b'])


def test_download_and_build_the_book(mirror):
    data = _bare_time_machine()
    raw = data._download()
    assert raw.startswith('The Time Machine, by H. G. Wells [1898]')
    corpus, vocab = data.build(raw)
    assert (len(corpus), len(vocab)) == (173428, 28)
    assert corpus[:10] == [21, 9, 6, 0, 21, 10, 14, 6, 0, 14]
    assert vocab.to_tokens(corpus[:4]) == ['t', 'h', 'e', ' ']


def test_to_tokens_accepts_numpy_indices():
    import numpy as np
    vocab = d2l.Vocab(list('abcdd'))
    assert vocab.to_tokens(np.array([1, 2])) == vocab.to_tokens([1, 2])
    assert vocab.to_tokens(np.int64(3)) == vocab.to_tokens(3)
    assert vocab.to_tokens(np.array(3)) == vocab.to_tokens(3)
