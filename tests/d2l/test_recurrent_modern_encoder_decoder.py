"""Tests of Section 10.6: d2l.Encoder, d2l.Decoder, d2l.EncoderDecoder."""
import pytest
import torch
from torch import nn

from d2l import torch as d2l


class SumEncoder(d2l.Encoder):
    def forward(self, X, *args):
        self.args = args
        return X.float().sum(1, keepdim=True)            # (B, 1)


class ShiftDecoder(d2l.Decoder):
    def __init__(self, vocab_size):
        super().__init__()
        self.vocab_size = vocab_size

    def init_state(self, enc_all_outputs, *args):
        self.args = args
        return enc_all_outputs

    def forward(self, X, state):                        # (B, T) -> (B, T, V)
        scores = nn.functional.one_hot(X % self.vocab_size,
                                       self.vocab_size).float()
        return scores + state[:, :, None], state + 1


def test_base_classes_are_abstract():
    with pytest.raises(NotImplementedError):
        d2l.Encoder()(torch.zeros(1, 2))
    with pytest.raises(NotImplementedError):
        d2l.Decoder().init_state(None)
    with pytest.raises(NotImplementedError):
        d2l.Decoder()(torch.zeros(1, 2), None)


def test_forward_passes_extra_args_and_returns_decoder_output_only():
    enc, dec = SumEncoder(), ShiftDecoder(5)
    model = d2l.EncoderDecoder(enc, dec)
    X = torch.tensor([[1, 2], [3, 4]])
    valid_len = torch.tensor([2, 1])
    Y = model(X, torch.tensor([[0, 1, 2], [4, 3, 2]]), valid_len)
    assert Y.shape == (2, 3, 5)
    assert enc.args[0] is valid_len and dec.args[0] is valid_len
    assert Y[0, 0].tolist() == [4.0, 3, 3, 3, 3]       # one-hot + state 3
    assert Y[1, 2].tolist() == [7.0, 7, 8, 7, 7]       # one-hot + state 7


def test_loss_and_accuracy_come_from_the_classifier():
    model = d2l.EncoderDecoder(SumEncoder(), ShiftDecoder(4))
    assert isinstance(model, d2l.Classifier)
    Y_hat = torch.zeros(2, 3, 4)
    Y_hat[..., 1] = 10.0
    Y = torch.tensor([[1, 1, 1], [1, 0, 1]])
    assert model.accuracy(Y_hat, Y).item() == pytest.approx(5 / 6)
    assert model.loss(Y_hat, Y).shape == ()
    assert model.loss(Y_hat, Y, averaged=False).shape == (6,)


def test_encoder_decoder_rejects_non_modules():
    with pytest.raises(TypeError, match='encoder must be'):
        d2l.EncoderDecoder(lambda X: X, ShiftDecoder(3))
    with pytest.raises(TypeError, match='decoder must be'):
        d2l.EncoderDecoder(SumEncoder(), 'decoder')


def test_submodules_are_registered():
    model = d2l.EncoderDecoder(nn.Linear(2, 2), nn.Linear(2, 3))
    assert sum(p.numel() for p in model.parameters()) == 6 + 9
