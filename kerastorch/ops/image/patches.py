"""Cutting images: patch extraction (2D and 3D), cropping and zero padding.

`extract_patches` gives what Keras's convolution with an identity kernel gives (each
output position holds its window flattened in `(rows, cols, channels)` order), read with
`Tensor.unfold` instead: exact for every dtype, and no multiplications.

Example:
    >>> import torch
    >>> extract_patches(torch.ones(2, 8, 8, 3), 4).shape
    torch.Size([2, 2, 2, 48])
    >>> crop_images(torch.ones(8, 8, 3), 1, 2, target_height=4, target_width=5).shape
    torch.Size([4, 5, 3])
    >>> pad_images(torch.ones(8, 8, 3), 1, 2, 3, 4).shape
    torch.Size([12, 14, 3])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.image.validation import check_choice, check_rank
from kerastorch.ops.keras_op import keras_op


def _tuple(value: Any, n: int, name: str) -> tuple[int, ...]:
    values = (value,) * n if isinstance(value, int) else tuple(value)
    if len(values) != n:
        raise ValueError(
            f"extract_patches: `{name}` must be an int or a tuple of {n} ints. "
            f"Received: {name}={value!r}"
        )
    return tuple(int(v) for v in values)


def _same_padding(length: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "same" padding of one axis (the extra pixel at the end)."""
    total = max(0, (-(-length // stride) - 1) * stride + kernel - length)
    return total // 2, total - total // 2


@keras_op("image")
def extract_patches(
    images: Any,
    size: int | tuple[int, ...],
    strides: int | tuple[int, ...] | None = None,
    dilation_rate: int | tuple[int, ...] = 1,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Extract patches from images (`size` of 2) or volumes (`size` of 3).

    Args:
        images: `(H, W, C)` or `(N, H, W, C)` images for 2D patches, `(D, H, W, C)` or
            `(N, D, H, W, C)` volumes for 3D patches (channels first likewise).
        size: the patch size: an int (2D) or a tuple of 2 or 3 ints.
        strides: the step between patches; by default `size` (non-overlapping patches).
        dilation_rate: the step between the pixels of one patch.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The patches flattened along the channel axis (of size `prod(size) * channels`),
        in `(rows, cols, channels)` order.

    Example:
        >>> import torch
        >>> extract_patches(torch.arange(16.0).reshape(4, 4, 1), 2)[0, 0].tolist()
        [0.0, 1.0, 4.0, 5.0]
    """
    if not isinstance(size, int):
        if not isinstance(size, (tuple, list)):
            raise TypeError(
                "extract_patches: Invalid `size` argument. Expected an int or a tuple. "
                f"Received: size={size} of type {type(size).__name__}"
            )
        if len(size) not in (2, 3):
            raise ValueError(
                "extract_patches: Invalid `size` argument. Expected a tuple of length 2 or "
                f"3. Received: size={size} with length {len(size)}"
            )
    spatial = 2 if isinstance(size, int) else len(size)
    kernel = _tuple(size, spatial, "size")
    steps = _tuple(strides or size, spatial, "strides")
    dilation = _tuple(dilation_rate, spatial, "dilation_rate")
    padding = str(padding).lower()
    check_choice("extract_patches", "padding", padding, ("valid", "same"))
    images = convert_to_tensor(images)
    if images.ndim not in (spatial + 1, spatial + 2):
        raise ValueError(
            f"extract_patches: Invalid images rank for {spatial}D patches: expected rank "
            f"{spatial + 1} (unbatched) or {spatial + 2} (batched). Received input with "
            f"shape: images.shape={tuple(images.shape)}"
        )
    data_format = config.standardize_data_format(data_format)
    x = images.unsqueeze(0) if images.ndim == spatial + 1 else images
    if data_format == "channels_first":
        x = x.movedim(1, -1)  # (N, *spatial, C)
    extents = [d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True)]
    if padding == "same":
        pads = [_same_padding(x.shape[1 + i], extents[i], steps[i]) for i in range(spatial)]
        x = F.pad(x, [0, 0] + [p for pair in reversed(pads) for p in pair])
    for i in range(spatial):
        if x.shape[1 + i] < extents[i]:
            raise ValueError(
                f"extract_patches: the patch (extent {extents[i]} with dilation) is larger "
                f"than the padded input along spatial axis {i} ({x.shape[1 + i]}). "
                f"Received: images.shape={tuple(images.shape)}, size={size}"
            )
        x = x.unfold(1 + i, extents[i], steps[i])[..., :: dilation[i]]
    # (N, *out, C, *kernel) -> (N, *out, *kernel, C) -> (N, *out, prod(kernel) * C)
    x = x.movedim(1 + spatial, -1).flatten(1 + spatial)
    if data_format == "channels_first":
        x = x.movedim(-1, 1)
    return x.squeeze(0) if images.ndim == spatial + 1 else x


def extract_patches_3d(
    volumes: Any,
    size: int | tuple[int, int, int],
    strides: int | tuple[int, int, int] | None = None,
    dilation_rate: int | tuple[int, int, int] = 1,
    padding: str = "valid",
    data_format: str | None = None,
) -> torch.Tensor:
    """Extract 3D patches from volumes: `extract_patches` with a 3-tuple `size`.

    Args:
        volumes: one volume (rank 4) or a batch (rank 5).
        size: the patch size, an int or `(depth, height, width)`.
        strides: the step between patches; by default `size`.
        dilation_rate: the step between the voxels of one patch.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        `(..., D', H', W', prod(size) * channels)` patches (channels last).

    Example:
        >>> import torch
        >>> extract_patches_3d(torch.ones(2, 6, 6, 6, 3), 3).shape
        torch.Size([2, 2, 2, 2, 81])
    """
    if isinstance(size, int):
        size = (size, size, size)
    if len(size) != 3:
        raise ValueError(
            f"extract_patches_3d: Invalid `size` argument. Expected an int or a tuple of "
            f"length 3. Received: size={size}"
        )
    return extract_patches(volumes, tuple(size), strides, dilation_rate, padding, data_format)


def _check_two_of(op: str, names: tuple[str, str, str], values: tuple[Any, ...]) -> None:
    if values.count(None) != 1:
        given = ", ".join(f"{n}={v}" for n, v in zip(names, values, strict=True))
        raise ValueError(f"{op}: Must specify exactly two of {', '.join(names)}. Received: {given}")
    for name, value in zip(names, values, strict=True):
        if value is not None and value < 0:
            raise ValueError(f"{op}: {name} must be >= 0. Received: {name}={value}")


def _spatial_axes(images: torch.Tensor, data_format: str | None) -> tuple[int, int]:
    if config.standardize_data_format(data_format) == "channels_last":
        return images.ndim - 3, images.ndim - 2
    return images.ndim - 2, images.ndim - 1


@keras_op("image")
def pad_images(
    images: Any,
    top_padding: int | None = None,
    left_padding: int | None = None,
    bottom_padding: int | None = None,
    right_padding: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Pad images with zeros: give exactly two of top/bottom/target height, same for width.

    Args:
        images: one image (rank 3) or a batch (rank 4).
        top_padding: rows of zeros on top.
        left_padding: columns of zeros on the left.
        bottom_padding: rows of zeros at the bottom.
        right_padding: columns of zeros on the right.
        target_height: the output's height.
        target_width: the output's width.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The padded images.

    Example:
        >>> import torch
        >>> pad_images(torch.ones(1, 2, 1), 1, 0, target_height=4, target_width=3)[:, :, 0]
        tensor([[0., 0., 0.],
                [1., 1., 0.],
                [0., 0., 0.],
                [0., 0., 0.]])
    """
    images = convert_to_tensor(images)
    check_rank("pad_images", images)
    names = ("top_padding", "bottom_padding", "target_height")
    _check_two_of("pad_images", names, (top_padding, bottom_padding, target_height))
    names = ("left_padding", "right_padding", "target_width")
    _check_two_of("pad_images", names, (left_padding, right_padding, target_width))
    h_axis, w_axis = _spatial_axes(images, data_format)
    height, width = images.shape[h_axis], images.shape[w_axis]
    if top_padding is None:
        top_padding = target_height - bottom_padding - height
    if bottom_padding is None:
        bottom_padding = target_height - top_padding - height
    if left_padding is None:
        left_padding = target_width - right_padding - width
    if right_padding is None:
        right_padding = target_width - left_padding - width
    inferred = {"top_padding": top_padding, "left_padding": left_padding,
                "right_padding": right_padding, "bottom_padding": bottom_padding}  # fmt: skip
    for name, value in inferred.items():
        if value < 0:
            raise ValueError(f"pad_images: {name} must be >= 0. Received: {name}={value}")
    pads = [0, 0] * (images.ndim - 1 - w_axis) + [left_padding, right_padding]
    return F.pad(images, [*pads, top_padding, bottom_padding])


@keras_op("image")
def crop_images(
    images: Any,
    top_cropping: int | None = None,
    left_cropping: int | None = None,
    bottom_cropping: int | None = None,
    right_cropping: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Crop images: give exactly two of top/bottom cropping and target height, same for width.

    Args:
        images: one image (rank 3) or a batch (rank 4).
        top_cropping: rows to remove from the top.
        left_cropping: columns to remove from the left.
        bottom_cropping: rows to remove from the bottom.
        right_cropping: columns to remove from the right.
        target_height: the output's height.
        target_width: the output's width.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The cropped images (a view of the input).

    Example:
        >>> import torch
        >>> crop_images(torch.arange(9.0).reshape(3, 3, 1), 1, 1, 0, 0)[:, :, 0].tolist()
        [[4.0, 5.0], [7.0, 8.0]]
    """
    images = convert_to_tensor(images)
    check_rank("crop_images", images)
    names = ("top_cropping", "bottom_cropping", "target_height")
    _check_two_of("crop_images", names, (top_cropping, bottom_cropping, target_height))
    names = ("left_cropping", "right_cropping", "target_width")
    _check_two_of("crop_images", names, (left_cropping, right_cropping, target_width))
    h_axis, w_axis = _spatial_axes(images, data_format)
    height, width = images.shape[h_axis], images.shape[w_axis]
    if top_cropping is None:
        top_cropping = height - target_height - bottom_cropping
    if target_height is None:
        target_height = height - bottom_cropping - top_cropping
    if left_cropping is None:
        left_cropping = width - target_width - right_cropping
    if target_width is None:
        target_width = width - right_cropping - left_cropping
    inferred = {"top_cropping": top_cropping, "target_height": target_height,
                "left_cropping": left_cropping, "target_width": target_width}  # fmt: skip
    for name, value in inferred.items():
        if value < 0:
            raise ValueError(f"crop_images: {name} must be >= 0. Received: {name}={value}")
    if top_cropping + target_height > height or left_cropping + target_width > width:
        raise ValueError(
            "crop_images: the crop box is larger than the images. Received: "
            f"images.shape={tuple(images.shape)}, top_cropping={top_cropping}, "
            f"target_height={target_height}, left_cropping={left_cropping}, "
            f"target_width={target_width}"
        )
    images = images.narrow(h_axis, top_cropping, target_height)
    return images.narrow(w_axis, left_cropping, target_width)


__all__ = ["crop_images", "extract_patches", "extract_patches_3d", "pad_images"]
