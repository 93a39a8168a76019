"""`MaxPooling1D`, `MaxPooling2D`, `MaxPooling3D`: the maximum over each window.

Run by torch's `max_pool*d` kernels on the channels-first view of the input. With
`"same"` padding the padded positions never win (TensorFlow's rule).

Example:
    >>> import torch
    >>> MaxPooling2D()(torch.arange(16.0).reshape(1, 4, 4, 1))[0, ..., 0]
    tensor([[ 5.,  7.],
            [13., 15.]])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.pooling.base_pooling import BasePooling


class _MaxPooling(BasePooling):
    """Max pooling of any rank; subclasses set `_pool_fn` (torch's kernel)."""

    _pool_fn: Any

    def _pool(self, x: torch.Tensor, padding: tuple[int, ...], ceil_mode: bool) -> torch.Tensor:
        return self._pool_fn(x, self.pool_size, self.strides, padding, ceil_mode=ceil_mode)


class MaxPooling1D(_MaxPooling):
    """Max pooling for 1D data (`(batch, steps, channels)` by default).

    Args:
        pool_size: int or tuple of 1 int, the window size (default 2).
        strides: int or tuple of 1 int, or None (= `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.

    Example:
        >>> import torch
        >>> MaxPooling1D(padding="same")(torch.ones(1, 6, 3)).shape
        torch.Size([1, 3, 3])
    """

    _pool_fn = staticmethod(F.max_pool1d)

    def __init__(
        self,
        pool_size: Any = 2,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(pool_size, strides, 1, padding, data_format, name=name, **kwargs)


class MaxPooling2D(_MaxPooling):
    """Max pooling for 2D data (`(batch, rows, cols, channels)` by default).

    Args:
        pool_size: int or tuple of 2 ints, the window size (default (2, 2)).
        strides: int or tuple of 2 ints, or None (= `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.

    Example:
        >>> import torch
        >>> MaxPooling2D(padding="same")(torch.ones(1, 4, 6, 3)).shape
        torch.Size([1, 2, 3, 3])
    """

    _pool_fn = staticmethod(F.max_pool2d)

    def __init__(
        self,
        pool_size: Any = (2, 2),
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(pool_size, strides, 2, padding, data_format, name=name, **kwargs)


class MaxPooling3D(_MaxPooling):
    """Max pooling for 3D data (`(batch, d1, d2, d3, channels)` by default).

    Args:
        pool_size: int or tuple of 3 ints, the window size (default (2, 2, 2)).
        strides: int or tuple of 3 ints, or None (= `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.

    Example:
        >>> import torch
        >>> MaxPooling3D(padding="same")(torch.ones(1, 4, 4, 4, 2)).shape
        torch.Size([1, 2, 2, 2, 2])
    """

    _pool_fn = staticmethod(F.max_pool3d)

    def __init__(
        self,
        pool_size: Any = (2, 2, 2),
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(pool_size, strides, 3, padding, data_format, name=name, **kwargs)


MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
