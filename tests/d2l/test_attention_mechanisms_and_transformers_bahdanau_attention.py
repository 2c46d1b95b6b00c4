"""Tests of Section 11.4: the AttentionDecoder interface."""
import pytest
import torch

from d2l import torch as d2l


def test_attention_decoder_is_an_abstract_decoder():
    dec = d2l.AttentionDecoder()
    assert isinstance(dec, d2l.Decoder)
    with pytest.raises(NotImplementedError, match='AttentionDecoder must '
                                                  'define the attention_weights'):
        dec.attention_weights
    with pytest.raises(NotImplementedError):
        dec.init_state(None)


def test_subclass_provides_the_weights():
    class Fixed(d2l.AttentionDecoder):
        @property
        def attention_weights(self):
            return [torch.ones(1, 1, 3) / 3]
    assert Fixed().attention_weights[0].shape == (1, 1, 3)

    class Forgetful(d2l.AttentionDecoder):
        pass
    with pytest.raises(NotImplementedError, match='Forgetful must define'):
        Forgetful().attention_weights
