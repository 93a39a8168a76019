"""Indexing ops of `keras.ops.numpy`: where, select, take, nonzero, digitize, unravel_index.

Indices may be negative (counted from the end, as Keras). `nonzero(x)` and the one-argument
`where(condition)` return one tensor of shape `(x.ndim, count)` (a row per axis, as Keras
on torch), whose size depends on the data: on KerasTensors the count is `None`.

Example:
    >>> import torch
    >>> where(torch.tensor([True, False]), 1, 2.5).tolist()
    [1.0, 2.5]
    >>> nonzero(torch.tensor([[0, 3], [4, 0]])).tolist()
    [[0, 1], [1, 0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation
from kerastorch.ops.conversion import convert_to_tensor, promote
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["digitize", "nonzero", "select", "take", "take_along_axis", "unravel_index", "where"]


def _indices(indices: Any, size: int, device: torch.device) -> Tensor:
    """`indices` as int64 on `device`, negative ones counted from the end of `size`."""
    indices = convert_to_tensor(indices).to(device, torch.int64)
    return torch.where(indices < 0, indices + size, indices)


@keras_op("numpy", tensors=("condition", "x1", "x2"))
def where(condition: Any, x1: Any = None, x2: Any = None) -> Tensor:
    """`x1` where `condition` holds, else `x2` (broadcast, promoted to one dtype).

    With `condition` alone: the indices of its true elements, an `int64` tensor of shape
    `(condition.ndim, count)` (as Keras on torch).
    """
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "where: `x1` and `x2` must both be None or both be given. "
            f"Received: x1={'None' if x1 is None else 'a value'}, "
            f"x2={'None' if x2 is None else 'a value'}"
        )
    condition = convert_to_tensor(condition)
    if x1 is None:
        return torch.stack(torch.where(condition.bool()))
    x1, x2 = promote(x1, x2)
    return torch.where(condition.to(x1.device, torch.bool), x1, x2)


@keras_op("numpy")
def nonzero(x: Any) -> Tensor:
    """The indices of the nonzero elements of `x`: `int32`, shape `(x.ndim, count)`."""
    return torch.nonzero(convert_to_tensor(x)).T.to(torch.int32)


def _data_dependent_spec(operation: Operation, condition: Any, *values: Any) -> Any:
    """`(ndim, None)` index specs where the count depends on the data; else traced."""
    if any(v is not None for v in values):
        return Operation.compute_output_spec(operation, condition, *values)
    dtype = "int32" if type(operation).__name__ == "Nonzero" else "int64"
    return KerasTensor((len(condition.shape), None), dtype)


where.operation_class.compute_output_spec = _data_dependent_spec
nonzero.operation_class.compute_output_spec = _data_dependent_spec


@keras_op("numpy", tensors=("condlist", "choicelist", "default"))
def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Tensor:
    """From `choicelist`, the entry of the first true condition of `condlist`, else `default`.

    Example:
        >>> import torch
        >>> x = torch.tensor([-1.0, 0.0, 2.0])
        >>> select([x < 0, x > 0], [x * 10, x], default=7).tolist()
        [-10.0, 7.0, 2.0]
    """
    if len(condlist) != len(choicelist) or not condlist:
        raise ValueError(
            "select: `condlist` and `choicelist` must be non-empty and of the same length. "
            f"Received: {len(condlist)} conditions and {len(choicelist)} choices"
        )
    *choices, out = promote(*choicelist, default)
    for condition, choice in zip(reversed(condlist), reversed(choices), strict=True):
        out = torch.where(convert_to_tensor(condition).to(choice.device, torch.bool), choice, out)
    return out


@keras_op("numpy", tensors=("x", "indices"))
def take(x: Any, indices: Any, axis: int | None = None) -> Tensor:
    """The elements of `x` at `indices` along `axis` (of the flattened `x` when None).

    Example:
        >>> import torch
        >>> take(torch.tensor([[1, 2], [3, 4]]), [[0, -1]], axis=1).tolist()
        [[[1, 2]], [[3, 4]]]
    """
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis %= max(x.ndim, 1)
    indices = _indices(indices, x.shape[axis], x.device)
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1 :])


@keras_op("numpy", tensors=("x", "indices"))
def take_along_axis(x: Any, indices: Any, axis: int | None = None) -> Tensor:
    """The elements of `x` at `indices` along `axis` (broadcast on the other axes)."""
    x = convert_to_tensor(x)
    size = x.numel() if axis is None else x.shape[axis]
    return torch.take_along_dim(x, _indices(indices, size, x.device), dim=axis)


@keras_op("numpy", tensors=("x", "bins"))
def digitize(x: Any, bins: Any) -> Tensor:
    """The index of the bin of each element of `x` (NumPy's `digitize`, increasing bins).

    Example:
        >>> digitize([0.5, 2.0, 3.0], [1.0, 2.0]).tolist()
        [0, 2, 2]
    """
    x, bins = convert_to_tensor(x), convert_to_tensor(bins)
    if bins.ndim != 1:
        raise ValueError(f"digitize: `bins` must be 1-D. Received: bins.shape={tuple(bins.shape)}")
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.bucketize(x, bins.to(x.device), right=True).to(torch.int32)


@keras_op("numpy", tensors=("indices",))
def unravel_index(indices: Any, shape: Sequence[int]) -> tuple[Tensor, ...]:
    """The coordinates in an array of `shape` of the flat `indices`, one tensor per axis.

    Example:
        >>> [t.tolist() for t in unravel_index([1, 5], (2, 3))]
        [[0, 1], [1, 2]]
    """
    indices = convert_to_tensor(indices)
    dtype = to_torch_dtype(result_type(indices.dtype))
    return tuple(t.to(dtype) for t in torch.unravel_index(indices, tuple(shape)))
