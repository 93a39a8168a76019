"""Joining and splitting ops of `keras.ops.numpy`: concatenate, stack, split and their kin.

Joined tensors are promoted to one dtype with Keras's `result_type`; split ops return a
list of tensors (views of the input where torch gives views).

Example:
    >>> import torch
    >>> concatenate([torch.ones(1, 2), torch.zeros(1, 1)], axis=-1).tolist()
    [[1.0, 1.0, 0.0]]
    >>> [t.tolist() for t in split(torch.arange(4), 2)]
    [[0, 1], [2, 3]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from kerastorch.common.shapes import format_shape
from kerastorch.ops.conversion import convert_to_tensor, promote
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = [
    "append",
    "array_split",
    "concatenate",
    "dsplit",
    "dstack",
    "hsplit",
    "hstack",
    "meshgrid",
    "split",
    "stack",
    "vsplit",
    "vstack",
]


def _joined(name: str, xs: Sequence[Any]) -> list[Tensor]:
    """`xs` as tensors of one dtype (Keras's `result_type`)."""
    if not isinstance(xs, (list, tuple)) or not xs:
        raise ValueError(f"{name}: `xs` must be a non-empty list of tensors. Received: xs={xs!r}")
    return promote(*xs)


def _check_joinable(name: str, xs: list[Tensor], axis: int, new_axis: bool) -> int:
    """The canonical axis; raises unless all shapes agree off `axis` (all of them for stack)."""
    ndim = xs[0].ndim
    rank = ndim + 1 if new_axis else ndim
    if not -rank <= axis < rank:
        raise ValueError(f"{name}: `axis` {axis} is out of range for rank-{ndim} tensors.")
    axis %= rank
    reference = xs[0].shape
    for x in xs[1:]:
        differs = x.ndim != ndim or any(
            a != b
            for i, (a, b) in enumerate(zip(x.shape, reference, strict=False))
            if new_axis or i != axis
        )
        if differs:
            shapes = ", ".join(format_shape(tuple(t.shape), False) for t in xs)
            raise ValueError(
                f"{name}: all tensors must have the same shape"
                + ("" if new_axis else f" except on axis {axis}")
                + f". Received shapes: {shapes}"
            )
    return axis


@keras_op("numpy", tensors=("xs",))
def concatenate(xs: Sequence[Any], axis: int = 0) -> Tensor:
    """Join `xs` along an existing `axis` (NumPy's `concatenate`).

    Raises:
        ValueError: when the shapes differ on another axis.
    """
    xs = _joined("concatenate", xs)
    return torch.cat(xs, dim=_check_joinable("concatenate", xs, axis, new_axis=False))


@keras_op("numpy")
def stack(x: Sequence[Any], axis: int = 0) -> Tensor:
    """Join the same-shaped tensors of `x` along a new `axis`.

    Example:
        >>> import torch
        >>> stack([torch.ones(2), torch.zeros(2)], axis=1).shape
        torch.Size([2, 2])
    """
    xs = _joined("stack", x)
    return torch.stack(xs, dim=_check_joinable("stack", xs, axis, new_axis=True))


@keras_op("numpy", tensors=("x1", "x2"))
def append(x1: Any, x2: Any, axis: int | None = None) -> Tensor:
    """`x2` appended to `x1` along `axis`; both flattened when `axis` is None."""
    x1, x2 = promote(x1, x2)
    if axis is None:
        return torch.cat((x1.reshape(-1), x2.reshape(-1)))
    return torch.cat((x1, x2), dim=_check_joinable("append", [x1, x2], axis, new_axis=False))


@keras_op("numpy", tensors=("xs",))
def hstack(xs: Sequence[Any]) -> Tensor:
    """Join `xs` along axis 1 (axis 0 for 1-D tensors)."""
    return torch.hstack(_joined("hstack", xs))


@keras_op("numpy", tensors=("xs",))
def vstack(xs: Sequence[Any]) -> Tensor:
    """Join `xs` along axis 0, 1-D tensors taken as rows."""
    return torch.vstack(_joined("vstack", xs))


@keras_op("numpy", tensors=("xs",))
def dstack(xs: Sequence[Any]) -> Tensor:
    """Join `xs` along axis 2, lower-rank tensors taken as `(1, n, 1)` / `(m, n, 1)`."""
    return torch.dstack(_joined("dstack", xs))


@keras_op("numpy", tensors=("x",))
def meshgrid(*x: Any, indexing: str = "xy") -> list[Tensor]:
    """Coordinate grids from 1-D tensors; `indexing` is `"xy"` (Cartesian) or `"ij"`.

    Example:
        >>> import torch
        >>> [g.shape for g in meshgrid(torch.arange(3), torch.arange(2))]
        [torch.Size([2, 3]), torch.Size([2, 3])]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: `indexing` must be 'xy' or 'ij'. Received: {indexing!r}")
    return list(torch.meshgrid(*(convert_to_tensor(v) for v in x), indexing=indexing))


def _sections(indices_or_sections: Any) -> int | list[int]:
    """An int, or the split indices as Python ints (they fix the output shapes)."""
    if isinstance(indices_or_sections, int):
        return indices_or_sections
    if isinstance(indices_or_sections, Tensor):
        return indices_or_sections.tolist()
    return [int(i) for i in indices_or_sections]


def _even_split(name: str, x: Tensor, sections: int | list[int], axis: int) -> list[Tensor]:
    if isinstance(sections, int) and (sections <= 0 or x.shape[axis] % sections):
        raise ValueError(
            f"{name}: {sections} sections do not divide axis {axis} of size {x.shape[axis]} "
            f"evenly (x.shape={tuple(x.shape)}). Use `array_split` for uneven sections."
        )
    return list(torch.tensor_split(x, sections, dim=axis))


@keras_op("numpy")
def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """Split `x` into equal sections (an int) or at the given indices along `axis`."""
    return _even_split("split", convert_to_tensor(x), _sections(indices_or_sections), axis)


@keras_op("numpy")
def array_split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """`split`, where an int number of sections need not divide the axis evenly.

    Example:
        >>> import torch
        >>> [t.tolist() for t in array_split(torch.arange(5), 2)]
        [[0, 1, 2], [3, 4]]
    """
    return list(torch.tensor_split(convert_to_tensor(x), _sections(indices_or_sections), axis))


@keras_op("numpy")
def hsplit(x: Any, indices_or_sections: Any) -> list[Tensor]:
    """`split` along axis 1 (axis 0 for 1-D tensors)."""
    x = convert_to_tensor(x)
    return _even_split("hsplit", x, _sections(indices_or_sections), 1 if x.ndim > 1 else 0)


@keras_op("numpy")
def vsplit(x: Any, indices_or_sections: Any) -> list[Tensor]:
    """`split` along axis 0 of a tensor of rank >= 2."""
    x = convert_to_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"vsplit: `x` must have rank >= 2. Received: x.shape={tuple(x.shape)}")
    return _even_split("vsplit", x, _sections(indices_or_sections), 0)


@keras_op("numpy")
def dsplit(x: Any, indices_or_sections: Any) -> list[Tensor]:
    """`split` along axis 2 of a tensor of rank >= 3."""
    x = convert_to_tensor(x)
    if x.ndim < 3:
        raise ValueError(f"dsplit: `x` must have rank >= 3. Received: x.shape={tuple(x.shape)}")
    return _even_split("dsplit", x, _sections(indices_or_sections), 2)
