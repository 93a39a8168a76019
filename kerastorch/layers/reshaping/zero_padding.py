"""`ZeroPadding1D/2D/3D`: add rows of zeros at the start and end of the spatial axes.

One `F.pad` call pads the spatial axes where they lie (in either data format), so no
permute and no extra copy is needed.

Example:
    >>> import torch
    >>> ZeroPadding2D(((1, 0), 2))(torch.ones(1, 3, 3, 4)).shape
    torch.Size([1, 4, 7, 4])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.layers.conv.conv_args import standardize_tuple
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

Pairs = tuple[tuple[int, int], ...]
_ORDINALS = ("1st", "2nd", "3rd")


def standardize_pairs(value: Any, rank: int, name: str, owner: str) -> Pairs:
    """An int, `rank` ints or `rank` pairs -> `rank` `(before, after)` pairs of ints `>= 0`.

    Shared by `ZeroPadding2D/3D` and `Cropping2D/3D` (`name` is `"padding"` or `"cropping"`).

    Example:
        >>> standardize_pairs(((1, 2), 3), 2, "padding", "ZeroPadding2D")
        ((1, 2), (3, 3))
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value}.")
        return ((value, value),) * rank
    if isinstance(value, str) or not hasattr(value, "__len__"):
        raise ValueError(
            f"`{name}` of {owner} should be either an int, a tuple of {rank} ints or a tuple "
            f"of {rank} tuples of 2 ints. Received: {name}={value}."
        )
    if len(value) != rank:
        raise ValueError(f"`{name}` should have {rank} elements. Received: {name}={value}.")
    return tuple(
        standardize_tuple(entry, 2, f"{_ORDINALS[i]} entry of {name}", allow_zero=True)
        for i, entry in enumerate(value)
    )


class _ZeroPadding(Layer):
    """Shared body of `ZeroPadding1D/2D/3D` (`padding` is `rank` `(before, after)` pairs)."""

    rank: int = 0

    def __init__(self, pairs: Pairs, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.padding: Any = pairs
        self._pairs = pairs
        # F.pad lists the last axis first; channels_last leaves the channel axis unpadded.
        pads = [p for pair in reversed(pairs) for p in pair]
        self._torch_pad = tuple(pads if self.data_format == "channels_first" else [0, 0, *pads])
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.pad(inputs, self._torch_pad)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        shape = list(input_shape)
        first = 2 if self.data_format == "channels_first" else 1
        for i, (before, after) in enumerate(self._pairs):
            if shape[first + i] is not None:
                shape[first + i] += before + after
        return tuple(shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Zero-padding layer for 1D inputs (e.g. temporal sequences).

    Args:
        padding: int, or tuple of 2 ints: zeros added at the start and the end of the
            padded axis (axis 1 for `"channels_last"`, axis 2 for `"channels_first"`).
        data_format: `"channels_last"` (`(batch, steps, features)`) or `"channels_first"`
            (`(batch, features, steps)`); defaults to `image_data_format()`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> ZeroPadding1D(2)(torch.ones(1, 2, 3))[0, :, 0].tolist()
        [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    """

    rank = 1

    def __init__(
        self, padding: int | tuple[int, int] = 1, data_format: str | None = None, **kwargs: Any
    ):
        pair = standardize_tuple(padding, 2, "padding", allow_zero=True)
        super().__init__((pair,), data_format=data_format, **kwargs)
        self.padding = pair


class ZeroPadding2D(_ZeroPadding):
    """Zero-padding layer for 2D inputs (e.g. pictures): rows and columns of zeros.

    Args:
        padding: int (same symmetric padding on height and width), tuple of 2 ints
            (`(symmetric_height_pad, symmetric_width_pad)`) or tuple of 2 tuples of 2 ints
            (`((top_pad, bottom_pad), (left_pad, right_pad))`).
        data_format: `"channels_last"` (`(batch, height, width, channels)`) or
            `"channels_first"` (`(batch, channels, height, width)`); defaults to
            `image_data_format()`.
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> ZeroPadding2D(1)(keras.Input((28, 28, 3))).shape
        (None, 30, 30, 3)
    """

    rank = 2

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None, **kwargs: Any):
        pairs = standardize_pairs(padding, 2, "padding", "ZeroPadding2D")
        super().__init__(pairs, data_format=data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Zero-padding layer for 3D inputs (spatial or spatio-temporal).

    Args:
        padding: int, tuple of 3 ints (symmetric padding per spatial axis) or tuple of 3
            tuples of 2 ints (`((left_dim1, right_dim1), (left_dim2, right_dim2),
            (left_dim3, right_dim3))`).
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(batch, channels, dim1, dim2, dim3)`); defaults to
            `image_data_format()`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> ZeroPadding3D(2)(torch.ones(1, 1, 2, 2, 3)).shape
        torch.Size([1, 5, 6, 6, 3])
    """

    rank = 3

    def __init__(
        self, padding: Any = ((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs: Any
    ):
        pairs = standardize_pairs(padding, 3, "padding", "ZeroPadding3D")
        super().__init__(pairs, data_format=data_format, **kwargs)
