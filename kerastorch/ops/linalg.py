"""`keras.ops.linalg`: Keras's linear-algebra ops on torch tensors (`torch.linalg`).

Every op checks Keras's rank and squareness rules and names itself in its errors.
`lu_factor` returns 0-based pivots, as Keras does; `norm` of integer input is float.

Example:
    >>> import torch
    >>> from kerastorch.ops import linalg
    >>> linalg.det(torch.eye(3) * 2).item()
    8.0
    >>> linalg.norm(torch.tensor([3.0, 4.0])).item()
    5.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op


def _matrix(op: str, x: Any, name: str = "x", square: bool = True) -> torch.Tensor:
    x = convert_to_tensor(x)
    if x.ndim < 2:
        raise ValueError(
            f"{op}: expected `{name}` to have rank >= 2. Received input with shape "
            f"{tuple(x.shape)}."
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"{op}: expected `{name}` to be a square matrix. Received non-square input with "
            f"shape {tuple(x.shape)}."
        )
    return x


def _rhs(op: str, a: torch.Tensor, b: Any) -> torch.Tensor:
    b = convert_to_tensor(b)
    if b.ndim < 1:
        raise ValueError(f"{op}: expected `b` to have rank >= 1. Received a scalar.")
    if a.ndim == b.ndim and a.shape[-2] != b.shape[-2]:
        raise ValueError(
            f"{op}: incompatible shapes, expected `a.shape[-2] == b.shape[-2]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    if a.ndim == b.ndim + 1 and a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"{op}: incompatible shapes, expected `a.shape[-1] == b.shape[-1]`. "
            f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    return b


@keras_op("linalg")
def cholesky(x: Any, upper: bool = False) -> torch.Tensor:
    """The Cholesky factor of a positive-definite matrix `(..., M, M)` (lower unless `upper`)."""
    return torch.linalg.cholesky(_matrix("cholesky", x), upper=upper)


@keras_op("linalg")
def cholesky_inverse(x: Any, upper: bool = False) -> torch.Tensor:
    """The inverse of `A` from its Cholesky factor `x` (lower unless `upper`)."""
    return torch.cholesky_inverse(_matrix("cholesky_inverse", x), upper=upper)


@keras_op("linalg")
def det(x: Any) -> torch.Tensor:
    """The determinant of square matrices `(..., M, M)`."""
    return torch.det(_matrix("det", x))


@keras_op("linalg")
def eig(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """`(eigenvalues, eigenvectors)` of square matrices, complex as `torch.linalg.eig`."""
    return tuple(torch.linalg.eig(_matrix("eig", x)))


@keras_op("linalg")
def eigh(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """`(eigenvalues, eigenvectors)` of symmetric/Hermitian matrices, ascending values."""
    return tuple(torch.linalg.eigh(_matrix("eigh", x)))


@keras_op("linalg")
def inv(x: Any) -> torch.Tensor:
    """The inverse of square matrices `(..., M, M)`."""
    return torch.linalg.inv(_matrix("inv", x))


@keras_op("linalg", class_name="LuFactor")
def lu_factor(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """`(lu, pivots)` of matrices `(..., M, N)`; the pivots are 0-based, as Keras's."""
    lu, pivots = torch.linalg.lu_factor(_matrix("lu_factor", x, square=False))
    return lu, pivots - 1


@keras_op("linalg")
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """A vector or matrix norm (Keras's `ord` values); integer input gives a float result.

    Example:
        >>> import torch
        >>> norm(torch.tensor([[3, 4]]), axis=-1).tolist()
        [5.0]
    """
    x = convert_to_tensor(x)
    kind = standardize_dtype(x.dtype)
    dtype = config.floatx() if kind == "int64" else result_type(kind, float)
    if isinstance(axis, int):
        axis = (axis,)
    if axis is not None:
        axis = tuple(axis)
        if len(axis) > 2:
            raise ValueError(
                f"norm: `axis` must be None, an int or a tuple of 1 or 2 ints. Received: "
                f"axis={axis}"
            )
    elif ord is not None and x.ndim > 2:
        raise ValueError(
            f"norm: with `ord` set and `axis=None`, `x` must be 1-D or 2-D. Received: "
            f"x.shape={tuple(x.shape)}"
        )
    x = x.to(to_torch_dtype(dtype))
    if axis is not None and len(axis) == 1:
        axis = axis[0]
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


