"""`UpSampling1D/2D/3D`: repeat (or interpolate) the inputs along their spatial axes.

Nearest-neighbour upsampling repeats each element `size` times along each axis, as Keras's
`ops.repeat` does: one broadcast view and one copy, exact for every factor.
`UpSampling2D` also interpolates with `F.interpolate` (`"bilinear"`, `"bicubic"`, half-pixel
centres: `align_corners=False`, which is TF's `half_pixel_centers` convention); channels_last
inputs reach it as a permuted (NHWC-strided) view, and the result is permuted back.

Example:
    >>> import torch
    >>> UpSampling1D(2)(torch.arange(3.0).reshape(1, 3, 1))[0, :, 0].tolist()
    [0.0, 0.0, 1.0, 1.0, 2.0, 2.0]
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.layers.conv.conv_args import standardize_tuple
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

# Keras's interpolation names -> torch modes. "area" upsampling by whole factors replicates
# pixels (TF and torch alike), so it is the repeat. Keras's other names have no torch kernel.
_INTERPOLATIONS = {"nearest": None, "area": None, "bilinear": "bilinear", "bicubic": "bicubic"}
_UNSUPPORTED = ("lanczos3", "lanczos5", "gaussian", "mitchellcubic")


def repeat_axes(x: torch.Tensor, sizes: tuple[int, ...], first_axis: int) -> torch.Tensor:
    """Repeat each element `sizes[i]` times along axis `first_axis + i` (Keras's `ops.repeat`).

    Example:
        >>> repeat_axes(torch.tensor([[1, 2]]), (2,), 1).tolist()
        [[1, 1, 2, 2]]
    """
    view, expanded, out = [], [], []
    for axis, dim in enumerate(x.shape):
        k = axis - first_axis
        if 0 <= k < len(sizes):
            view += [dim, 1]
            expanded += [dim, sizes[k]]
            out.append(dim * sizes[k])
        else:
            view.append(dim)
            expanded.append(dim)
            out.append(dim)
    return x.reshape(view).expand(expanded).reshape(out)


def _scaled(shape: tuple, sizes: tuple[int, ...], first_axis: int) -> tuple:
    shape = list(shape)
    for i, size in enumerate(sizes):
        dim = shape[first_axis + i]
        shape[first_axis + i] = None if dim is None else dim * size
    return tuple(shape)


class UpSampling1D(Layer):
    """Upsampling layer for 1D inputs: repeats each temporal step `size` times along axis 1.

    As in Keras, there is no `data_format`: inputs are `(batch, steps, features)`.

    Args:
        size: int, the upsampling factor.
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> UpSampling1D(3)(keras.Input((4, 2))).shape
        (None, 12, 2)
    """

    def __init__(self, size: int = 2, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`, got {type(size)}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. Received: size={size}")
        self.size = size
        self.input_spec = InputSpec(ndim=3)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return repeat_axes(inputs, (self.size,), 1)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return _scaled(input_shape, (self.size,), 1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "size": self.size}


class UpSampling2D(Layer):
    """Upsampling layer for 2D inputs: repeats rows and columns, or interpolates.

    Args:
        size: int, or tuple of 2 ints: the upsampling factors for rows and columns.
        data_format: `"channels_last"` (`(batch, rows, cols, channels)`) or
            `"channels_first"` (`(batch, channels, rows, cols)`); defaults to
            `image_data_format()`.
        interpolation: `"nearest"` (repeat, the default), `"bilinear"` or `"bicubic"` (as
            Keras's torch backend: `F.interpolate` with half-pixel centres; bilinear equals
            TF's, bicubic uses torch's cubic kernel, `a=-0.75`, where TF/JAX use `a=-0.5`),
            or `"area"` (equal to `"nearest"` for whole factors, as in TF). Torch has no
            Lanczos kernel: `"lanczos3"`/`"lanczos5"` raise a ValueError.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> UpSampling2D((1, 2), interpolation="bilinear")(torch.ones(2, 3, 4, 5)).shape
        torch.Size([2, 3, 8, 5])
    """

    def __init__(
        self,
        size: int | tuple[int, int] = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.size = standardize_tuple(size, 2, "size")
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in _INTERPOLATIONS:
            why = " (torch has no such kernel)" if self.interpolation in _UNSUPPORTED else ""
            raise ValueError(
                f"UpSampling2D: unsupported `interpolation`{why}. Expected one of "
                f"{sorted(_INTERPOLATIONS)}. Received: interpolation={interpolation!r}"
            )
        self._mode = _INTERPOLATIONS[self.interpolation]
        self._first = 2 if self.data_format == "channels_first" else 1
        self.input_spec = InputSpec(ndim=4)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self._mode is None:
            return repeat_axes(inputs, self.size, self._first)
        channels_last = self.data_format == "channels_last"
        x = inputs.permute(0, 3, 1, 2) if channels_last else inputs  # a view, NHWC strides
        dtype = x.dtype
        if dtype not in (torch.float32, torch.float64):
            x = x.to(torch.float32)  # as Keras: interpolate in float32, cast back
        height, width = x.shape[2] * self.size[0], x.shape[3] * self.size[1]
        x = F.interpolate(x, size=(height, width), mode=self._mode, align_corners=False)
        if dtype != x.dtype:
            if not dtype.is_floating_point:
                if dtype == torch.uint8 and self._mode == "bicubic":
                    x = x.clamp(0, 255)
                x = x.round()
            x = x.to(dtype)
        return x.permute(0, 2, 3, 1) if channels_last else x

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return _scaled(input_shape, self.size, self._first)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }


class UpSampling3D(Layer):
    """Upsampling layer for 3D inputs: repeats the three spatial axes by `size`.

    Args:
        size: int, or tuple of 3 ints: the upsampling factors for `dim1`, `dim2`, `dim3`.
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(batch, channels, dim1, dim2, dim3)`); defaults to
            `image_data_format()`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> UpSampling3D(2)(torch.ones(2, 1, 2, 1, 4)).shape
        torch.Size([2, 2, 4, 2, 4])
    """

    def __init__(
        self, size: int | tuple[int, int, int] = (2, 2, 2), data_format: str | None = None,
        **kwargs: Any,
    ):  # fmt: skip
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.size = standardize_tuple(size, 3, "size")
        self._first = 2 if self.data_format == "channels_first" else 1
        self.input_spec = InputSpec(ndim=5)
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return repeat_axes(inputs, self.size, self._first)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return _scaled(input_shape, self.size, self._first)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
