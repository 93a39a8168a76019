"""`Activation`: applies an activation function (a name such as `"relu"`, or a callable).

Example:
    >>> import torch
    >>> Activation("relu")(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import activations
from kerastorch.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to its input.

    Args:
        activation: an activation name (`"relu"`, `"softmax"`, ...) or a callable.
        **kwargs: base layer arguments.

    Input shape:
        Any. Output shape: same as the input.

    Example:
        >>> import kerastorch as keras
        >>> Activation("tanh")(keras.Input((3,))).shape
        (None, 3)
    """

    def __init__(self, activation: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
