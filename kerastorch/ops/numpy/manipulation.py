"""Shape and layout ops of `keras.ops.numpy`: reshape, transpose, flip, pad, tile, ...

Every op keeps its input's dtype and is one or a few torch calls (views where torch
gives views). Axes may be negative; `axis=None` means all axes (or the flattened tensor,
as in NumPy). `pad` supports NumPy's modes `constant`, `edge`, `reflect`, `symmetric`,
`wrap`/`circular`, `maximum`, `minimum`, `mean`, `median` and `empty`.

Example:
    >>> import torch
    >>> reshape(torch.arange(6), (-1, 3)).shape
    torch.Size([2, 3])
    >>> pad(torch.tensor([1, 2, 3]), 2, mode="symmetric").tolist()
    [2, 1, 1, 2, 3, 3, 2]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = [
    "broadcast_to",
    "copy",
    "diag",
    "diagflat",
    "diagonal",
    "diff",
    "expand_dims",
    "flip",
    "fliplr",
    "flipud",
    "moveaxis",
    "ndim",
    "pad",
    "ravel",
    "repeat",
    "reshape",
    "roll",
    "rot90",
    "size",
    "squeeze",
    "swapaxes",
    "tile",
    "transpose",
    "tril",
    "triu",
    "view",
]

PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap", "circular", "maximum",
             "minimum", "mean", "median", "empty")  # fmt: skip


def _axes(axis: Any) -> tuple[int, ...]:
    return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)


def _canonical(name: str, axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ValueError(f"{name}: axis {axis} is out of range for a tensor of rank {rank}.")
    return axis % rank


@keras_op("numpy")
def reshape(x: Any, newshape: Any) -> Tensor:
    """`x` with shape `newshape` (an int or a tuple; one entry may be -1)."""
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    return torch.reshape(convert_to_tensor(x), newshape)


@keras_op("numpy")
def transpose(x: Any, axes: Any = None) -> Tensor:
    """`x` with its axes permuted by `axes` (reversed by default)."""
    x = convert_to_tensor(x)
    axes = tuple(reversed(range(x.ndim))) if axes is None else tuple(axes)
    return torch.permute(x, axes)


@keras_op("numpy")
def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """`x` with axes `axis1` and `axis2` exchanged."""
    return torch.swapaxes(convert_to_tensor(x), axis1, axis2)


@keras_op("numpy")
def moveaxis(x: Any, source: Any, destination: Any) -> Tensor:
    """`x` with the axes `source` moved to the positions `destination`."""
    return torch.moveaxis(convert_to_tensor(x), _axes(source), _axes(destination))


@keras_op("numpy")
def expand_dims(x: Any, axis: Any) -> Tensor:
    """`x` with new size-1 axes at the positions `axis` (an int or a tuple) of the result.

    Example:
        >>> import torch
        >>> expand_dims(torch.ones(2, 3), (0, -1)).shape
        torch.Size([1, 2, 3, 1])
    """
    x = convert_to_tensor(x)
    rank = x.ndim + len(_axes(axis))
    for a in sorted(_canonical("expand_dims", a, rank) for a in _axes(axis)):
        x = torch.unsqueeze(x, a)
    return x


@keras_op("numpy")
def squeeze(x: Any, axis: Any = None) -> Tensor:
    """`x` without its size-1 axes (only those in `axis` when given).

    Raises:
        ValueError: when an axis in `axis` does not have size 1 (as NumPy).
    """
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    axes = tuple(_canonical("squeeze", a, x.ndim) for a in _axes(axis))
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(
                f"squeeze: cannot squeeze axis {a} of size {x.shape[a]} (it must be 1). "
                f"Received: x.shape={tuple(x.shape)}, axis={axis}"
            )
    return torch.squeeze(x, axes)


@keras_op("numpy")
def ravel(x: Any) -> Tensor:
    """`x` flattened to 1-D."""
    return torch.ravel(convert_to_tensor(x))


@keras_op("numpy")
def broadcast_to(x: Any, shape: Any) -> Tensor:
    """`x` broadcast to `shape` (NumPy's broadcasting rules)."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return torch.broadcast_to(convert_to_tensor(x), shape)


@keras_op("numpy")
def copy(x: Any) -> Tensor:
    """A copy of `x`."""
    return torch.clone(convert_to_tensor(x))


@keras_op("numpy")
def flip(x: Any, axis: Any = None) -> Tensor:
    """`x` reversed along `axis` (all axes by default)."""
    x = convert_to_tensor(x)
    return torch.flip(x, tuple(range(x.ndim)) if axis is None else _axes(axis))


@keras_op("numpy")
def fliplr(x: Any) -> Tensor:
    """`x` reversed along axis 1."""
    return torch.fliplr(convert_to_tensor(x))


@keras_op("numpy")
def flipud(x: Any) -> Tensor:
    """`x` reversed along axis 0."""
    return torch.flipud(convert_to_tensor(x))


@keras_op("numpy")
def rot90(array: Any, k: int = 1, axes: tuple[int, int] = (0, 1)) -> Tensor:
    """`array` rotated by `k` quarter turns in the plane of `axes` (first towards second)."""
    x = convert_to_tensor(array)
    if x.ndim < 2:
        raise ValueError(f"rot90: `array` must have rank >= 2. Received: shape={tuple(x.shape)}")
    if len(axes) != 2 or axes[0] % x.ndim == axes[1] % x.ndim:
        raise ValueError(f"rot90: `axes` must be two different axes. Received: axes={axes}")
    return torch.rot90(x, k, tuple(_canonical("rot90", a, x.ndim) for a in axes))


@keras_op("numpy")
def roll(x: Any, shift: Any, axis: Any = None) -> Tensor:
    """`x` rolled by `shift` along `axis` (the flattened tensor when None)."""
    return torch.roll(convert_to_tensor(x), shift, dims=axis)


@keras_op("numpy")
def tile(x: Any, repeats: Any) -> Tensor:
    """`x` repeated `repeats` times along each axis (NumPy's `tile`)."""
    if isinstance(repeats, Tensor):
        repeats = repeats.tolist()  # the output shape depends on it
    repeats = (repeats,) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    return torch.tile(convert_to_tensor(x), repeats)


@keras_op("numpy")
def repeat(x: Any, repeats: Any, axis: int | None = None) -> Tensor:
    """Each element of `x` repeated `repeats` times (an int, or one count per element).

    Example:
        >>> import torch
        >>> repeat(torch.tensor([1, 2]), [1, 2]).tolist()
        [1, 2, 2]
    """
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if isinstance(repeats, int):
        return torch.repeat_interleave(x, repeats, dim=axis)
    if not isinstance(repeats, Tensor):
        repeats = torch.as_tensor(repeats, device=x.device)
    return torch.repeat_interleave(x, repeats.to(x.device, torch.int64), dim=axis)


@keras_op("numpy")
def diag(x: Any, k: int = 0) -> Tensor:
    """The `k`-th diagonal of a 2-D `x`, or a 2-D tensor with the 1-D `x` on it."""
    x = convert_to_tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"diag: `x` must be 1-D or 2-D. Received: x.shape={tuple(x.shape)}")
    return torch.diag(x, k)


