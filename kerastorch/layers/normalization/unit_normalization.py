"""`UnitNormalization`: scale each sample to unit L2 norm over `axis`.

Example:
    >>> import torch
    >>> UnitNormalization()(torch.tensor([[3.0, 4.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.layer import Layer

Tensor = torch.Tensor


class UnitNormalization(Layer):
    """`x / max(||x||_2, 1e-12)` over `axis` (an int or a list of ints), as Keras computes.

    Args:
        axis: the axis or axes to normalize across. Defaults to -1.

    Example:
        >>> import kerastorch as keras
        >>> UnitNormalization(axis=[1, 2])(keras.Input((3, 4))).shape
        (None, 3, 4)
    """

    def __init__(self, axis: int | list[int] = -1, **kwargs: Any):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis: int | list[int] = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                "Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                f"Received: axis={axis!r}"
            )
        self.supports_masking = True
        self.built = True  # no weights, as Keras's `_build_at_init`

    def call(self, inputs: Tensor) -> Tensor:
        dim = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        return F.normalize(inputs, p=2.0, dim=dim, eps=1e-12)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        rank = len(input_shape)
        for axis in axes:
            if axis >= rank or axis < -rank:
                raise ValueError(
                    f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}."
                )
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
