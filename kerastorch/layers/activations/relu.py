"""`ReLU`: the rectified linear unit as a layer, with Keras's slope, ceiling and threshold.

Example:
    >>> import torch
    >>> ReLU(max_value=1.0)(torch.tensor([-1.0, 0.5, 3.0]))
    tensor([0.0000, 0.5000, 1.0000])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import activations
from kerastorch.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit.

    `f(x) = max_value` for `x >= max_value`, `x` for `threshold <= x < max_value`, and
    `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: float >= 0, the largest output (`None`: unbounded).
        negative_slope: float >= 0, the slope below the threshold. Defaults to `0.0`.
        threshold: float >= 0, the threshold below which values are damped.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        Any. Output shape: same as the input.

    Example:
        >>> import torch
        >>> ReLU(negative_slope=0.5)(torch.tensor([-2.0, 2.0]))
        tensor([-1.,  2.])
    """

    def __init__(
        self,
        max_value: float | None = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                "max_value of a ReLU layer cannot be a negative value. "
                f"Received: max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "negative_slope of a ReLU layer cannot be None or a negative value. "
                f"Received: negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                "threshold of a ReLU layer cannot be None or a negative value. "
                f"Received: threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }
