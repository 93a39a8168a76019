"""Hinge losses: labels outside {0, 1} are kept as they are, as in Keras."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch import losses
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
def test_hinge_keeps_non_binary_labels_like_keras():
    keras = keras_or_skip()
    y_true = np.array([[0.0, 2.0], [1.0, -1.0]], dtype="float32")  # not all in {0, 1}
    y_pred = np.array([[0.3, -0.4], [0.8, 0.1]], dtype="float32")
    for name in ["hinge", "squared_hinge"]:
        expected = getattr(keras.losses, name)(y_true, y_pred)
        assert_close(
            getattr(losses, name)(torch.as_tensor(y_true), torch.as_tensor(y_pred)),
            expected,
            atol=1e-6,
        )
