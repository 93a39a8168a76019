"""`ELU`: exponential linear unit, `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

Example:
    >>> import torch
    >>> ELU()(torch.tensor([0.0, 2.0]))
    tensor([0., 2.])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import activations
from kerastorch.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit.

    Args:
        alpha: scale of the negative part. Defaults to `1.0`.
        **kwargs: base layer arguments.

    Input shape:
        Any. Output shape: same as the input.

    Example:
        >>> import torch
        >>> ELU(alpha=2.0)(torch.tensor([-100.0])).item()
        -2.0
    """

    def __init__(self, alpha: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        # Keras's ELU has no get_config of its own: its auto-config records `alpha`.
        return {**super().get_config(), "alpha": self.alpha}
