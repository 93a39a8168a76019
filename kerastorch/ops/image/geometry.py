"""Geometric warps of images: affine/projective transforms, perspective and elastic warps.

Each output pixel `(y, x)` is read from the input at a computed point with nearest or
bilinear interpolation (`sampling.sample_images`), all images and channels at once.

Example:
    >>> import torch
    >>> image = torch.arange(16.0).reshape(1, 4, 4, 1)
    >>> shift = torch.tensor([1.0, 0, 1, 0, 1, 0, 0, 0])  # read from x + 1
    >>> affine_transform(image, shift)[0, 0, :, 0].tolist()
    [1.0, 2.0, 3.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.image.filters import gaussian_blur
from kerastorch.ops.image.sampling import FILL_MODES, sample_images
from kerastorch.ops.image.validation import check_choice, check_rank
from kerastorch.ops.keras_op import keras_op

INTERPOLATIONS = {"nearest": 0, "bilinear": 1}


def _channels_last_batch(images: torch.Tensor, data_format: str) -> tuple[torch.Tensor, bool]:
    unbatched = images.ndim == 3
    if unbatched:
        images = images.unsqueeze(0)
    if data_format == "channels_first":
        images = images.permute(0, 2, 3, 1)
    return images, unbatched


def _restore(images: torch.Tensor, data_format: str, unbatched: bool) -> torch.Tensor:
    if data_format == "channels_first":
        images = images.permute(0, 3, 1, 2)
    return images.squeeze(0) if unbatched else images


def _grid(height: int, width: int, dtype: torch.dtype, device: Any) -> tuple[torch.Tensor, ...]:
    """The output pixels' `(y, x)` coordinates, each of shape (height, width)."""
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    return torch.meshgrid(rows, cols, indexing="ij")


def _float_dtype(x: torch.Tensor) -> torch.dtype:
    return x.dtype if x.is_floating_point() else torch.float32


def _batch_of(op: str, parameters: torch.Tensor, batch: int, name: str) -> None:
    if parameters.shape[0] not in (1, batch):
        raise ValueError(
            f"{op}: `{name}` must hold one entry or one per image ({batch}). Received: "
            f"{name}.shape={tuple(parameters.shape)}"
        )


