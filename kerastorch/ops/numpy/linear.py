"""Products of `keras.ops.numpy`: matmul, dot, einsum, tensordot, outer, kron, trace, ...

Operands are promoted with Keras's `result_type`; products of integer tensors stay
integers (`int8 @ int8` gives `int32`, as Keras), computed in a float dtype where torch
has no integer kernel.

Example:
    >>> import torch
    >>> matmul(torch.ones(2, 3), torch.ones(3)).tolist()
    [3.0, 3.0]
    >>> einsum("ij,j->i", torch.eye(2), torch.tensor([1.0, 2.0])).tolist()
    [1.0, 2.0]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import torch

from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.ops.conversion import convert_to_tensor, promote
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["correlate", "cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "slogdet",
           "tensordot", "trace", "trapezoid", "vdot", "vectorize"]  # fmt: skip


def _product(x1: Any, x2: Any, fn: Callable[[Tensor, Tensor], Tensor]) -> Tensor:
    """`fn(x1, x2)` in Keras's result dtype (int8 pairs give int32), computed in float."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    names = (standardize_dtype(x1.dtype), standardize_dtype(x2.dtype))
    out = "int32" if names == ("int8", "int8") else result_type(*names)
    compute = to_torch_dtype(result_type(out, float))
    if compute == torch.float16 and x1.device.type == "cpu":
        compute = torch.float32
    return fn(x1.to(compute), x2.to(x1.device, compute)).to(to_torch_dtype(out))


@keras_op("numpy", tensors=("x1", "x2"))
def matmul(x1: Any, x2: Any) -> Tensor:
    """The matrix product of `x1` and `x2` (NumPy's `matmul`, batched)."""
    return _product(x1, x2, torch.matmul)


@keras_op("numpy", tensors=("x1", "x2"))
def dot(x1: Any, x2: Any) -> Tensor:
    """NumPy's `dot` (a scalar operand multiplies)."""
    return _product(
        x1, x2, lambda a, b: a * b if a.ndim == 0 or b.ndim == 0 else torch.matmul(a, b)
    )


@keras_op("numpy", tensors=("x1", "x2"))
def inner(x1: Any, x2: Any) -> Tensor:
    """The inner product over the last axes of `x1` and `x2`."""
    return _product(x1, x2, torch.inner)


@keras_op("numpy", tensors=("x1", "x2"))
def vdot(x1: Any, x2: Any) -> Tensor:
    """The dot product of the flattened `x1` and `x2`."""
    return _product(x1, x2, lambda a, b: torch.vdot(a.reshape(-1), b.reshape(-1)))


@keras_op("numpy", tensors=("x1", "x2"))
def outer(x1: Any, x2: Any) -> Tensor:
    """The outer product of the flattened `x1` and `x2`."""
    x1, x2 = promote(x1, x2)
    return torch.outer(x1.reshape(-1), x2.reshape(-1))


@keras_op("numpy", tensors=("x1", "x2"))
def kron(x1: Any, x2: Any) -> Tensor:
    """The Kronecker product of `x1` and `x2`."""
    x1, x2 = promote(x1, x2)
    return torch.kron(x1, x2)


@keras_op("numpy", tensors=("x1", "x2"))
def tensordot(x1: Any, x2: Any, axes: Any = 2) -> Tensor:
    """The sum of products over `axes` (an int, or two lists of axes)."""
    if isinstance(axes, (list, tuple)):
        axes = tuple(tuple(a) if isinstance(a, (list, tuple)) else (a,) for a in axes)
    return _product(x1, x2, lambda a, b: torch.tensordot(a, b, dims=axes))


