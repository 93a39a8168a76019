"""`Cropping1D/2D/3D`: remove rows at the start and end of the spatial axes (zero-copy views).

Example:
    >>> import torch
    >>> Cropping2D(((2, 2), (4, 4)))(torch.ones(2, 28, 28, 3)).shape
    torch.Size([2, 24, 20, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.layers.conv.conv_args import standardize_tuple
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.layers.reshaping.zero_padding import Pairs, standardize_pairs


class _Cropping(Layer):
    """Shared body of `Cropping1D/2D/3D` (`pairs`: one `(start, end)` pair per spatial axis)."""

    rank: int = 0

    def __init__(self, pairs: Pairs, data_format: str | None, **kwargs: Any):
        super().__init__(**kwargs)
        if data_format is not None:  # Cropping1D has no `data_format` (as in Keras)
            self.data_format = config.standardize_data_format(data_format)
        self.cropping: Any = pairs
        self._pairs = pairs
        self._first = 2 if data_format == "channels_first" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def _cropped_sizes(self, shape: tuple, what: str) -> list[int | None]:
        """The cropped spatial sizes, or Keras's error when a crop is not smaller than its axis."""
        first = self._first
        sizes = list(shape[first : first + self.rank])
        for i, (start, end) in enumerate(self._pairs):
            if sizes[i] is None:
                continue
            sizes[i] -= start + end
            if sizes[i] <= 0:
                raise ValueError(
                    f"Values in `cropping` argument of layer '{self.name}' ({type(self).__name__})"
                    " should be smaller than the corresponding spatial dimension of the input. "
                    f"Received: {what}={tuple(shape)}, cropping={self.cropping}"
                )
        return sizes

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._cropped_sizes(tuple(inputs.shape), "inputs.shape")
        first = self._first
        index = [slice(None)] * inputs.ndim
        for i, (start, end) in enumerate(self._pairs):
            index[first + i] = slice(start, inputs.shape[first + i] - end)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        sizes = self._cropped_sizes(tuple(input_shape), "input_shape")
        first = self._first
        shape = list(input_shape)
        shape[first : first + self.rank] = sizes
        return tuple(shape)

    def get_config(self) -> dict[str, Any]:
        cfg = {**super().get_config(), "cropping": self.cropping}
        if hasattr(self, "data_format"):
            cfg["data_format"] = self.data_format
        return cfg


class Cropping1D(_Cropping):
    """Cropping layer for 1D inputs (e.g. temporal sequences): crops along axis 1.

    As in Keras, there is no `data_format`: inputs are `(batch, axis_to_crop, features)`.

    Args:
        cropping: int, or tuple of 2 ints: how many units to remove at the start and the
            end of the cropped axis.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> Cropping1D(1)(torch.arange(12.0).reshape(1, 4, 3))[0, :, 0].tolist()
        [3.0, 6.0]
    """

    rank = 1

    def __init__(self, cropping: int | tuple[int, int] = (1, 1), **kwargs: Any):
        pair = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        super().__init__((pair,), data_format=None, **kwargs)
        self.cropping = pair


class Cropping2D(_Cropping):
    """Cropping layer for 2D inputs (e.g. pictures): crops along height and width.

    Args:
        cropping: int (same symmetric cropping on height and width), tuple of 2 ints
            (`(symmetric_height_crop, symmetric_width_crop)`) or tuple of 2 tuples of 2 ints
            (`((top_crop, bottom_crop), (left_crop, right_crop))`).
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"` (`(batch, channels, height, width)`); defaults to
            `image_data_format()`.
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> Cropping2D(((2, 2), (4, 4)))(keras.Input((28, 28, 3))).shape
        (None, 24, 20, 3)
    """

    rank = 2

    def __init__(
        self, cropping: Any = ((0, 0), (0, 0)), data_format: str | None = None, **kwargs: Any
    ):
        pairs = standardize_pairs(cropping, 2, "cropping", "Cropping2D")
        data_format = config.standardize_data_format(data_format)
        super().__init__(pairs, data_format=data_format, **kwargs)


class Cropping3D(_Cropping):
    """Cropping layer for 3D inputs (spatial or spatio-temporal).

    Args:
        cropping: int, tuple of 3 ints (symmetric cropping per spatial axis) or tuple of 3
            tuples of 2 ints (`((left_dim1, right_dim1), (left_dim2, right_dim2),
            (left_dim3, right_dim3))`).
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(batch, channels, dim1, dim2, dim3)`); defaults to
            `image_data_format()`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> Cropping3D(((1, 1), (2, 2), (2, 2)))(torch.ones(2, 28, 28, 10, 3)).shape
        torch.Size([2, 26, 24, 6, 3])
    """

    rank = 3

    def __init__(
        self,
        cropping: Any = ((1, 1), (1, 1), (1, 1)),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        pairs = standardize_pairs(cropping, 3, "cropping", "Cropping3D")
        data_format = config.standardize_data_format(data_format)
        super().__init__(pairs, data_format=data_format, **kwargs)
