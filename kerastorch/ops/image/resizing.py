"""Resampling images to a new size: `resize` and `scale_and_translate`.

`resize` is `torch.nn.functional.interpolate` with Keras's options (aspect-ratio crop or
pad, antialiasing) and dtype rules: images that are not float32/float64 are resized in
float32 and cast back, integers rounded. `scale_and_translate` is the separable kernel
resampler of `jax.image.scale_and_translate` (linear, cubic, Lanczos kernels).

Example:
    >>> import torch
    >>> resize(torch.ones(2, 4, 4, 3), (2, 6)).shape
    torch.Size([2, 2, 6, 3])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.image.validation import check_choice, check_rank
from kerastorch.ops.keras_op import keras_op

INTERPOLATIONS = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
_UNSUPPORTED = ("lanczos3", "lanczos5", "area")


def _fit_aspect_ratio(
    images: torch.Tensor, size: tuple[int, int], crop: bool, fill_value: float
) -> torch.Tensor:
    """Crop (centred) or pad (evenly, with `fill_value`) NCHW images to `size`'s aspect ratio."""
    height, width = images.shape[-2:]
    target_height, target_width = size
    fit_height = int(float(width * target_height) / target_width)
    fit_width = int(float(height * target_width) / target_height)
    if crop:
        fit_height = max(min(height, fit_height), 1)
        fit_width = max(min(width, fit_width), 1)
        top, left = (height - fit_height) // 2, (width - fit_width) // 2
        return images[..., top : top + fit_height, left : left + fit_width]
    top = (max(height, fit_height) - height) // 2
    left = (max(width, fit_width) - width) // 2
    return F.pad(images, (left, left, top, top), value=fill_value)


