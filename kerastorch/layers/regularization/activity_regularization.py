"""`ActivityRegularization`: an identity layer that adds an L1/L2 penalty on its inputs.

Example:
    >>> import torch
    >>> layer = ActivityRegularization(l1=0.1)
    >>> _ = layer(torch.ones(4, 3))
    >>> [round(float(loss), 4) for loss in layer.losses]  # 0.1 * 12 / batch of 4
    [0.3]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.layer import Layer
from kerastorch.regularizers import L1L2


class ActivityRegularization(Layer):
    """Returns its inputs unchanged, and adds `l1 * sum(|x|) + l2 * sum(x^2)` to `losses`.

    As in Keras 3, the penalty of each call is divided by the batch size (the size of the
    inputs' first axis); it is added whether or not the call is in training.

    Args:
        l1: L1 regularization factor (positive float).
        l2: L2 regularization factor (positive float).
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> ActivityRegularization(l2=0.01)(keras.Input((8,))).shape
        (None, 8)
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any):
        super().__init__(activity_regularizer=L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
