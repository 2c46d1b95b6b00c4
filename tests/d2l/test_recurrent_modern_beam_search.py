"""Tests of Section 10.8: d2l.beam_search."""
import itertools
import math

import pytest
import torch
from torch.nn import functional as F

from d2l import torch as d2l

EOS = 3


def table_step(table, default=(0.01, 0.01, 0.01, 0.97)):
    """A decoder given as prefix -> next-token probabilities; counts calls."""
    calls = []

    def step(token, prefix):
        calls.append(prefix)
        prefix = prefix + (token,) if token != 'bos' else prefix
        return torch.log(torch.tensor(table.get(prefix, default))), prefix
    return step, calls


TOY = {(): [0.45, 0.30, 0.20, 0.05], (0,): [0.10, 0.40, 0.35, 0.15],
       (1,): [0.20, 0.20, 0.20, 0.40], (2,): [0.30, 0.30, 0.30, 0.10],
       (0, 1): [0.15, 0.20, 0.35, 0.30],
       (0, 2): [0.05, 0.10, 0.05, 0.80], (0, 1, 2): [0.2, 0.2, 0.1, 0.5]}


def test_beam_one_is_greedy_and_beam_two_finds_the_better_path():
    step, calls = table_step(TOY)
    seq, logp = d2l.beam_search(step, (), 'bos', EOS, 4, 1)
    assert seq == [0, 1, 2, EOS]
    assert math.exp(logp) == pytest.approx(0.45 * 0.40 * 0.35 * 0.5)
    assert len(calls) == 4
    step, calls = table_step(TOY)
    seq, logp = d2l.beam_search(step, (), 'bos', EOS, 4, 2)
    assert seq == [0, 2, EOS]
    assert math.exp(logp) == pytest.approx(0.45 * 0.35 * 0.8)
    assert len(calls) <= 2 * 4
    assert exhaustive(TOY_FULL, 4, 4)[0] == [0, 2, EOS]   # the optimum


def exhaustive(table, vocab, max_len):
    best = None
    for n in range(1, max_len + 1):
        for seq in itertools.product(range(vocab), repeat=n):
            if EOS in seq[:-1] or (n < max_len and seq[-1] != EOS):
                continue
            logp = sum(math.log(table[seq[:i]][t]) for i, t in
                       enumerate(seq))
            if best is None or logp > best[1]:
                best = (list(seq), logp)
    return best


TOY_FULL = {p: TOY.get(p, [0.01, 0.01, 0.01, 0.97])
            for n in range(4) for p in itertools.product(range(4), repeat=n)}


def test_a_beam_holding_every_prefix_is_exhaustive():
    gen = torch.Generator().manual_seed(0)
    for _ in range(10):
        table = {}
        for n in range(4):
            for prefix in itertools.product(range(4), repeat=n):
                table[prefix] = torch.softmax(
                    3 * torch.randn(4, generator=gen), 0).tolist()
        step, _ = table_step(table)
        seq, logp = d2l.beam_search(step, (), 'bos', EOS, 4, 64, alpha=0)
        best_seq, best_logp = exhaustive(table, 4, 4)
        assert logp == pytest.approx(best_logp)
        assert seq == best_seq


def test_length_normalization_can_prefer_the_longer_output():
    # <eos> at once (0.4), or five tokens and <eos> (0.6 * 0.8**4 = 0.246)
    table = {(): [0.6, 0.0, 0.0, 0.4]}
    for n in range(1, 6):
        table[(0,) * n] = [0.8, 0.0, 0.0, 0.2] if n < 5 else [0, 0, 0, 1.0]

    def step(token, prefix):
        prefix = prefix + (token,) if token != 'bos' else prefix
        probs = torch.tensor(table.get(prefix, [0.25] * 4))
        return torch.log(probs.clamp(min=1e-12)), prefix
    short, _ = d2l.beam_search(step, (), 'bos', EOS, 8, 2, alpha=0)
    long, _ = d2l.beam_search(step, (), 'bos', EOS, 8, 2, alpha=1)
    assert short == [EOS]
    assert long == [0, 0, 0, 0, 0, EOS]


def test_beam_one_equals_predict_step_on_a_seq2seq_model():
    torch.manual_seed(0)
    V = 12
    model = d2l.Seq2Seq(d2l.Seq2SeqEncoder(V, 8, 16, 2),
                        d2l.Seq2SeqDecoder(V, 8, 16, 2), tgt_pad=0, lr=0.1)
    model.eval()
    src = torch.randint(1, V, (5, 6))
    bos = torch.full((5, 6), 2)
    preds, _ = model.predict_step((src, bos, torch.full((5,), 6), bos),
                                  'cpu', num_steps=7)
    eos = int(preds[0, 2])                      # an eos some rows emit
    for i in range(5):
        with torch.no_grad():
            state = model.decoder.init_state(model.encoder(src[i:i + 1]))

            def step(token, state):
                Y, state = model.decoder(torch.tensor([[token]]), state)
                return F.log_softmax(Y[0, 0], -1), state
            seq, _ = d2l.beam_search(step, state, 2, eos, 7, 1)
        greedy = preds[i].tolist()
        if eos in greedy:
            greedy = greedy[:greedy.index(eos) + 1]
        assert seq == greedy


def test_beam_search_rejects_bad_arguments():
    step, _ = table_step(TOY)
    with pytest.raises(ValueError, match='beam_size must be an integer >= 1'):
        d2l.beam_search(step, (), 'bos', EOS, 4, 0)
    with pytest.raises(ValueError, match='max_len must be an integer >= 1'):
        d2l.beam_search(step, (), 'bos', EOS, 0, 2)
    with pytest.raises(ValueError, match='alpha must be a number >= 0'):
        d2l.beam_search(step, (), 'bos', EOS, 4, 2, alpha=-1)
