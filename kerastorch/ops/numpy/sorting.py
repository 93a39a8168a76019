"""Sorting ops of `keras.ops.numpy`: sort, argsort, argpartition, searchsorted, unique.

`argsort` is stable (equal elements keep their order, as NumPy and Keras); index outputs
are `int32` as Keras on torch gives them. `unique` has a data-dependent size unless
`size` is given: on KerasTensors its unknown sizes are `None`.

Example:
    >>> import torch
    >>> argsort(torch.tensor([3, 1, 3, 0])).tolist()
    [3, 1, 0, 2]
    >>> unique(torch.tensor([3, 1, 3])).tolist()
    [1, 3]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["argpartition", "argsort", "searchsorted", "sort", "unique"]


def _flat_or(x: Tensor, axis: int | None) -> tuple[Tensor, int]:
    return (x.reshape(-1), 0) if axis is None else (x, axis)


@keras_op("numpy")
def sort(x: Any, axis: int | None = -1) -> Tensor:
    """`x` sorted along `axis` (the flattened `x` when None)."""
    x, axis = _flat_or(convert_to_tensor(x), axis)
    return torch.sort(x, dim=axis, stable=True).values


@keras_op("numpy")
def argsort(x: Any, axis: int | None = -1) -> Tensor:
    """The `int32` indices that sort `x` along `axis`, stable for equal elements."""
    x, axis = _flat_or(convert_to_tensor(x), axis)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@keras_op("numpy")
def argpartition(x: Any, kth: int, axis: int | None = -1) -> Tensor:
    """`int32` indices that put the `kth` element of `x` (along `axis`) in sorted position,
    smaller ones before it and larger ones after.

    The indices returned are those of a stable sort, one valid partition among many.
    """
    x, axis = _flat_or(convert_to_tensor(x), axis)
    if not -x.shape[axis] <= kth < x.shape[axis]:
        raise ValueError(
            f"argpartition: `kth` {kth} is out of range for axis {axis} of size {x.shape[axis]}."
        )
    return argsort(x, axis=axis)


@keras_op("numpy", tensors=("sorted_sequence", "values"), class_name="SearchSorted")
def searchsorted(sorted_sequence: Any, values: Any, side: str = "left") -> Tensor:
    """Where `values` would be inserted into the 1-D `sorted_sequence` to keep it sorted.

    Example:
        >>> searchsorted([1, 3, 5], [3, 6], side="right").tolist()
        [2, 3]
    """
    sequence, values = convert_to_tensor(sorted_sequence), convert_to_tensor(values)
    if sequence.ndim != 1:
        raise ValueError(
            "searchsorted: `sorted_sequence` must be 1-D. "
            f"Received: sorted_sequence.shape={tuple(sequence.shape)}"
        )
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: `side` must be 'left' or 'right'. Received: {side!r}")
    return torch.searchsorted(sequence, values.to(sequence.device), side=side, out_int32=True)


def _fit(t: Tensor, dim: int, size: int, fill: Any) -> Tensor:
    """`t` truncated or padded with `fill` to `size` along `dim`."""
    count = t.shape[dim]
    if count >= size:
        return t.narrow(dim, 0, size)
    pad_shape = list(t.shape)
    pad_shape[dim] = size - count
    return torch.cat([t, torch.full(pad_shape, fill, dtype=t.dtype, device=t.device)], dim)


@keras_op("numpy")
def unique(x: Any, sorted: bool = True, return_index: bool = False,
           return_inverse: bool = False, return_counts: bool = False, axis: int | None = None,
           size: int | None = None, fill_value: Any = None) -> Any:  # fmt: skip
    """The unique elements of `x` (or unique slices along `axis`), in sorted order.

    Args:
        x: the tensor.
        sorted: accepted for Keras's signature; the values are always sorted.
        return_index: also return the index of each value's first occurrence.
        return_inverse: also return, for each element, the index of its unique value.
        return_counts: also return how often each value occurs.
        axis: the axis of the slices; None flattens `x`.
        size: a fixed output length: truncated, or padded with `fill_value` (0 by
            default; counts pad with 0, indices with 1, as Keras on torch).
        fill_value: the padding value of the unique values.

    Returns:
        The values, followed by the requested index, inverse and counts tensors.
    """
    x = convert_to_tensor(x)
    values, inverse, counts = torch.unique(
        x, sorted=True, return_inverse=True, return_counts=True, dim=axis
    )
    dim = 0 if axis is None else axis % x.ndim
    outputs = [values]
    if return_index:
        positions = torch.arange(inverse.numel(), device=x.device)
        first = torch.full((values.shape[dim],), inverse.numel(), device=x.device)
        outputs.append(first.scatter_reduce(0, inverse.reshape(-1), positions, "amin"))
    if return_inverse:
        outputs.append(inverse)
    if return_counts:
        outputs.append(counts)
    if size is not None:
        outputs[0] = _fit(values, dim, size, 0 if fill_value is None else fill_value)
        for i in range(1, len(outputs)):
            if outputs[i] is not inverse:
                outputs[i] = _fit(outputs[i], 0, size, 1 if i == 1 and return_index else 0)
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _unique_spec(operation: Operation, x: KerasTensor) -> Any:
    """Unknown (`None`) unique counts unless `size` fixes them."""
    config = operation.get_config()
    count = config["size"]
    dim = 0 if config["axis"] is None else config["axis"] % len(x.shape)
    shape = [count] if config["axis"] is None else [*x.shape[:dim], count, *x.shape[dim + 1 :]]
    outputs = [KerasTensor(tuple(shape), x.dtype)]
    if config["return_index"]:
        outputs.append(KerasTensor((count,), "int64"))
    if config["return_inverse"]:
        inverse_shape = x.shape if config["axis"] is None else (x.shape[dim],)
        outputs.append(KerasTensor(inverse_shape, "int64"))
    if config["return_counts"]:
        outputs.append(KerasTensor((count,), "int64"))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


unique.operation_class.compute_output_spec = _unique_spec