@keras_op("numpy", tensors=("x1", "x2"))
def cross(x1: Any, x2: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Tensor:  # fmt: skip
    """The cross product of 3-vectors along `axisa`/`axisb` (`axis` sets all three)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = promote(x1, x2)
    out_dtype = x1.dtype
    compute = torch.float32 if out_dtype in (torch.float16, torch.bfloat16) else out_dtype
    a, b = torch.movedim(x1, axisa, -1).to(compute), torch.movedim(x2, axisb, -1).to(compute)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(
            "cross: both vectors must have 3 components on their axis. Received shapes "
            f"{tuple(x1.shape)} (axisa={axisa}) and {tuple(x2.shape)} (axisb={axisb})"
        )
    a, b = torch.broadcast_tensors(a, b)
    return torch.movedim(torch.linalg.cross(a, b), -1, axisc).to(out_dtype)


@keras_op("numpy", tensors=("operands",))
def einsum(subscripts: str, *operands: Any) -> Tensor:
    """Einstein summation of `operands` as described by `subscripts`.

    All-`int8` operands give `int32` (as Keras); mixed dtypes are promoted.
    """
    tensors = promote(*operands)
    if all(t.dtype == torch.int8 for t in tensors):
        tensors = [t.to(torch.int32) for t in tensors]
    return torch.einsum(subscripts, *tensors)


@keras_op("numpy")
def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The sum along the `offset` diagonal in the plane `(axis1, axis2)`."""
    x = convert_to_tensor(x)
    dtype = x.dtype
    if dtype in (torch.bool, torch.int8, torch.int16, torch.uint8):
        dtype = torch.int32
    return torch.diagonal(x, offset, axis1, axis2).sum(-1, dtype=dtype)


@keras_op("numpy", tensors=("x1", "x2"))
def correlate(x1: Any, x2: Any, mode: str = "valid") -> Tensor:
    """The cross-correlation of two 1-D tensors; `mode` is "valid", "same" or "full"."""
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate: `mode` must be valid, same or full. Received: {mode!r}")
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    name = result_type(x1.dtype, x2.dtype)
    name = "float64" if name == "int64" else name
    dtype = to_torch_dtype(name if name in ("bfloat16", "float16", "float64") else "float32")
    a, v = x1.to(dtype), x2.to(x1.device, dtype)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(
            "correlate: both inputs must be 1-D. "
            f"Received shapes {tuple(a.shape)}, {tuple(v.shape)}"
        )
    n, m = a.shape[0], v.shape[0]
    full = torch.nn.functional.conv1d(a[None, None], v[None, None], padding=m - 1)[0, 0]
    if mode == "full":
        return full
    length = max(n, m) - min(n, m) + 1 if mode == "valid" else n
    start = (full.shape[0] - length) // 2
    return full[start : start + length]


@keras_op("numpy")
def slogdet(x: Any) -> tuple[Tensor, Tensor]:
    """The sign and the log of the absolute value of the determinant of square `x`."""
    return tuple(torch.linalg.slogdet(convert_to_tensor(x)))


@keras_op("numpy", tensors=("y",))
def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Tensor:
    """The integral of `y` along `axis` by the trapezoidal rule (at `x`, else spacing `dx`)."""
    y = convert_to_tensor(y)
    if y.dtype == torch.bool or not (y.is_floating_point() or y.is_complex()):
        y = y.to(to_torch_dtype(result_type(standardize_dtype(y.dtype), float)))
    if x is not None:
        return torch.trapezoid(y, convert_to_tensor(x).to(y.device), dim=axis)
    return torch.trapezoid(y, dx=dx, dim=axis)


def _trapezoid_spec(operation: Any, y: KerasTensor) -> KerasTensor:
    """`y`'s shape without `axis` (`x`, in the config as in Keras, may be symbolic)."""
    axis = operation.get_config()["axis"] % len(y.shape)
    dtype = y.dtype if "float" in y.dtype else result_type(y.dtype, float)
    return KerasTensor(y.shape[:axis] + y.shape[axis + 1 :], dtype)


trapezoid.operation_class.compute_output_spec = _trapezoid_spec


def vectorize(pyfunc: Callable[..., Any], *, excluded: Any = None,
              signature: str | None = None) -> Callable[..., Any]:  # fmt: skip
    """`pyfunc` applied element by element to its broadcast tensor arguments (`torch.vmap`).

    `excluded` holds positions of arguments passed through unmapped. `signature` is
    NumPy's generalized-ufunc form (`"(n),(n)->()"`): the named trailing axes of each
    argument are handed to `pyfunc` whole, the leading axes are broadcast and mapped.

    Example:
        >>> import torch
        >>> vectorize(lambda a, b: a * b + 1)(torch.arange(3.0), 2.0).tolist()
        [1.0, 3.0, 5.0]
        >>> dot = vectorize(lambda a, b: (a * b).sum(), signature="(n),(n)->()")
        >>> dot(torch.ones(2, 3), torch.arange(3.0)).tolist()
        [3.0, 3.0]
    """
    excluded = set(excluded or ())
    core_in, core_out = _parse_gufunc_signature(signature) if signature else (None, None)

    def wrapped(*args: Any) -> Any:
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = [convert_to_tensor(args[i]) for i in positions]
        cores = core_in if core_in is not None else [()] * len(tensors)
        if len(cores) != len(tensors):
            raise ValueError(
                f"vectorize: signature={signature!r} names {len(cores)} inputs; received "
                f"{len(tensors)} mapped arguments."
            )
        sizes: dict[str, int] = {}
        for t, core in zip(tensors, cores, strict=True):
            if t.ndim < len(core):
                raise ValueError(
                    f"vectorize: an input of shape {tuple(t.shape)} has fewer axes than its "
                    f"core dimensions {core} in signature={signature!r}."
                )
            for name, size in zip(core, t.shape[t.ndim - len(core) :], strict=True):
                if sizes.setdefault(name, size) != size:
                    raise ValueError(
                        f"vectorize: core dimension '{name}' has inconsistent sizes "
                        f"{sizes[name]} and {size} (signature={signature!r})."
                    )
        pairs = [(t, t.shape[t.ndim - len(c) :]) for t, c in zip(tensors, cores, strict=True)]
        loop = torch.broadcast_shapes(*(t.shape[: t.ndim - len(c)] for t, c in pairs))
        flat = [t.expand(*loop, *c).reshape(-1, *c) for t, c in pairs]

        def call(*values: Any) -> Any:
            full = list(args)
            for i, value in zip(positions, values, strict=True):
                full[i] = value
            return pyfunc(*full)

        out = torch.vmap(call)(*flat)
        n_out = len(core_out) if core_out is not None else 1
        if n_out > 1 and not (isinstance(out, tuple) and len(out) == n_out):
            raise ValueError(
                f"vectorize: signature={signature!r} names {n_out} outputs; the function "
                f"returned {len(out) if isinstance(out, tuple) else 1}."
            )
        if isinstance(out, tuple):
            return tuple(o.reshape(*loop, *o.shape[1:]) for o in out)
        return out.reshape(*loop, *out.shape[1:])

    return wrapped


_GUFUNC_ARGUMENT = r"\((?:\w+(?:,\s*\w+)*)?\)"
_GUFUNC_LIST = rf"{_GUFUNC_ARGUMENT}(?:,\s*{_GUFUNC_ARGUMENT})*"
_GUFUNC_SIGNATURE = rf"^{_GUFUNC_LIST}\s*->\s*{_GUFUNC_LIST}$"


def _parse_gufunc_signature(signature: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """`"(m,n),(n)->(m)"` -> `([("m", "n"), ("n",)], [("m",)])`."""
    if not re.match(_GUFUNC_SIGNATURE, signature.strip()):
        raise ValueError(f"vectorize: not a valid gufunc signature: {signature!r}")
    inputs, outputs = signature.split("->")
    return [
        [tuple(re.findall(r"\w+", group)) for group in re.findall(r"\(([^()]*)\)", side)]
        for side in (inputs, outputs)
    ]
