"""The top-level `tf.` tensor functions that tf.keras tutorials call, on torch tensors.

TensorFlow's names, arguments and defaults (`tf.argmax` reduces axis 0, `tf.reduce_mean` of
integers stays integer, `tf.range` of ints is int32); results are torch tensors.

Example:
    >>> x = constant([[1.0, 2.0], [3.0, 4.0]])
    >>> reduce_sum(x, axis=1).tolist(), argmax(x).tolist(), shape(x).tolist()
    ([3.0, 7.0], [1, 1], [2, 2])
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.ops.conversion import convert_to_tensor as _to_tensor
from kerastorch.variables import Variable

Tensor = torch.Tensor


def _tensor(x: Any, dtype: Any = None) -> torch.Tensor:
    return _to_tensor(x, None if dtype is None else to_torch_dtype(dtype))


def constant(value: Any, dtype: Any = None, shape: Sequence[int] | None = None,
             name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.constant`: a tensor from a value (int32 for Python ints, float32 for floats)."""
    x = _tensor(value, dtype)
    if shape is not None:
        x = x.expand(tuple(shape)).clone() if x.ndim == 0 else x.reshape(tuple(shape))
    return x


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None,
                      name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.convert_to_tensor`."""
    return _tensor(value, dtype)


def cast(x: Any, dtype: Any, name: str | None = None) -> torch.Tensor:
    """`tf.cast`."""
    return _tensor(x).to(to_torch_dtype(dtype))


def reshape(tensor: Any, shape: Sequence[int], name: str | None = None) -> torch.Tensor:
    """`tf.reshape`."""
    return _tensor(tensor).reshape(tuple(int(s) for s in shape))


def transpose(a: Any, perm: Sequence[int] | None = None, conjugate: bool = False,
              name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.transpose`: reverses the axes unless `perm` is given."""
    x = _tensor(a)
    x = x.permute(*(perm if perm is not None else reversed(range(x.ndim))))
    return x.conj() if conjugate else x


def concat(values: Sequence[Any], axis: int, name: str | None = None) -> torch.Tensor:
    """`tf.concat`."""
    return torch.cat([_tensor(v) for v in values], dim=axis)


def stack(values: Sequence[Any], axis: int = 0, name: str | None = None) -> torch.Tensor:
    """`tf.stack`."""
    return torch.stack([_tensor(v) for v in values], dim=axis)


def expand_dims(input: Any, axis: int, name: str | None = None) -> torch.Tensor:
    """`tf.expand_dims`."""
    return _tensor(input).unsqueeze(axis)


def squeeze(input: Any, axis: Any = None, name: str | None = None) -> torch.Tensor:
    """`tf.squeeze`."""
    x = _tensor(input)
    return x.squeeze() if axis is None else x.squeeze(axis)


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           name: str | None = None, **kwargs: Any) -> torch.Tensor:  # fmt: skip
    """`tf.matmul`."""
    a, b = _tensor(a), _tensor(b)
    return torch.matmul(a.mT if transpose_a else a, b.mT if transpose_b else b)


def _reduce(fn: Callable[..., torch.Tensor], doc: str) -> Callable[..., torch.Tensor]:
    def reduce(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> torch.Tensor:  # fmt: skip
        x = _tensor(input_tensor)
        dims = tuple(range(x.ndim)) if axis is None else axis
        return fn(x, dims if isinstance(dims, (tuple, list)) else (dims,), keepdims)

    reduce.__doc__ = doc
    return reduce


def _integer_mean(x: torch.Tensor, dims: tuple, keepdims: bool) -> torch.Tensor:
    if x.dtype.is_floating_point or x.is_complex():
        return x.mean(dim=dims, keepdim=keepdims)
    return x.double().mean(dim=dims, keepdim=keepdims).trunc().to(x.dtype)  # as TF: integer


def _same_dtype(x: torch.Tensor) -> torch.dtype | None:
    """TF keeps the input's dtype where torch widens integers to int64."""
    return None if x.dtype == torch.bool else x.dtype


def _prod(x: torch.Tensor, dims: tuple, keepdims: bool) -> torch.Tensor:
    for d in sorted((d % x.ndim for d in dims), reverse=True):
        x = x.prod(dim=d, keepdim=keepdims, dtype=_same_dtype(x))
    return x


def _sum(x: torch.Tensor, dims: tuple, keepdims: bool) -> torch.Tensor:
    return x.sum(dim=dims, keepdim=keepdims, dtype=_same_dtype(x))


reduce_sum = _reduce(_sum, "`tf.reduce_sum`.")
reduce_mean = _reduce(_integer_mean, "`tf.reduce_mean` (integer inputs give integers, as TF).")
reduce_max = _reduce(lambda x, d, k: x.amax(dim=d, keepdim=k), "`tf.reduce_max`.")
reduce_min = _reduce(lambda x, d, k: x.amin(dim=d, keepdim=k), "`tf.reduce_min`.")
reduce_prod = _reduce(_prod, "`tf.reduce_prod`.")


