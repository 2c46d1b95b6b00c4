"""Chapter 11 code written the way the published book does, run against our
package.

Each test is a reader's cell as it would be typed with the published package
(d2l 1.0.3) in mind: helpers called as ``d2l.name`` or after ``from d2l``
style local copies, shapes checked with ``d2l.check_shape``, attention
weights drawn with ``d2l.show_heatmaps``, a Bahdanau decoder and a
Transformer decoder block written on top of the saved classes. Only the
asserts are ours.
"""
import math

import matplotlib
import pytest
import torch
from torch import nn

from d2l import torch as d2l

matplotlib.use('Agg')


@pytest.fixture(autouse=True)
def close_figures():
    yield
    d2l.plt.close('all')


# --- 11.1 --------------------------------------------------------------------

def test_identity_heatmap():
    attention_weights = torch.eye(10).reshape((1, 1, 10, 10))
    d2l.show_heatmaps(attention_weights, xlabel='Keys', ylabel='Queries')
    assert len(d2l.plt.gcf().axes) == 2         # one panel, one colour bar


# --- 11.2 --------------------------------------------------------------------

def test_nadaraya_watson_in_published_style():
    def gaussian(x):
        return torch.exp(-x**2 / 2)

    def f(x):
        return 2 * torch.sin(x) + x

    n = 40
    x_train, _ = torch.sort(torch.rand(n) * 5)
    y_train = f(x_train) + torch.randn(n)
    x_val = torch.arange(0, 5, 0.1)

    def nadaraya_watson(x_train, y_train, x_val, kernel):
        dists = x_train.reshape((-1, 1)) - x_val.reshape((1, -1))
        k = kernel(dists).type(torch.float32)
        attention_w = k / k.sum(0)
        y_hat = y_train @ attention_w
        return y_hat, attention_w

    y_hat, attention_w = nadaraya_watson(x_train, y_train, x_val, gaussian)
    d2l.use_svg_display()
    fig, axes = d2l.plt.subplots(1, 1, figsize=(3, 3))
    pcm = axes.imshow(attention_w.detach().numpy(), cmap='Reds')
    fig.colorbar(pcm, ax=axes, shrink=0.7)
    d2l.show_heatmaps(attention_w.T.reshape(1, 1, 50, 40), 'Keys', 'Queries')
    assert y_hat.shape == (50,)


# --- 11.3 --------------------------------------------------------------------

def test_masked_softmax_cells():
    W = d2l.masked_softmax(torch.rand(2, 2, 4), torch.tensor([2, 3]))
    assert torch.all(W[0, :, 2:] == 0) and torch.all(W[1, :, 3:] == 0)
    W = d2l.masked_softmax(torch.rand(2, 2, 4), torch.tensor([[1, 3],
                                                              [2, 4]]))
    assert torch.equal(W[0, 0], torch.tensor([1.0, 0, 0, 0]))
    torch.testing.assert_close(W.sum(-1), torch.ones(2, 2))


def test_batch_matmul_cell():
    Q = torch.ones((2, 3, 4))
    K = torch.ones((2, 4, 6))
    d2l.check_shape(torch.bmm(Q, K), (2, 3, 6))


def test_dot_product_and_additive_attention_cells():
    queries = torch.normal(0, 1, (2, 1, 2))
    keys = torch.normal(0, 1, (2, 10, 2))
    values = torch.normal(0, 1, (2, 10, 4))
    valid_lens = torch.tensor([2, 6])

    attention = d2l.DotProductAttention(dropout=0.5)
    attention.eval()
    d2l.check_shape(attention(queries, keys, values, valid_lens), (2, 1, 4))
    d2l.show_heatmaps(attention.attention_weights.reshape((1, 1, 2, 10)),
                      xlabel='Keys', ylabel='Queries')
    assert torch.all(attention.attention_weights[0, :, 2:] == 0)

    queries = torch.normal(0, 1, (2, 1, 20))
    attention = d2l.AdditiveAttention(num_hiddens=8, dropout=0.1)
    attention.eval()
    d2l.check_shape(attention(queries, keys, values, valid_lens), (2, 1, 4))
    d2l.show_heatmaps(attention.attention_weights.reshape((1, 1, 2, 10)),
                      xlabel='Keys', ylabel='Queries')
    assert torch.all(attention.attention_weights[1, :, 6:] == 0)


