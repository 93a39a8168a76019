"""`AdaptiveMaxPooling1D`, `AdaptiveMaxPooling2D`, `AdaptiveMaxPooling3D`.

The max over each adaptive window (see `base_adaptive_pooling.py`), run by torch's
`adaptive_max_pool*d` kernels on the channels-first view of the input.

Example:
    >>> import torch
    >>> AdaptiveMaxPooling2D((2, 3))(torch.ones(1, 7, 8, 4)).shape
    torch.Size([1, 2, 3, 4])
"""

from __future__ import annotations

from kerastorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling
from kerastorch.ops.nn.pooling import adaptive_max_pool


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling of 1D data (`(batch, steps, channels)` by default).

    Args:
        output_size: int or tuple of 1 int, the output length.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.

    Example:
        >>> import torch
        >>> AdaptiveMaxPooling1D(3, data_format="channels_first")(torch.ones(2, 4, 10)).shape
        torch.Size([2, 4, 3])
    """

    _rank = 1
    _pool_op = staticmethod(adaptive_max_pool)


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling of 2D data (`(batch, height, width, channels)` by default).

    Args:
        output_size: int or `(height, width)`, the output size.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
    """

    _rank = 2
    _pool_op = staticmethod(adaptive_max_pool)


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling of 3D data (`(batch, depth, height, width, channels)` by default).

    Args:
        output_size: int or `(depth, height, width)`, the output size.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
    """

    _rank = 3
    _pool_op = staticmethod(adaptive_max_pool)
