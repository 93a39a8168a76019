"""Sampling an array at fractional coordinates: `map_coordinates` and the image sampler.

Nearest (order 0) and linear (order 1) interpolation with Keras's fill modes; out-of-range
indices are folded back by `constant`/`nearest` (clip), `wrap`, `mirror` or `reflect`. With
`constant`, each corner outside the input counts as `fill_value` in the blend, as Keras's
torch backend does. `sample_images` is the same algorithm for a batch of channels-last
images sampled at per-image `(y, x)` grids (used by the geometric transforms).

Example:
    >>> import torch
    >>> x = torch.arange(4.0)
    >>> map_coordinates(x, [torch.tensor([0.5, 3.5, -1.0])], order=1).tolist()
    [0.5, 1.5, 0.0]
    >>> map_coordinates(x, [torch.tensor([-1.0, 4.0])], order=0, fill_mode="wrap").tolist()
    [3.0, 0.0]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import torch

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.image.validation import check_choice
from kerastorch.ops.keras_op import keras_op

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _mirror(index: torch.Tensor, size: int) -> torch.Tensor:
    if size == 1:
        return torch.zeros_like(index)
    half = size - 1  # half the period of the triangular wave
    return ((index + half) % (2 * half) - half).abs()


def _reflect(index: torch.Tensor, size: int) -> torch.Tensor:
    return torch.div(_mirror(2 * index + 1, 2 * size + 1) - 1, 2, rounding_mode="floor")


_FIXERS: dict[str, Callable[[torch.Tensor, int], torch.Tensor]] = {
    "constant": lambda index, size: index.clamp(0, size - 1),
    "nearest": lambda index, size: index.clamp(0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": _reflect,
}


def _nodes(coordinate: torch.Tensor, order: int) -> list[tuple[torch.Tensor, Any]]:
    """(integer index, weight) pairs of one axis; the weight `None` means 1."""
    if order == 0:
        if coordinate.is_floating_point():
            coordinate = torch.round(coordinate)
        return [(coordinate.long(), None)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.long()
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def interpolate(
    gather: Callable[[tuple[torch.Tensor, ...]], torch.Tensor],
    coordinates: Sequence[torch.Tensor],
    sizes: Sequence[int],
    order: int,
    fill_mode: str,
    fill_value: Any,
    dtype: torch.dtype,
    expand: Callable[[torch.Tensor], torch.Tensor] = lambda t: t,
) -> torch.Tensor:
    """Blend `gather(indices)` over the interpolation corners of `coordinates`.

    `gather` reads the input at one integer index per axis; `expand` shapes a weight or a
    validity mask (of the coordinates' shape) to the gathered values' shape. The result is
    cast to `dtype`, rounded first when `dtype` is an integer type.
    """
    fixer = _FIXERS[fill_mode]
    axes = []
    for coordinate, size in zip(coordinates, sizes, strict=True):
        axes.append(
            [(fixer(i, size), (i >= 0) & (i < size), w) for i, w in _nodes(coordinate, order)]
        )
    is_int = not (dtype.is_floating_point or dtype.is_complex)
    if is_int and isinstance(fill_value, (int, float)):
        fill_value = int(fill_value)
    result = None
    for corner in itertools.product(*axes):
        values = gather(tuple(index for index, _, _ in corner))
        if fill_mode == "constant":
            valid = corner[0][1]
            for _, mask, _ in corner[1:]:
                valid = valid & mask
            values = torch.where(expand(valid), values, fill_value)
        weights = [w for _, _, w in corner if w is not None]
        if weights:
            weight = weights[0]
            for w in weights[1:]:
                weight = weight * w
            values = expand(weight) * values
        result = values if result is None else result + values
    if is_int and result.is_floating_point():
        result = torch.round(result)
    return result.to(dtype)


def check_order(op: str, order: int) -> None:
    """Raise unless `order` is 0 (nearest) or 1 (linear)."""
    if order not in (0, 1):
        raise NotImplementedError(
            f"{op}: only `order` 0 (nearest) and 1 (linear) are supported, as in Keras. "
            f"Received: order={order!r}"
        )


def sample_images(
    images: torch.Tensor,
    y: torch.Tensor,
    x: torch.Tensor,
    order: int,
    fill_mode: str,
    fill_value: Any,
) -> torch.Tensor:
    """Sample channels-last `images` (B, H, W, C) at per-image float grids `y`, `x` (B, h, w)."""
    batch = torch.arange(images.shape[0], device=images.device).view(-1, 1, 1)
    return interpolate(
        lambda index: images[batch, index[0], index[1]],
        (y, x),
        images.shape[1:3],
        order,
        fill_mode,
        fill_value,
        images.dtype,
        expand=lambda t: t.unsqueeze(-1),
    )


@keras_op("image", tensors=("inputs", "coordinates"))
def map_coordinates(
    inputs: Any,
    coordinates: Any,
    order: int,
    fill_mode: str = "constant",
    fill_value: float = 0,
) -> torch.Tensor:
    """Map the input array to new coordinates by interpolation (like `scipy.ndimage`).

    Args:
        inputs: the input array, of any rank.
        coordinates: one coordinate array per axis of `inputs` (a tensor whose first
            dimension is `inputs.ndim`, or a list), all of the output's shape.
        order: `0` (nearest neighbour, ties to even) or `1` (linear).
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: the value outside the input when `fill_mode="constant"`.

    Returns:
        The sampled values, of the coordinates' shape and the input's dtype (integer inputs
        are rounded).

    Example:
        >>> import torch
        >>> image = torch.arange(9.0).reshape(3, 3)
        >>> map_coordinates(image, torch.tensor([[0.5], [1.0]]), order=1).tolist()
        [2.5]
    """
    inputs = convert_to_tensor(inputs)
    if isinstance(coordinates, (list, tuple)):
        coordinates = [convert_to_tensor(c) for c in coordinates]
        leading = len(coordinates)
    else:
        coordinates = convert_to_tensor(coordinates)
        leading = coordinates.shape[0] if coordinates.ndim else 0
    if leading != inputs.ndim:
        raise ValueError(
            "map_coordinates: First dim of `coordinates` must be the same as the rank of "
            f"`inputs`. Received inputs with shape: {tuple(inputs.shape)} and coordinate "
            f"leading dim of {leading}"
        )
    if coordinates[0].ndim < 1:
        raise ValueError(
            "map_coordinates: Invalid coordinates rank: expected at least rank 2. Received "
            f"input with shape: {(leading, *coordinates[0].shape)}"
        )
    check_choice("map_coordinates", "fill_mode", fill_mode, FILL_MODES)
    check_order("map_coordinates", order)
    coordinates = [c.to(inputs.device) for c in coordinates]
    return interpolate(
        lambda index: inputs[index],
        coordinates,
        inputs.shape,
        order,
        fill_mode,
        fill_value,
        inputs.dtype,
    )


__all__ = ["map_coordinates"]
