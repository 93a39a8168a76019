"""Colour-space conversions: RGB to grayscale, RGB to HSV and back (Keras's torch formulas).

Example:
    >>> import torch
    >>> rgb = torch.tensor([[[1.0, 0.0, 0.0]]])  # one red pixel, channels last
    >>> rgb_to_hsv(rgb).tolist(), hsv_to_rgb(rgb_to_hsv(rgb)).tolist()
    ([[[0.0, 1.0, 1.0]]], [[[1.0, 0.0, 0.0]]])
    >>> rgb_to_grayscale(rgb).shape
    torch.Size([1, 1, 1])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.image.validation import check_float, check_rank
from kerastorch.ops.keras_op import keras_op


def _channels_axis(data_format: str | None) -> int:
    return -1 if config.standardize_data_format(data_format) == "channels_last" else -3


def _three_channels(op: str, images: torch.Tensor, axis: int) -> None:
    if images.shape[axis] != 3:
        raise ValueError(
            f"{op}: Input images must have 3 channels, but received images with "
            f"{images.shape[axis]} channels."
        )


@keras_op("image", class_name="RGBToGrayscale")
def rgb_to_grayscale(images: Any, data_format: str | None = None) -> torch.Tensor:
    """Convert RGB images to grayscale: `0.2989 R + 0.587 G + 0.114 B`, in the input dtype.

    Args:
        images: one image (rank 3) or a batch (rank 4) with 3 (or 1) channels.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The images with one channel (integer images are truncated, as in Keras).

    Example:
        >>> import torch
        >>> rgb_to_grayscale(torch.ones(2, 4, 4, 3)).shape
        torch.Size([2, 4, 4, 1])
    """
    images = convert_to_tensor(images)
    check_rank("rgb_to_grayscale", images)
    axis = _channels_axis(data_format)
    if images.shape[axis] not in (1, 3):
        raise ValueError(
            "rgb_to_grayscale: Invalid channel size: expected 3 (RGB) or 1 (Grayscale). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )
    if images.shape[axis] == 1:
        return images.clone()
    red, green, blue = images.unbind(dim=axis)
    gray = (0.2989 * red + 0.587 * green + 0.114 * blue).to(images.dtype)
    return gray.unsqueeze(axis)


@keras_op("image", class_name="RGBToHSV")
def rgb_to_hsv(images: Any, data_format: str | None = None) -> torch.Tensor:
    """Convert float RGB images (values in `[0, 1]`) to HSV; all HSV values are in `[0, 1]`.

    Args:
        images: one image (rank 3) or a batch (rank 4) with 3 channels, float dtype.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The HSV images (hue 0 is red, 1/3 green, 2/3 blue), in the input dtype.

    Example:
        >>> import torch
        >>> rgb_to_hsv(torch.tensor([[[0.0, 0.5, 0.0]]])).tolist()
        [[[0.3333333432674408, 1.0, 0.5]]]
    """
    images = convert_to_tensor(images)
    check_rank("rgb_to_hsv", images)
    check_float("rgb_to_hsv", images)
    axis = _channels_axis(data_format)
    _three_channels("rgb_to_hsv", images, axis)
    eps = torch.finfo(images.dtype).eps
    images = torch.where(images.abs() < eps, 0.0, images)
    red, green, blue = images.unbind(dim=axis)
    value = torch.maximum(torch.maximum(red, green), blue)
    span = value - torch.minimum(torch.minimum(red, green), blue)
    safe_value = torch.where(value > 0, value, 1.0)
    safe_span = torch.where(span > 0, span, 1.0)
    saturation = torch.where(value > 0, span / safe_value, 0.0)
    norm = 1.0 / (6.0 * safe_span)
    hue = torch.where(
        value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0
    )
    hue = torch.where(value == red, norm * (green - blue), hue)
    hue = torch.where(span > 0, hue, 0.0) + (hue < 0.0).to(hue.dtype)
    return torch.stack((hue, saturation, value), dim=axis)


@keras_op("image", class_name="HSVToRGB")
def hsv_to_rgb(images: Any, data_format: str | None = None) -> torch.Tensor:
    """Convert float HSV images (values in `[0, 1]`) to RGB.

    Args:
        images: one image (rank 3) or a batch (rank 4) with 3 channels, float dtype.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The RGB images, in the input dtype.

    Example:
        >>> import torch
        >>> hsv_to_rgb(torch.tensor([[[2 / 3, 1.0, 1.0]]])).tolist()
        [[[0.0, 0.0, 1.0]]]
    """
    images = convert_to_tensor(images)
    check_rank("hsv_to_rgb", images)
    check_float("hsv_to_rgb", images)
    axis = _channels_axis(data_format)
    _three_channels("hsv_to_rgb", images, axis)
    hue, saturation, value = images.unbind(dim=axis)
    sector = torch.remainder(hue, 1.0) * 6.0
    weights = (
        torch.clip((sector - 3.0).abs() - 1.0, 0.0, 1.0),
        torch.clip(2.0 - (sector - 2.0).abs(), 0.0, 1.0),
        torch.clip(2.0 - (sector - 4.0).abs(), 0.0, 1.0),
    )
    one_minus_s = 1.0 - saturation
    planes = [value * (one_minus_s + saturation * w) for w in weights]
    return torch.stack(planes, dim=axis)


__all__ = ["hsv_to_rgb", "rgb_to_grayscale", "rgb_to_hsv"]