@keras_op("linalg")
def qr(x: Any, mode: str = "reduced") -> tuple[torch.Tensor, torch.Tensor]:
    """`(q, r)` of matrices `(..., M, N)`; `mode` is `"reduced"` or `"complete"`."""
    if mode not in ("reduced", "complete"):
        raise ValueError(
            f"qr: `mode` must be one of 'reduced', 'complete'. Received: mode={mode!r}"
        )
    return tuple(torch.linalg.qr(_matrix("qr", x, square=False), mode=mode))


@keras_op("linalg", tensors=("a", "b"))
def solve(a: Any, b: Any) -> torch.Tensor:
    """The solution `x` of `a @ x = b` for square `a`."""
    a = _matrix("solve", a, "a")
    return torch.linalg.solve(a, _rhs("solve", a, b))


@keras_op("linalg", tensors=("a", "b"))
def solve_triangular(a: Any, b: Any, lower: bool = False) -> torch.Tensor:
    """The solution `x` of `a @ x = b` for triangular `a` (upper unless `lower`)."""
    a = _matrix("solve_triangular", a, "a")
    b = _rhs("solve_triangular", a, b)
    if b.ndim == a.ndim - 1:
        return torch.linalg.solve_triangular(a, b[..., None], upper=not lower)[..., 0]
    return torch.linalg.solve_triangular(a, b, upper=not lower)


@keras_op("linalg", class_name="SVD")
def svd(x: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """`(u, s, vh)` of matrices `(..., M, N)`, or the singular values `s` alone."""
    x = _matrix("svd", x, square=False)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))


@keras_op("linalg", tensors=("a", "b"))
def lstsq(a: Any, b: Any, rcond: float | None = None) -> torch.Tensor:
    """The least-squares solution of `a @ x = b`, `a` of shape `(M, N)`.

    With `rcond` set, the SVD-based solver (`gelsd`, or `pinv` on CUDA) applies NumPy's cutoff.
    """
    a = convert_to_tensor(a)
    b = convert_to_tensor(b)
    if a.ndim != 2:
        raise ValueError(f"lstsq: expected `a` to have rank 2. Received: a.shape={tuple(a.shape)}")
    if b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(
            f"lstsq: expected `b` of rank 1 or 2 with b.shape[0] == a.shape[0]. Received: "
            f"a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}"
        )
    if rcond is None:
        if b.ndim == 1:
            return torch.linalg.lstsq(a, b[:, None])[0][:, 0]
        return torch.linalg.lstsq(a, b)[0]
    if a.device.type == "cuda":
        return torch.linalg.pinv(a, rtol=rcond) @ b
    if b.ndim == 1:
        return torch.linalg.lstsq(a, b[:, None], rcond=rcond, driver="gelsd")[0][:, 0]
    return torch.linalg.lstsq(a, b, rcond=rcond, driver="gelsd")[0]


@keras_op("linalg")
def matrix_rank(x: Any, tol: float | None = None) -> torch.Tensor:
    """The rank of matrices `(..., M, N)` as `int32`; `tol` is NumPy's absolute cutoff."""
    x = _matrix("matrix_rank", x, square=False)
    return torch.linalg.matrix_rank(x, atol=tol).to(torch.int32)


@keras_op("linalg")
def pinv(x: Any, rcond: float | None = None) -> torch.Tensor:
    """The Moore-Penrose pseudo-inverse; `rcond` is NumPy's relative cutoff."""
    return torch.linalg.pinv(_matrix("pinv", x, square=False), rtol=rcond)


def jvp(fun: Callable[..., Any], primals: Any, tangents: Any, has_aux: bool = False) -> Any:
    """`(fun(*primals), J @ tangents)` (and `aux` with `has_aux`), via `torch.func.jvp`.

    `fun` takes tensors and calls ops; `primals` and `tangents` are tuples of equal structure.

    Example:
        >>> import torch
        >>> out, tangent = jvp(lambda x: x * x, (torch.tensor(3.0),), (torch.tensor(1.0),))
        >>> out.item(), tangent.item()
        (9.0, 6.0)
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            f"jvp: `primals` and `tangents` must be tuples. Received: "
            f"primals={type(primals).__name__}, tangents={type(tangents).__name__}"
        )
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(convert_to_tensor(t) for t in tangents)
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)


__all__ = [
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "jvp",
    "lstsq",
    "lu_factor",
    "matrix_rank",
    "norm",
    "pinv",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
]