@keras_op("image", tensors=("images", "transform"))
def affine_transform(
    images: Any,
    transform: Any,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Apply projective transforms (one per image, or one for all) to images.

    A transform `[a0, a1, a2, b0, b1, b2, c0, c1]` maps each output point `(x, y)` to the
    input point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`
    (the inverse of the image's motion). Keras's torch backend ignores `c0` and `c1`.

    Args:
        images: one image (rank 3) or a batch (rank 4).
        transform: a vector of 8 or an `(N, 8)` matrix.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: the value outside the input when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The transformed images, of the input's shape and dtype.

    Example:
        >>> import torch
        >>> zoom = torch.tensor([0.5, 0, 0, 0, 0.5, 0, 0, 0])
        >>> affine_transform(torch.ones(2, 8, 8, 3), zoom).shape
        torch.Size([2, 8, 8, 3])
    """
    check_choice("affine_transform", "interpolation", interpolation, tuple(INTERPOLATIONS))
    check_choice("affine_transform", "fill_mode", fill_mode, FILL_MODES)
    images, transform = convert_to_tensor(images), convert_to_tensor(transform)
    check_rank("affine_transform", images)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(
            "affine_transform: Invalid transform shape: expected (8,) (single transform) or "
            f"(N, 8) (batch of transforms). Received: transform.shape={tuple(transform.shape)}"
        )
    data_format = config.standardize_data_format(data_format)
    images, unbatched = _channels_last_batch(images, data_format)
    batch, height, width = images.shape[:3]
    transform = transform.reshape(-1, 8)
    _batch_of("affine_transform", transform, batch, "transform")
    transform = transform.to(device=images.device, dtype=_float_dtype(transform))
    y, x = _grid(height, width, transform.dtype, images.device)
    a0, a1, a2, b0, b1, b2, c0, c1 = (t.view(-1, 1, 1) for t in transform.unbind(-1))
    k = c0 * x + c1 * y + 1.0
    x_in = ((a0 * x + a1 * y + a2) / k).expand(batch, height, width)
    y_in = ((b0 * x + b1 * y + b2) / k).expand(batch, height, width)
    out = sample_images(images, y_in, x_in, INTERPOLATIONS[interpolation], fill_mode, fill_value)
    return _restore(out, data_format, unbatched)


def _homography(start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """(N, 8) projective transforms mapping each `end` quad to its `start` quad."""
    ex, ey = end.unbind(-1)  # (N, 4) each
    sx, sy = start.unbind(-1)
    one, zero = torch.ones_like(ex), torch.zeros_like(ex)
    rows_x = torch.stack((ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey), dim=-1)
    rows_y = torch.stack((zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey), dim=-1)
    matrix = torch.stack((rows_x, rows_y), dim=2).reshape(-1, 8, 8)
    target = torch.stack((sx, sy), dim=-1).reshape(-1, 8, 1)
    solve_dtype = torch.promote_types(matrix.dtype, torch.float32)
    # `solve_ex` skips the singularity check, which would read a flag back from the device.
    solution, _ = torch.linalg.solve_ex(matrix.to(solve_dtype), target.to(solve_dtype))
    return solution.reshape(-1, 8).to(start.dtype)


def _check_points(points: torch.Tensor, name: str) -> None:
    if tuple(points.shape[-2:]) != (4, 2) or points.ndim not in (2, 3):
        raise ValueError(
            f"perspective_transform: Invalid {name} shape: expected (4,2) for a single image "
            f"or (N,4,2) for a batch. Received shape: {tuple(points.shape)}"
        )


@keras_op("image", tensors=("images", "start_points", "end_points"))
def perspective_transform(
    images: Any,
    start_points: Any,
    end_points: Any,
    interpolation: str = "bilinear",
    fill_value: float = 0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Warp images so that the four `start_points` move to the four `end_points`.

    Args:
        images: one image (rank 3) or a batch (rank 4).
        start_points: `(4, 2)` or `(N, 4, 2)` `(x, y)` corners in the input image.
        end_points: the corners they move to in the output, of the same shape.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_value: the value of output points that come from outside the input.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The warped images, of the input's shape and dtype.

    Example:
        >>> import torch
        >>> corners = torch.tensor([[0.0, 0], [0, 7], [7, 0], [7, 7]])
        >>> image = torch.rand(8, 8, 3)
        >>> torch.allclose(perspective_transform(image, corners, corners), image, atol=1e-4)
        True
    """
    check_choice("perspective_transform", "interpolation", interpolation, tuple(INTERPOLATIONS))
    images = convert_to_tensor(images)
    check_rank("perspective_transform", images)
    dtype = _float_dtype(images)
    start = convert_to_tensor(start_points).to(device=images.device, dtype=dtype)
    end = convert_to_tensor(end_points).to(device=images.device, dtype=dtype)
    _check_points(start, "start_points")
    _check_points(end, "end_points")
    if start.shape != end.shape:
        raise ValueError(
            "perspective_transform: start_points and end_points must have the same shape. "
            f"Received start_points.shape={tuple(start.shape)}, "
            f"end_points.shape={tuple(end.shape)}"
        )
    data_format = config.standardize_data_format(data_format)
    images, unbatched = _channels_last_batch(images, data_format)
    batch, height, width = images.shape[:3]
    transforms = _homography(start.reshape(-1, 4, 2), end.reshape(-1, 4, 2))
    _batch_of("perspective_transform", transforms, batch, "start_points")
    y, x = _grid(height, width, dtype, images.device)
    a0, a1, a2, a3, a4, a5, a6, a7 = (t.view(-1, 1, 1) for t in transforms.unbind(-1))
    denominator = a6 * x + a7 * y + 1.0
    x_in = ((a0 * x + a1 * y + a2) / denominator).expand(batch, height, width)
    y_in = ((a3 * x + a4 * y + a5) / denominator).expand(batch, height, width)
    order = INTERPOLATIONS[interpolation]
    out = sample_images(images, y_in, x_in, order, "constant", fill_value)
    return _restore(out, data_format, unbatched)


def _generator(seed: Any, device: torch.device) -> torch.Generator | None:
    """A generator seeded with `seed`; `None` (the global generator) for `seed=None`."""
    if seed is None or device.type == "meta":
        return None
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(
            f"elastic_transform: `seed` must be an int or None. Received: seed={seed!r}"
        )
    return torch.Generator(device=device).manual_seed(seed)


@keras_op("image")
def elastic_transform(
    images: Any,
    alpha: float = 20.0,
    sigma: float = 5.0,
    interpolation: str = "bilinear",
    fill_mode: str = "reflect",
    fill_value: float = 0.0,
    seed: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Deform images with a random displacement field smoothed by a Gaussian.

    Each image gets displacements `alpha * blur(sigma * N(0, 1))` along x and y (a blur of
    size `int(6 * sigma) | 1`); the pixels are read back with `interpolation`/`fill_mode`.
    `seed=None` draws from torch's global generator (as Keras's torch backend does), an
    int seed from a generator of its own.

    Args:
        images: one image (rank 3) or a batch (rank 4).
        alpha: the strength of the deformation.
        sigma: the smoothness of the displacement field (a Python number).
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: the value outside the input when `fill_mode="constant"`.
        seed: an int for a reproducible deformation, or `None`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Returns:
        The deformed images, of the input's shape and dtype.

    Example:
        >>> import torch
        >>> image = torch.rand(8, 8, 3)
        >>> torch.equal(elastic_transform(image, seed=1), elastic_transform(image, seed=1))
        True
    """
    check_choice("elastic_transform", "interpolation", interpolation, tuple(INTERPOLATIONS))
    check_choice("elastic_transform", "fill_mode", fill_mode, FILL_MODES)
    images = convert_to_tensor(images)
    check_rank("elastic_transform", images)
    data_format = config.standardize_data_format(data_format)
    images, unbatched = _channels_last_batch(images, data_format)
    batch, height, width = images.shape[:3]
    dtype = _float_dtype(images)
    generator = _generator(seed, images.device)
    size = int(6 * sigma) | 1
    shifts = []
    for _ in range(2):  # dx, then dy, as Keras draws them
        noise = torch.normal(
            0.0, 1.0, (batch, height, width), generator=generator, dtype=dtype,
            device=images.device,
        ) * sigma  # fmt: skip
        smooth = gaussian_blur(noise.unsqueeze(1), (size, size), (sigma, sigma), "channels_first")
        shifts.append(alpha * smooth.squeeze(1))
    y, x = _grid(height, width, dtype, images.device)
    order = INTERPOLATIONS[interpolation]
    out = sample_images(images, y + shifts[1], x + shifts[0], order, fill_mode, fill_value)
    return _restore(out, data_format, unbatched)


__all__ = ["affine_transform", "elastic_transform", "perspective_transform"]
