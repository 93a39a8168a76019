"""`keras.ops` core group: dtypes and shapes, casts, slices, scatters, `stop_gradient`, ...

The control-flow ops (`cond`, `scan`, `while_loop`, ...) live in `control_flow.py` and are
gathered here, as Keras keeps them all in `keras.src.ops.core`.

Example:
    >>> import torch
    >>> saturate_cast(torch.tensor([-1.0, 300.0]), "uint8").tolist()
    [0, 255]
    >>> slice(torch.arange(6).reshape(2, 3), (0, 1), (2, 2)).tolist()
    [[1, 2], [4, 5]]
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import torch

from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.ops.control_flow import (
    associative_scan,
    cond,
    custom_gradient,
    fori_loop,
    map,
    scan,
    switch,
    vectorized_map,
    while_loop,
)
from kerastorch.ops.conversion import convert_to_numpy, convert_to_tensor
from kerastorch.ops.keras_op import keras_op


def is_tensor(x: Any) -> bool:
    """Whether `x` is a torch tensor (the backend's native tensor)."""
    return isinstance(x, torch.Tensor)


def shape(x: Any) -> tuple[int | None, ...]:
    """The shape of `x` as a tuple of ints (`None` for unknown sizes of a KerasTensor)."""
    if isinstance(x, KerasTensor):
        return x.shape
    if isinstance(x, torch.Tensor):
        return tuple(x.shape)
    return tuple(convert_to_tensor(x).shape)


def dtype(x: Any) -> str:
    """The dtype of `x` as Keras's string (`"float32"`, `"int32"`, ...)."""
    if isinstance(x, KerasTensor):
        return x.dtype
    return standardize_dtype(convert_to_tensor(x).dtype)


@keras_op("core")
def cast(x: Any, dtype: Any) -> torch.Tensor:
    """`x` as `dtype` (returned untouched when it already has it)."""
    target = to_torch_dtype(dtype)
    x = convert_to_tensor(x)
    return x if x.dtype == target else x.to(target)


def _limits(name: str) -> tuple[float, float]:
    if name == "bool":
        return 0, 1
    info = torch.iinfo if "int" in name else torch.finfo
    kind = info(to_torch_dtype(name))
    return kind.min, kind.max


@keras_op("core", class_name="SaturateCast")
def saturate_cast(x: Any, dtype: Any) -> torch.Tensor:
    """`x` clipped to the range of `dtype`, then cast to it (no wrap-around on overflow)."""
    x = convert_to_tensor(x)
    name = standardize_dtype(dtype)
    source = standardize_dtype(x.dtype)
    (in_min, in_max), (out_min, out_max) = _limits(source), _limits(name)
    np_source = "float32" if source == "bfloat16" else source
    low = np.asarray(builtins.max(in_min, out_min)).astype(np_source)
    if low < out_min:
        low = np.nextafter(low, 0, dtype=np_source)
    high = np.asarray(builtins.min(in_max, out_max)).astype(np_source)
    if high > out_max:
        high = np.nextafter(high, 0, dtype=np_source)
    if source != "bool":
        x = torch.clamp(x, low.item(), high.item())
    return x.to(to_torch_dtype(name))


@keras_op("core", tensors=("inputs",))
def slice(inputs: Any, start_indices: Any, shape: Any) -> torch.Tensor:
    """The block of `inputs` of size `shape` starting at `start_indices`.

    Python ints slice directly; tensor `start_indices` use `torch.narrow` (one host sync each).
    """
    inputs = convert_to_tensor(inputs)
    if len(start_indices) != inputs.ndim or len(shape) != inputs.ndim:
        raise ValueError(
            f"slice: `start_indices` and `shape` must have one entry per axis of `inputs` "
            f"({inputs.ndim}). Received: start_indices={start_indices}, shape={shape}"
        )
    if all(isinstance(s, int) for s in (*start_indices, *shape)):
        return inputs[
            tuple(builtins.slice(s, s + n) for s, n in zip(start_indices, shape, strict=True))
        ]
    result = inputs
    for axis, (start, size) in enumerate(zip(start_indices, shape, strict=True)):
        result = torch.narrow(result, axis, int(start), int(size))
    return result


@keras_op("core", tensors=("inputs", "updates"), class_name="SliceUpdate")
def slice_update(inputs: Any, start_indices: Any, updates: Any) -> torch.Tensor:
    """A copy of `inputs` with the block at `start_indices` replaced by `updates`."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates).to(inputs.dtype)
    if len(start_indices) != inputs.ndim or updates.ndim != inputs.ndim:
        raise ValueError(
            f"slice_update: `start_indices` and `updates` must match the rank of `inputs` "
            f"({inputs.ndim}). Received: start_indices={start_indices}, "
            f"updates.shape={tuple(updates.shape)}"
        )
    outputs = inputs.clone()
    if all(isinstance(s, int) for s in start_indices):
        block = tuple(
            builtins.slice(s, s + n) for s, n in zip(start_indices, updates.shape, strict=True)
        )
        outputs[block] = updates
        return outputs
    starts = convert_to_tensor(start_indices, "int64").to(inputs.device)
    grids = torch.meshgrid(
        *(torch.arange(n, device=inputs.device) + starts[i] for i, n in enumerate(updates.shape)),
        indexing="ij",
    )
    outputs.index_put_(tuple(g.flatten() for g in grids), updates.flatten())
    return outputs


@keras_op("core", tensors=("indices", "values"))
def scatter(indices: Any, values: Any, shape: Any) -> torch.Tensor:
    """A zero tensor of `shape` with `values` added at `indices` (duplicates add up).

    Example:
        >>> import torch
        >>> scatter(torch.tensor([[1], [1], [3]]), torch.tensor([1.0, 2.0, 5.0]), (4,)).tolist()
        [0.0, 3.0, 0.0, 5.0]
    """
    indices = convert_to_tensor(indices).long()
    values = convert_to_tensor(values)
    shape = tuple(int(s) for s in shape)
    depth = indices.shape[-1]
    if depth > len(shape):
        raise ValueError(
            f"scatter: `indices` index {depth} axes but `shape` has only {len(shape)}. "
            f"Received: indices.shape={tuple(indices.shape)}, shape={shape}"
        )
    out = torch.zeros(shape, dtype=values.dtype, device=values.device)
    flat = indices.reshape(-1, depth).to(values.device)
    out.index_put_(tuple(flat.T), values.reshape(-1, *shape[depth:]), accumulate=True)
    return out


_REDUCE = {None: None, "add": "sum", "max": "amax", "min": "amin", "mul": "prod"}


@keras_op("core", tensors=("inputs", "indices", "updates"), class_name="ScatterUpdate")
def scatter_update(inputs: Any, indices: Any, updates: Any, reduction: str | None = None) -> Any:
    """A copy of `inputs` with `updates` written (or combined by `reduction`: `"add"`,
    `"max"`, `"min"`, `"mul"`) at `indices` of shape `(N, depth)`.
    """
    if reduction not in _REDUCE:
        raise ValueError(
            f"scatter_update: `reduction` must be None, 'add', 'max', 'min' or 'mul'. "
            f"Received: reduction={reduction!r}"
        )
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices).long().to(inputs.device)
    updates = convert_to_tensor(updates).to(inputs.dtype)
    index = tuple(indices.T)
    outputs = inputs.clone()
    if reduction is None:
        outputs[index] = updates
    elif reduction == "add":
        outputs.index_put_(index, updates, accumulate=True)
    else:
        depth = indices.shape[-1]
        tail = inputs.shape[depth:]
        strides = torch.tensor(inputs.shape[:depth], device=inputs.device).flip(0).cumprod(0)
        strides = torch.cat([strides.new_ones(1), strides[:-1]]).flip(0)
        rows = (indices * strides).sum(-1)
        flat = outputs.reshape(-1, *tail)
        ids = rows.reshape(-1, *(1,) * len(tail)).expand(-1, *tail)
        flat = flat.scatter_reduce(0, ids, updates.reshape(-1, *tail), _REDUCE[reduction])
        outputs = flat.reshape(inputs.shape)
    return outputs


@keras_op("core", tensors=("variable",), class_name="StopGradient")
def stop_gradient(variable: Any) -> torch.Tensor:
    """`variable`'s value, cut from the autograd graph."""
    return convert_to_tensor(variable).detach()


@keras_op("core")
def unstack(x: Any, num: int | None = None, axis: int = 0) -> list[torch.Tensor]:
    """The slices of `x` along `axis`, as a list."""
    x = convert_to_tensor(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(
            f"unstack: `num` must equal x.shape[axis]. Received: num={num}, "
            f"x.shape={tuple(x.shape)}, axis={axis}"
        )
    return list(x.unbind(axis))


__all__ = [
    "associative_scan",
    "cast",
    "cond",
    "convert_to_numpy",
    "convert_to_tensor",
    "custom_gradient",
    "dtype",
    "fori_loop",
    "is_tensor",
    "map",
    "saturate_cast",
    "scan",
    "scatter",
    "scatter_update",
    "shape",
    "slice",
    "slice_update",
    "stop_gradient",
    "switch",
    "unstack",
    "vectorized_map",
    "while_loop",
]
