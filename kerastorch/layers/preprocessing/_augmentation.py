"""Shared pieces of the image augmentation layers (CutMix, MixUp, RandomErasing, ...).

- `check_unit_pair`: Keras's `_set_factor_by_name` for arguments bounded by `[0, 1]`.
- `split_data` / `merge_data`: Keras's dict inputs (`{"images": ..., "labels": ...}`).
- Sampling on the device with the layer's seeded generator (`layer._generator(device)`,
  see `BaseImagePreprocessingLayer`): `apply_mask` (Keras's "apply with probability drawn
  in `factor`"), `beta`, `permutation` and `random_boxes` (the box masks of CutMix and
  RandomErasing). Nothing here reads a value back to the host.

Example:
    >>> check_unit_pair(0.3, "scale")
    (0, 0.3)
    >>> import torch
    >>> box_masks(torch.tensor([1.0]), torch.tensor([3.0]), torch.tensor([0.0]),
    ...           torch.tensor([1.0]), 2, 4)[0, 0].int().tolist()
    [[0, 1, 1, 0], [0, 0, 0, 0]]
"""

from __future__ import annotations

from typing import Any

import torch

_BOUNDS = (0, 1)


def check_unit_pair(value: Any, name: str) -> tuple[float, float]:
    """`(lower, upper)` of a number `f` (`(0, f)`) or a pair, within `[0, 1]` (Keras's rule).

    Raises:
        ValueError: for anything else, naming the argument.
    """
    low, high = _BOUNDS
    error = (
        f"The `{name}` argument should be a number (or a list of two numbers) in the range "
        f"[{low}, {high}]. Received: factor={value}"
    )
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or value[0] > high or value[1] < low:
            raise ValueError(error)
        lower, upper = sorted(value)
        return lower, upper
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < low or value > high:
            raise ValueError(error)
        return max(-abs(value), low), abs(value)
    raise ValueError(error)


def split_data(data: Any, layer: str) -> tuple[Any, dict[str, Any] | None]:
    """The images of `data` (a tensor, or a dict with an `"images"` key) and the dict."""
    if isinstance(data, dict):
        if "images" not in data:
            raise ValueError(
                f"{layer}: a dict input must have an 'images' key. Received keys: {sorted(data)}"
            )
        return data["images"], data
    return data, None


def merge_data(data: dict[str, Any] | None, images: torch.Tensor, **updates: Any) -> Any:
    """`images` alone, or a copy of the input dict with the new images and `updates`."""
    if data is None:
        return images
    return {**data, "images": images, **updates}


def apply_mask(layer: Any, factor: tuple[float, float], n: int, device: torch.device):
    """`(n,)` booleans: each image is augmented with a probability drawn in `factor`."""
    probability = layer._uniform((n,), factor[0], factor[1], device)
    return layer._uniform((n,), 0.0, 1.0, device) < probability


def beta(layer: Any, alpha: Any, n: int, device: torch.device) -> torch.Tensor:
    """`(n,)` float32 samples of Beta(alpha, alpha) (`alpha` a number or a scalar tensor).

    Drawn as torch.distributions' Beta is (`torch._sample_dirichlet`, which has no meta
    kernel: on the meta device, where only shapes matter, an empty tensor stands in).
    """
    if device.type == "meta":
        return torch.empty(n, device=device)
    alpha = torch.as_tensor(alpha, dtype=torch.float32, device=device)
    concentration = alpha.reshape(1, 1).expand(n, 2).contiguous()
    return torch._sample_dirichlet(concentration, generator=layer._generator(device))[:, 0]


def permutation(layer: Any, n: int, device: torch.device) -> torch.Tensor:
    """A random permutation of `range(n)` (int64)."""
    return torch.randperm(n, generator=layer._generator(device), device=device)


def random_boxes(
    layer: Any, ratio_x: torch.Tensor, ratio_y: torch.Tensor, height: int, width: int
) -> tuple[torch.Tensor, ...]:
    """Keras's `_compute_crop_bounds` on both axes: boxes of `ratio * size` at random places.

    Returns:
        `(x0, x1, y0, y1)`, each of shape `(n,)` (float32 pixel coordinates).
    """
    n, device = ratio_x.shape[0], ratio_x.device
    bounds = []
    for ratio, size in ((ratio_x, width), (ratio_y, height)):
        length = ratio * size
        start = layer._uniform((n,), 0.0, 1.0, device) * (size - length)
        bounds += [start, start + length]
    return tuple(bounds)


def box_masks(
    x0: torch.Tensor,
    x1: torch.Tensor,
    y0: torch.Tensor,
    y1: torch.Tensor,
    height: int,
    width: int,
) -> torch.Tensor:
    """`(n, 1, height, width)` masks of the pixels `x0 <= x < x1`, `y0 <= y < y1`."""
    device = x0.device
    xs = torch.arange(width, dtype=x0.dtype, device=device).view(1, 1, 1, width)
    ys = torch.arange(height, dtype=x0.dtype, device=device).view(1, 1, height, 1)

    def col(t: torch.Tensor) -> torch.Tensor:
        return t.view(-1, 1, 1, 1)

    return (xs >= col(x0)) & (xs < col(x1)) & (ys >= col(y0)) & (ys < col(y1))