def argmax(input: Any, axis: int | None = None, output_type: Any = torch.int64,
           name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.argmax`: along axis 0 by default, int64 indices."""
    return _tensor(input).argmax(dim=0 if axis is None else axis).to(to_torch_dtype(output_type))


def argmin(input: Any, axis: int | None = None, output_type: Any = torch.int64,
           name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.argmin`: along axis 0 by default, int64 indices."""
    return _tensor(input).argmin(dim=0 if axis is None else axis).to(to_torch_dtype(output_type))


def one_hot(
    indices: Any,
    depth: int,
    on_value: Any = None,
    off_value: Any = None,
    axis: int | None = None,
    dtype: Any = None,
    name: str | None = None,
) -> torch.Tensor:
    """`tf.one_hot`: float32 by default; indices out of range give all `off_value`."""
    index = _tensor(indices).long()
    dtype = to_torch_dtype(dtype or "float32")
    valid = (index >= 0) & (index < depth)
    hot = torch.nn.functional.one_hot(torch.where(valid, index, 0), depth) * valid[..., None]
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    out = torch.where(hot.bool(), torch.tensor(on, dtype=dtype), torch.tensor(off, dtype=dtype))
    return out if axis in (None, -1) else out.movedim(-1, axis)


def square(x: Any, name: str | None = None) -> torch.Tensor:
    """`tf.square`."""
    return torch.square(_tensor(x))


def sqrt(x: Any, name: str | None = None) -> torch.Tensor:
    """`tf.sqrt`."""
    return torch.sqrt(_tensor(x))


def exp(x: Any, name: str | None = None) -> torch.Tensor:
    """`tf.exp`."""
    return torch.exp(_tensor(x))


def log(x: Any, name: str | None = None) -> torch.Tensor:
    """`tf.math.log`."""
    return torch.log(_tensor(x))


def abs(x: Any, name: str | None = None) -> torch.Tensor:
    """`tf.abs`."""
    return torch.abs(_tensor(x))


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.clip_by_value`."""
    return torch.clamp(_tensor(t), clip_value_min, clip_value_max)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> torch.Tensor:
    """`tf.where`: elementwise choice, or with one argument the int64 coordinates of Trues."""
    condition = _tensor(condition).bool()
    if x is None and y is None:
        return torch.nonzero(condition)
    return torch.where(condition, _tensor(x), _tensor(y))


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,
          name: str | None = "range") -> torch.Tensor:  # fmt: skip
    """`tf.range`: int32 for integer bounds, float32 otherwise."""
    if limit is None:
        start, limit = 0, start
    if dtype is None and _all_int(start, limit, delta):
        return torch.arange(start, limit, delta, dtype=torch.int32)
    return torch.arange(start, limit, delta, dtype=to_torch_dtype(dtype or "float32"))


def _all_int(*values: Any) -> bool:
    return all(isinstance(v, int) for v in values)


def zeros(shape: Any, dtype: Any = torch.float32, name: str | None = None) -> torch.Tensor:
    """`tf.zeros`."""
    return torch.zeros(tuple(shape) if not isinstance(shape, int) else (shape,),
                       dtype=to_torch_dtype(dtype))  # fmt: skip


def ones(shape: Any, dtype: Any = torch.float32, name: str | None = None) -> torch.Tensor:
    """`tf.ones`."""
    return torch.ones(tuple(shape) if not isinstance(shape, int) else (shape,),
                      dtype=to_torch_dtype(dtype))  # fmt: skip


def zeros_like(input: Any, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """`tf.zeros_like`."""
    x = _tensor(input)
    return torch.zeros_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def ones_like(input: Any, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """`tf.ones_like`."""
    x = _tensor(input)
    return torch.ones_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def linspace(
    start: Any, stop: Any, num: int, name: str | None = None, axis: int = 0
) -> torch.Tensor:
    """`tf.linspace`: float32."""
    return torch.linspace(float(start), float(stop), int(num))


def shape(input: Any, out_type: Any = torch.int32, name: str | None = None) -> torch.Tensor:
    """`tf.shape`: the shape as an int32 tensor."""
    return torch.tensor(tuple(_tensor(input).shape), dtype=to_torch_dtype(out_type))


def function(func: Callable[..., Any] | None = None, **kwargs: Any) -> Any:
    """`tf.function`: the function itself (eager torch runs the same computation).

    Used as `@tf.function` or `@tf.function(jit_compile=True)`; compile a model with
    `model.compile(jit_compile=True)` for `torch.compile`.
    """
    if func is None:
        return lambda f: f
    return func


def print(*inputs: Any, **kwargs: Any) -> None:
    """`tf.print`: Python's print."""
    builtins.print(*inputs, **{k: v for k, v in kwargs.items() if k in ("sep", "end")})


__all__ = [
    "Tensor", "Variable", "abs", "argmax", "argmin", "cast", "clip_by_value", "concat",
    "constant", "convert_to_tensor", "exp", "expand_dims", "function", "linspace", "log",
    "matmul", "one_hot", "ones", "ones_like", "print", "range", "reduce_max", "reduce_mean",
    "reduce_min", "reduce_prod", "reduce_sum", "reshape", "shape", "sqrt", "square", "squeeze",
    "stack", "transpose", "where", "zeros", "zeros_like",
]  # fmt: skip
