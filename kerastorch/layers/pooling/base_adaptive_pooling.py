"""`BaseAdaptivePooling`: pooling to a fixed spatial output size, whatever the input size.

Each output position `i` of a spatial axis of length `L` pools the input window
`[floor(i * L / n), ceil((i + 1) * L / n))` (`n` the output size): torch's adaptive pooling
windows, which are also those of Keras on every backend, so sizes that do not divide the
input give Keras's numbers. Concrete classes live in `adaptive_average_pooling.py` and
`adaptive_max_pooling.py`.

Example:
    >>> import torch
    >>> from kerastorch.layers.pooling.adaptive_average_pooling import AdaptiveAveragePooling1D
    >>> x = torch.arange(5.0).reshape(1, 5, 1)
    >>> AdaptiveAveragePooling1D(2)(x).flatten().tolist()  # windows [0, 3) and [2, 5)
    [1.0, 3.0]
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch

from kerastorch import config
from kerastorch.layers.layer import Layer

Shape = tuple[int | None, ...]

# Keras's wording of the expected `output_size`, per spatial rank.
_SIZE_NAMES = {
    1: "tuple of 1 integer",
    2: "(height, width) tuple",
    3: "(depth, height, width) tuple",
}


class BaseAdaptivePooling(Layer):
    """Adaptive pooling of spatial rank `_rank`; subclasses set `_rank` and `_pool_op`.

    Args:
        output_size: int (the same size on every spatial axis) or a tuple of `_rank` ints.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
    """

    _rank: ClassVar[int]
    _pool_op: ClassVar[Any]

    def __init__(self, output_size: int | tuple[int, ...], data_format: str | None = None,
                 **kwargs: Any):  # fmt: skip
        self.output_size = _output_size_tuple(output_size, self._rank)
        super().__init__(**kwargs)
        self.data_format = data_format or config.image_data_format()
        if self.data_format not in {"channels_first", "channels_last"}:
            raise ValueError(
                f"Invalid data_format: {self.data_format}. "
                "Expected 'channels_first' or 'channels_last'."
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return type(self)._pool_op(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "output_size": self.output_size,
            "data_format": self.data_format,
        }


def _output_size_tuple(output_size: Any, rank: int) -> tuple[int, ...]:
    if isinstance(output_size, int):
        return (output_size,) * rank
    if isinstance(output_size, (tuple, list)):
        if len(output_size) == rank:
            return tuple(output_size)
        if rank == 1:
            raise ValueError(
                f"For 1D input, `output_size` tuple must have length 1. Received: {output_size}"
            )
    raise TypeError(
        f"`output_size` must be an integer or {_SIZE_NAMES[rank]}. "
        f"Received: {output_size} of type {type(output_size)}"
    )
