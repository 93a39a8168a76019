"""`AveragePooling1D`, `AveragePooling2D`, `AveragePooling3D`: the mean over each window.

Run by torch's `avg_pool*d` kernels on the channels-first view of the input. With
`"same"` padding each window is averaged over its real (non-padded) elements only, as
TensorFlow does, also where the padding is asymmetric.

Example:
    >>> import torch
    >>> x = torch.tensor([1.0, 2.0, 3.0]).reshape(1, 3, 1)
    >>> AveragePooling1D(2, padding="same")(x)[0, :, 0]  # the last window holds only 3.0
    tensor([1.5000, 3.0000])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.pooling.base_pooling import BasePooling


class _AveragePooling(BasePooling):
    """Average pooling of any rank; subclasses set `_pool_fn` (torch's kernel)."""

    _pool_fn: Any

    def _pool(self, x: torch.Tensor, padding: tuple[int, ...], ceil_mode: bool) -> torch.Tensor:
        return self._pool_fn(
            x, self.pool_size, self.strides, padding, ceil_mode=ceil_mode,
            count_include_pad=False,
        )  # fmt: skip


class AveragePooling1D(_AveragePooling):
    """Average pooling for 1D data (`(batch, steps, channels)` by default).

    Args:
        pool_size: int or tuple of 1 int, the window size.
        strides: int or tuple of 1 int, or None (= `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.

    Example:
        >>> import torch
        >>> AveragePooling1D(2, padding="same")(torch.ones(1, 6, 3)).shape
        torch.Size([1, 3, 3])
    """

    _pool_fn = staticmethod(F.avg_pool1d)

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(pool_size, strides, 1, padding, data_format, name=name, **kwargs)


class AveragePooling2D(_AveragePooling):
    """Average pooling for 2D data (`(batch, rows, cols, channels)` by default).

    Args:
        pool_size: int or tuple of 2 ints, the window size.
        strides: int or tuple of 2 ints, or None (= `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.

    Example:
        >>> import torch
        >>> AveragePooling2D(2, padding="same")(torch.ones(1, 4, 6, 3)).shape
        torch.Size([1, 2, 3, 3])
    """

    _pool_fn = staticmethod(F.avg_pool2d)

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(pool_size, strides, 2, padding, data_format, name=name, **kwargs)


class AveragePooling3D(_AveragePooling):
    """Average pooling for 3D data (`(batch, d1, d2, d3, channels)` by default).

    Args:
        pool_size: int or tuple of 3 ints, the window size.
        strides: int or tuple of 3 ints, or None (= `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.

    Example:
        >>> import torch
        >>> AveragePooling3D(2, padding="same")(torch.ones(1, 4, 4, 4, 2)).shape
        torch.Size([1, 2, 2, 2, 2])
    """

    _pool_fn = staticmethod(F.avg_pool3d)

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(pool_size, strides, 3, padding, data_format, name=name, **kwargs)


AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