# --- 11.4 --------------------------------------------------------------------

class AttnGRUDecoder(d2l.AttentionDecoder):
    """A Bahdanau decoder as a reader would write it on the saved classes."""
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers,
                 dropout=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.attention = d2l.AdditiveAttention(num_hiddens, dropout)
        self.dense = nn.LazyLinear(vocab_size)
        self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens,
                          num_layers, dropout=dropout)
        self.apply(d2l.init_seq2seq)

    def init_state(self, enc_outputs, enc_valid_lens):
        outputs, H = enc_outputs                 # (T, B, h), (L, B, h)
        return outputs.transpose(0, 1), H, enc_valid_lens

    def forward(self, X, state):
        memory, H, lens = state
        steps, self._attention_weights = [], []
        for emb in self.embedding(X).permute(1, 0, 2):   # one step: (B, e)
            ctx = self.attention(H[-1].unsqueeze(1), memory, memory, lens)
            inp = torch.cat((ctx, emb.unsqueeze(1)), dim=-1)
            y, H = self.rnn(inp.permute(1, 0, 2), H)
            steps.append(y)
            self._attention_weights.append(self.attention.attention_weights)
        logits = self.dense(torch.cat(steps, dim=0)).permute(1, 0, 2)
        return logits, [memory, H, lens]

    @property
    def attention_weights(self):
        return self._attention_weights


def test_bahdanau_decoder_shapes():
    V, E, Hd, L, B, T = 12, 6, 10, 2, 3, 5
    encoder = d2l.Seq2SeqEncoder(V, E, Hd, L)
    decoder = AttnGRUDecoder(V, E, Hd, L)
    X = torch.zeros((B, T), dtype=torch.long)
    output, state = decoder(X, decoder.init_state(encoder(X), None))
    d2l.check_shape(output, (B, T, V))
    d2l.check_shape(state[0], (B, T, Hd))
    d2l.check_shape(state[1][0], (B, Hd))
    valid = torch.tensor([3, 5, 1])              # with source valid lengths
    decoder(X, decoder.init_state(encoder(X), valid))
    assert len(decoder.attention_weights) == T
    assert torch.all(decoder.attention_weights[0][0, :, 3:] == 0)


# --- 11.5 and 11.6 -----------------------------------------------------------

def test_multihead_attention_cell():
    d, heads = 60, 3
    mha = d2l.MultiHeadAttention(d, heads, 0.5)
    queries = torch.ones((2, 4, d))
    kv = torch.ones((2, 7, d))
    d2l.check_shape(mha(queries, kv, kv, torch.tensor([5, 2])), (2, 4, d))
    assert mha.attention.attention_weights.shape == (6, 4, 7)


def test_self_attention_and_positional_encoding_cells():
    d, heads = 60, 3
    mha = d2l.MultiHeadAttention(d, heads, 0.5)
    X = torch.ones((2, 4, d))
    d2l.check_shape(mha(X, X, X, torch.tensor([1, 4])), (2, 4, d))

    width, T = 16, 40
    pe = d2l.PositionalEncoding(width, 0)
    out = pe(torch.zeros((1, T, width)))
    P = pe.P[:, :out.shape[1], :]
    d2l.plot(torch.arange(T), P[0, :, 4:8].T, xlabel='Row (position)',
             figsize=(6, 2.5), legend=["Col %d" % c for c in range(4, 8)])
    d2l.show_heatmaps(P[0].unsqueeze(0).unsqueeze(0),
                      xlabel='Column (encoding dimension)',
                      ylabel='Row (position)', figsize=(3.5, 4),
                      cmap='Blues')
    torch.testing.assert_close(P[0, 1, 0], torch.tensor(math.sin(1.0)))
    torch.testing.assert_close(out, P)           # zeros in, P out


