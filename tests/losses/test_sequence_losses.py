"""Sequence losses, CTC: zero padding is the blank and does not count in the label length."""

from __future__ import annotations

import pytest
import torch

from kerastorch import losses
from tests.losses import _data
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
def test_ctc_counts_zero_padding_out_of_the_label_length_like_keras():
    keras = keras_or_skip()
    y_true, y_pred = _data.ctc((3, 8, 5))
    y_true[1] = [2, 0, 0]
    expected = keras.losses.CTC(reduction=None)(y_true, y_pred)
    actual = losses.CTC(reduction=None)(torch.as_tensor(y_true), torch.as_tensor(y_pred))
    assert_close(actual, expected, atol=1e-5)
