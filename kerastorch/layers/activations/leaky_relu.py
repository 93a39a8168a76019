"""`LeakyReLU`: `x` for `x >= 0`, `negative_slope * x` otherwise (Keras 3 default slope 0.3).

Example:
    >>> import torch
    >>> LeakyReLU()(torch.tensor([-10.0, 2.0]))
    tensor([-3.,  2.])
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky rectified linear unit, on torch's `F.leaky_relu` kernel.

    Args:
        negative_slope: float >= 0, the slope for negative inputs. Defaults to `0.3`.
        **kwargs: base layer arguments. `alpha=` (the tf.keras name of `negative_slope`)
            is accepted with a deprecation warning, as Keras 3 does.

    Input shape:
        Any. Output shape: same as the input.

    Example:
        >>> import torch
        >>> LeakyReLU(negative_slope=0.5)(torch.tensor([-2.0, 2.0]))
        tensor([-1.,  2.])
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn(
                "Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2
            )
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative "
                f"value. Expected a float. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}