# --- 11.7 --------------------------------------------------------------------

class DecoderBlock(nn.Module):
    """Block i of a Transformer decoder, written on the saved classes."""
    def __init__(self, num_hiddens, ffn_num_hiddens, num_heads, dropout, i):
        super().__init__()
        self.i = i
        self.self_attn = d2l.MultiHeadAttention(num_hiddens, num_heads,
                                                dropout)
        self.cross_attn = d2l.MultiHeadAttention(num_hiddens, num_heads,
                                                 dropout)
        self.norms = nn.ModuleList([d2l.AddNorm(num_hiddens, dropout)
                                    for _ in range(3)])
        self.ffn = d2l.PositionWiseFFN(ffn_num_hiddens, num_hiddens)

    def forward(self, X, state):
        cache = state[2]
        past = X if cache[self.i] is None else torch.cat(
            (cache[self.i], X), dim=1)
        cache[self.i] = past
        causal = None
        if self.training:                        # query t sees keys 1..t
            B, T, _ = X.shape
            causal = torch.arange(1, T + 1, device=X.device).repeat(B, 1)
        Y = self.norms[0](X, self.self_attn(X, past, past, causal))
        Z = self.norms[1](Y, self.cross_attn(Y, state[0], state[0],
                                             state[1]))
        return self.norms[2](Z, self.ffn(Z)), state


def test_transformer_building_blocks():
    ffn = d2l.PositionWiseFFN(4, 8)
    ffn.eval()
    assert ffn(torch.ones((2, 3, 4)))[0].shape == (3, 8)
    add_norm = d2l.AddNorm(4, 0.5)
    shape = (2, 3, 4)
    d2l.check_shape(add_norm(torch.ones(shape), torch.ones(shape)), shape)


def test_transformer_encoder_and_decoder_block_shapes():
    X = torch.ones((2, 100, 24))
    valid_lens = torch.tensor([3, 2])
    encoder_blk = d2l.TransformerEncoderBlock(24, 48, 8, 0.5)
    encoder_blk.eval()
    d2l.check_shape(encoder_blk(X, valid_lens), X.shape)

    encoder = d2l.TransformerEncoder(200, 24, 48, 8, 2, 0.5)
    d2l.check_shape(encoder(torch.ones((2, 100), dtype=torch.long),
                            valid_lens), (2, 100, 24))
    assert len(encoder.attention_weights) == 2

    num_blks, num_heads, num_steps = 2, 4, 10
    encoder = d2l.TransformerEncoder(200, 24, 48, num_heads, num_blks, 0.2)
    encoder.eval()
    encoder(torch.ones((1, num_steps), dtype=torch.long), torch.tensor([6]))
    enc_attention_weights = torch.cat(encoder.attention_weights, 0).reshape(
        (num_blks, num_heads, -1, num_steps))
    d2l.check_shape(enc_attention_weights,
                    (num_blks, num_heads, num_steps, num_steps))
    d2l.show_heatmaps(
        enc_attention_weights.cpu(), xlabel='Key positions',
        ylabel='Query positions',
        titles=['Head %d' % i for i in range(1, 5)], figsize=(7, 3.5))
    assert torch.all(enc_attention_weights[..., 6:] == 0)

    decoder_blk = DecoderBlock(24, 48, 8, 0.5, 0)
    state = [encoder_blk(X, valid_lens), valid_lens, [None]]
    d2l.check_shape(decoder_blk(X, state)[0], X.shape)


def test_bert_style_float_valid_lens():
    blk = d2l.TransformerEncoderBlock(24, 48, 4, 0.2)
    blk.eval()
    X = torch.randn(2, 8, 24)
    out_f = blk(X, torch.tensor([5.0, 8.0]))          # lengths as float32
    out_i = blk(X, torch.tensor([5, 8]))
    torch.testing.assert_close(out_f, out_i)