@keras_op("numpy")
def diagflat(x: Any, k: int = 0) -> Tensor:
    """A 2-D tensor with the flattened `x` on its `k`-th diagonal."""
    return torch.diagflat(convert_to_tensor(x), k)


@keras_op("numpy")
def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The diagonals of `x` in the plane `(axis1, axis2)`, appended as the last axis."""
    return torch.diagonal(convert_to_tensor(x), offset, axis1, axis2)


@keras_op("numpy")
def diff(a: Any, n: int = 1, axis: int = -1) -> Tensor:
    """The `n`-th discrete difference of `a` along `axis`."""
    return torch.diff(convert_to_tensor(a), n=n, dim=axis)


@keras_op("numpy")
def tril(x: Any, k: int = 0) -> Tensor:
    """`x` with the elements above the `k`-th diagonal (of the last two axes) set to 0."""
    return torch.tril(convert_to_tensor(x), k)


@keras_op("numpy")
def triu(x: Any, k: int = 0) -> Tensor:
    """`x` with the elements below the `k`-th diagonal (of the last two axes) set to 0."""
    return torch.triu(convert_to_tensor(x), k)


@keras_op("numpy")
def view(x: Any, dtype: Any = None) -> Tensor:
    """The bytes of `x` read as `dtype` (the last axis scales with the item sizes)."""
    x = convert_to_tensor(x)
    return x if dtype is None else x.view(to_torch_dtype(dtype))


def ndim(x: Any) -> int:
    """The rank of `x` (a tensor or a KerasTensor), a Python int."""
    rank = getattr(x, "ndim", None)
    return rank if isinstance(rank, int) else convert_to_tensor(x).ndim


@keras_op("numpy")
def size(x: Any) -> Tensor:
    """The number of elements of `x`, an `int64` scalar tensor (as Keras on torch)."""
    x = convert_to_tensor(x)
    return torch.tensor(x.numel(), dtype=torch.int64, device=x.device)


def _pad_widths(pad_width: Any, rank: int) -> list[tuple[int, int]]:
    """NumPy's `pad_width` forms (`n`, `(n,)`, `(before, after)`, one pair per axis)."""
    if isinstance(pad_width, int):
        pairs = [(pad_width, pad_width)]
    elif all(isinstance(p, int) for p in pad_width):
        pairs = [tuple(pad_width)] if len(pad_width) in (1, 2) else None
    else:
        pairs = [tuple(p) for p in pad_width]
    if pairs is None or any(len(p) not in (1, 2) for p in pairs):
        raise ValueError(
            "pad: `pad_width` must be an int, a pair, or one pair per axis. "
            f"Received: pad_width={pad_width}"
        )
    pairs = [(p[0], p[-1]) for p in pairs]
    if len(pairs) == 1:
        return pairs * rank
    if len(pairs) != rank:
        raise ValueError(
            f"pad: `pad_width` must have the same length as `x.shape`. Received: "
            f"pad_width={pad_width} (of length {len(pairs)}) and x of rank {rank}"
        )
    return pairs


