"""Global pooling: the maximum or mean over every spatial axis (1D, 2D, 3D).

`GlobalAveragePooling1D` takes a `(batch, steps)` mask and averages over the unmasked
steps only (and, as in Keras, returns no mask).

Example:
    >>> import torch
    >>> GlobalAveragePooling2D()(torch.ones(2, 4, 4, 3)).shape
    torch.Size([2, 3])
    >>> GlobalMaxPooling1D(keepdims=True)(torch.ones(2, 5, 3)).shape
    torch.Size([2, 1, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.config import standardize_data_format
from kerastorch.layers.conv.conv_shapes import Shape, spatial_axes
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduce the spatial axes of `(batch, *spatial, channels)` (or channels-first) inputs.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        keepdims: keep the spatial axes, with size 1.
    """

    def __init__(
        self, rank: int, data_format: str | None = None, keepdims: bool = False, **kwargs: Any
    ):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=rank + 2)
        self._axes = spatial_axes(rank, self.data_format)
        self.built = True  # no weights: built at construction, as in Keras

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        if self.keepdims:
            return tuple(1 if i in self._axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._axes)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class _GlobalMaxPooling(BaseGlobalPooling):
    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.amax(inputs, dim=self._axes, keepdim=self.keepdims)


class _GlobalAveragePooling(BaseGlobalPooling):
    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.mean(inputs, dim=self._axes, keepdim=self.keepdims)


class GlobalMaxPooling1D(_GlobalMaxPooling):
    """Global max pooling over the steps of `(batch, steps, features)` inputs.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
        keepdims: keep the steps axis, with size 1.

    Example:
        >>> import torch
        >>> GlobalMaxPooling1D()(torch.arange(6.0).reshape(1, 3, 2))
        tensor([[4., 5.]])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(1, data_format, keepdims, **kwargs)


class GlobalMaxPooling2D(_GlobalMaxPooling):
    """Global max pooling over the rows and columns of `(batch, rows, cols, channels)` inputs.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
        keepdims: keep the spatial axes, with size 1.

    Example:
        >>> import torch
        >>> GlobalMaxPooling2D(keepdims=True)(torch.ones(2, 3, 3, 4)).shape
        torch.Size([2, 1, 1, 4])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(2, data_format, keepdims, **kwargs)


class GlobalMaxPooling3D(_GlobalMaxPooling):
    """Global max pooling over the three spatial axes of 5D inputs.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
        keepdims: keep the spatial axes, with size 1.

    Example:
        >>> import torch
        >>> GlobalMaxPooling3D()(torch.ones(2, 3, 3, 3, 4)).shape
        torch.Size([2, 4])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(3, data_format, keepdims, **kwargs)


class GlobalAveragePooling1D(_GlobalAveragePooling):
    """Global average pooling over the steps of `(batch, steps, features)` inputs.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
        keepdims: keep the steps axis, with size 1.

    Call arguments:
        inputs: a 3D tensor.
        mask: optional `(batch, steps)` boolean tensor; masked steps are left out of the mean.

    Example:
        >>> import torch
        >>> x = torch.tensor([[[1.0], [3.0], [100.0]]])
        >>> GlobalAveragePooling1D()(x, mask=torch.tensor([[True, True, False]]))
        tensor([[2.]])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(1, data_format, keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        if mask is None:
            return torch.mean(inputs, dim=self._axes, keepdim=self.keepdims)
        channel_axis = 2 if self.data_format == "channels_last" else 1
        mask = mask.to(torch.bool).unsqueeze(channel_axis)
        total = torch.where(mask, inputs, 0).sum(dim=self._axes, keepdim=self.keepdims)
        count = mask.to(inputs.dtype).sum(dim=self._axes, keepdim=self.keepdims)
        return total / count

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> None:
        return None


class GlobalAveragePooling2D(_GlobalAveragePooling):
    """Global average pooling over the rows and columns of `(batch, rows, cols, channels)`.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
        keepdims: keep the spatial axes, with size 1.

    Example:
        >>> import torch
        >>> GlobalAveragePooling2D(data_format="channels_first")(torch.ones(2, 4, 3, 3)).shape
        torch.Size([2, 4])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(2, data_format, keepdims, **kwargs)


class GlobalAveragePooling3D(_GlobalAveragePooling):
    """Global average pooling over the three spatial axes of 5D inputs.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
        keepdims: keep the spatial axes, with size 1.

    Example:
        >>> import torch
        >>> GlobalAveragePooling3D(keepdims=True)(torch.ones(2, 3, 3, 3, 4)).shape
        torch.Size([2, 1, 1, 1, 4])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(3, data_format, keepdims, **kwargs)


GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