@keras_op("image")
def resize(
    images: Any,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Resize images to `size` with the given interpolation.

    Args:
        images: one image (rank 3) or a batch (rank 4).
        size: the output's `(height, width)`.
        interpolation: `"bilinear"`, `"nearest"` or `"bicubic"` (Keras's torch backend has
            no `"lanczos3"`, `"lanczos5"` or `"area"`: those raise a `ValueError`).
        antialias: low-pass filter the images when downsampling (bilinear and bicubic).
        crop_to_aspect_ratio: first crop the largest centred window of `size`'s aspect
            ratio.
        pad_to_aspect_ratio: first pad the short side evenly to `size`'s aspect ratio.
        fill_mode: the padding mode; only `"constant"`.
        fill_value: the padding value for `pad_to_aspect_ratio`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The resized images, in the input dtype.

    Example:
        >>> import torch
        >>> resize(torch.tensor([[[0.0], [4.0]]]), (1, 4)).flatten().tolist()
        [0.0, 1.0, 3.0, 4.0]
    """
    if len(size) != 2:
        raise ValueError(f"resize: Expected `size` to be a tuple of 2 integers. Received: {size=}")
    if size[0] <= 0 or size[1] <= 0:
        raise ValueError(f"resize: `size` must have positive height and width. Received: {size=}")
    if interpolation in _UNSUPPORTED:
        raise ValueError(
            f"resize: interpolation={interpolation!r} is not supported by the PyTorch backend "
            f"of Keras; `interpolation` must be one of {tuple(INTERPOLATIONS)}."
        )
    check_choice("resize", "interpolation", interpolation, tuple(INTERPOLATIONS))
    check_choice("resize", "fill_mode", fill_mode, ("constant",))
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(
            "resize: Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
        )
    images = convert_to_tensor(images)
    check_rank("resize", images)
    data_format = config.standardize_data_format(data_format)
    size = (int(size[0]), int(size[1]))
    out_dtype = images.dtype
    x = images.unsqueeze(0) if images.ndim == 3 else images
    if out_dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        x = _fit_aspect_ratio(x, size, crop_to_aspect_ratio, fill_value)
    smooth = interpolation in ("bilinear", "bicubic")
    x = F.interpolate(
        x,
        size=size,
        mode=INTERPOLATIONS[interpolation],
        align_corners=False if smooth else None,
        antialias=bool(antialias) and smooth,
    )
    if interpolation == "bicubic" and out_dtype == torch.uint8:
        x = x.clamp(0, 255)
    if data_format == "channels_last":
        x = x.permute(0, 2, 3, 1)
    if images.ndim == 3:
        x = x.squeeze(0)
    if x.dtype != out_dtype:
        if not out_dtype.is_floating_point:
            x = torch.round(x)
        x = x.to(out_dtype)
    return x


def _triangle(x: torch.Tensor) -> torch.Tensor:
    return torch.clamp(1 - x.abs(), min=0)


def _keys_cubic(x: torch.Tensor) -> torch.Tensor:
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = torch.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return torch.where(x >= 2.0, 0.0, out)


def _lanczos(radius: float) -> Callable[[torch.Tensor], torch.Tensor]:
    def kernel(x: torch.Tensor) -> torch.Tensor:
        y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
        out = torch.where(x > 1e-3, y / torch.where(x != 0, math.pi**2 * x**2, 1), 1)
        return torch.where(x > radius, 0.0, out)

    return kernel


_KERNELS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "linear": _triangle,
    "bilinear": _triangle,
    "trilinear": _triangle,
    "cubic": _keys_cubic,
    "bicubic": _keys_cubic,
    "tricubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def _weights(
    input_size: int,
    output_size: int,
    scale: torch.Tensor,
    translation: torch.Tensor,
    kernel: Callable[[torch.Tensor], torch.Tensor],
    antialias: bool,
) -> torch.Tensor:
    """The (input_size, output_size) resampling matrix of one axis."""
    inv_scale = 1.0 / scale
    kernel_scale = torch.clamp(inv_scale, min=1.0) if antialias else 1.0
    device = scale.device
    sample = (
        (torch.arange(output_size, dtype=scale.dtype, device=device) + 0.5) * inv_scale
        - translation * inv_scale
        - 0.5
    )
    source = torch.arange(input_size, dtype=scale.dtype, device=device)
    weights = kernel((sample[None, :] - source[:, None]).abs() / kernel_scale)
    total = weights.sum(dim=0, keepdim=True)
    eps = 1000.0 * float(torch.finfo(torch.float32).eps)
    weights = torch.where(total.abs() > eps, weights / torch.where(total != 0, total, 1), 0)
    inside = (sample >= -0.5) & (sample <= input_size - 0.5)
    return torch.where(inside[None, :], weights, 0)


@keras_op("image", tensors=("images", "output_shape", "scale", "translation"))
def scale_and_translate(
    images: Any,
    output_shape: Sequence[int],
    scale: Any,
    translation: Any,
    spatial_dims: Sequence[int],
    method: str,
    antialias: bool = True,
) -> torch.Tensor:
    """Resample `images` to `output_shape`, scaling and translating `spatial_dims`.

    An input point `x` along spatial axis `i` lands at `x * scale[i] + translation[i]`
    in the output (half-pixel centres); output points that come from outside the input
    are zero.

    Args:
        images: the input array.
        output_shape: the output's full shape.
        scale: one scale per spatial axis.
        translation: one translation per spatial axis.
        spatial_dims: the axes to resample.
        method: `"linear"`/`"bilinear"`/`"trilinear"`, `"cubic"`/`"bicubic"`/`"tricubic"`
            (Keys cubic), `"lanczos3"` or `"lanczos5"`.
        antialias: widen the kernel when downsampling.

    Returns:
        The resampled array, in the input dtype (integers rounded and clipped to the
        input's range).

    Example:
        >>> import torch
        >>> image = torch.arange(9.0).reshape(3, 3)
        >>> scale = torch.tensor([2.0, 2.0])
        >>> out = scale_and_translate(image, (5, 5), scale, -(scale / 2 - 0.5), (0, 1), "linear")
        >>> out[0].tolist()
        [0.0, 0.5, 1.0, 1.5, 2.0]
    """
    check_choice("scale_and_translate", "method", method, tuple(_KERNELS))
    x = convert_to_tensor(images)
    scale, translation = convert_to_tensor(scale), convert_to_tensor(translation)
    dtype = to_torch_dtype(
        result_type(standardize_dtype(scale.dtype), standardize_dtype(translation.dtype))
    )
    scale = scale.to(device=x.device, dtype=dtype)
    translation = translation.to(device=x.device, dtype=dtype)
    if len(spatial_dims) == 0:
        return x
    is_int = not x.is_floating_point()
    out = x.to(torch.float32) if is_int else x.clone()
    for i, axis in enumerate(spatial_dims):
        axis = axis % x.ndim
        matrix = _weights(
            x.shape[axis], int(output_shape[axis]), scale[i], translation[i],
            _KERNELS[method], antialias,
        ).to(out.dtype)  # fmt: skip
        out = torch.tensordot(out, matrix, dims=([axis], [0])).movedim(-1, axis)
    if is_int:
        out = torch.clip(torch.round(out), x.min(), x.max()).to(x.dtype)
    return out


__all__ = ["resize", "scale_and_translate"]