def _pad_index(mode: str, n: int, before: int, after: int, device: torch.device) -> Tensor:
    """The source index of each output position along one axis, for the index modes."""
    i = torch.arange(-before, n + after, device=device)
    if mode == "edge":
        return i.clamp(0, n - 1)
    if mode in ("wrap", "circular"):
        return i % n
    if mode == "reflect":
        if n == 1:
            return torch.zeros_like(i)
        period = 2 * (n - 1)
        i = i % period
        return torch.where(i >= n, period - i, i)
    i = i % (2 * n)  # symmetric
    return torch.where(i >= n, 2 * n - 1 - i, i)


def _pad_stat(mode: str, x: Tensor, axis: int) -> Tensor:
    """The statistic of the stat modes along `axis`, kept as a size-1 axis."""
    if mode == "maximum":
        return x.amax(axis, keepdim=True)
    if mode == "minimum":
        return x.amin(axis, keepdim=True)
    values = x if x.is_floating_point() else x.double()
    if mode == "mean":
        stat = values.mean(axis, keepdim=True)
    else:
        stat = values.quantile(0.5, axis, keepdim=True)
    return stat if x.is_floating_point() else stat.round().to(x.dtype)


@keras_op("numpy", tensors=("x", "constant_values"))
def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None) -> Tensor:
    """`x` padded by `pad_width` in NumPy's `mode`.

    Args:
        x: the tensor.
        pad_width: `n`, `(n,)`, `(before, after)` for every axis, or one pair per axis.
        mode: `"constant"`, `"edge"`, `"reflect"`, `"symmetric"`, `"wrap"` (or
            `"circular"`), `"maximum"`, `"minimum"`, `"mean"`, `"median"` or `"empty"`
            (zeros here); `"linear_ramp"` is not supported.
        constant_values: the fill value of `"constant"` (0 by default).

    Example:
        >>> import torch
        >>> pad(torch.tensor([[1, 2]]), ((0, 1), (1, 0)), constant_values=9).tolist()
        [[9, 1, 2], [9, 9, 9]]
    """
    if mode not in PAD_MODES:
        raise ValueError(f"pad: `mode` must be one of {PAD_MODES}. Received: mode={mode!r}")
    if constant_values is not None and mode != "constant":
        raise ValueError(
            "pad: `constant_values` can only be given when mode='constant'. "
            f"Received: mode={mode!r}"
        )
    x = convert_to_tensor(x)
    widths = _pad_widths(pad_width, x.ndim)
    if any(w < 0 for pair in widths for w in pair):
        raise ValueError(f"pad: `pad_width` must be >= 0. Received: pad_width={pad_width}")
    if mode in ("constant", "empty"):
        flat = [w for pair in reversed(widths) for w in pair]
        value = 0 if constant_values is None else constant_values
        return torch.nn.functional.pad(x, flat, value=value)
    for axis, (before, after) in enumerate(widths):
        if before == after == 0:
            continue
        if x.shape[axis] == 0:
            raise ValueError(f"pad: mode {mode!r} cannot pad the empty axis {axis}.")
        if mode in ("maximum", "minimum", "mean", "median"):
            stat = _pad_stat(mode, x, axis)
            sizes = [list(stat.shape), list(stat.shape)]
            sizes[0][axis], sizes[1][axis] = before, after
            x = torch.cat([stat.expand(sizes[0]), x, stat.expand(sizes[1])], dim=axis)
        else:
            index = _pad_index(mode, x.shape[axis], before, after, x.device)
            x = torch.index_select(x, axis, index)
    return x
