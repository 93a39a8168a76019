"""Statistics of `keras.ops.numpy`: quantiles, medians, histograms and the NaN-ignoring reductions.

`axis` is None (all axes), an int or a tuple, negative allowed; `keepdims` keeps the
reduced axes with size 1. Quantiles take NumPy's `method`: `"linear"`, `"lower"`,
`"higher"`, `"midpoint"` or `"nearest"`, and give floats (`float32` for ints, as Keras).

Example:
    >>> import torch
    >>> median(torch.tensor([[1, 5], [3, 4]]), axis=0).tolist()
    [2.0, 4.5]
    >>> nanmean(torch.tensor([1.0, float("nan"), 3.0])).item()
    2.0
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["average", "bincount", "corrcoef", "histogram", "median", "nanargmax", "nanargmin",
           "nancumprod", "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin",
           "nanpercentile", "nanprod", "nanquantile", "nanstd", "nansum", "nanvar",
           "percentile", "ptp", "quantile"]  # fmt: skip

METHODS = ("linear", "lower", "higher", "midpoint", "nearest")
_SMALL_INTS = (torch.bool, torch.uint8, torch.int8, torch.int16)


def _dims(x: Tensor, axis: Any) -> tuple[int, ...]:
    """`axis` as a sorted tuple of non-negative axes (all of them for None)."""
    if axis is None:
        return tuple(range(x.ndim))
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    for a in axes:
        if not -max(x.ndim, 1) <= a < max(x.ndim, 1):
            raise ValueError(f"axis {a} is out of range for a tensor of rank {x.ndim}.")
    return tuple(sorted({a % max(x.ndim, 1) for a in axes}))


def _float_of(x: Tensor) -> torch.dtype:
    """Keras's `result_type(x.dtype, float)`."""
    return to_torch_dtype(result_type(standardize_dtype(x.dtype), float))


def _quantile(name: str, x: Any, q: Any, axis: Any, method: str, keepdims: bool,
              nan: bool) -> Tensor:  # fmt: skip
    if method not in METHODS:
        raise ValueError(f"{name}: `method` must be one of {METHODS}. Received: {method!r}")
    x = convert_to_tensor(x)
    out_dtype = _float_of(x)
    compute = to_torch_dtype(result_type(standardize_dtype(x.dtype), "float32"))
    x = x.to(compute)
    q = convert_to_tensor(q).to(x.device, compute)
    dims = _dims(x, axis)
    others = [d for d in range(x.ndim) if d not in dims]
    y = x.permute(*others, *dims).reshape(*(x.shape[d] for d in others), -1)
    fn = torch.nanquantile if nan else torch.quantile
    out = fn(y, q, dim=-1, interpolation=method)
    if keepdims:
        lead = 1 if q.ndim else 0
        for d in dims:
            out = out.unsqueeze(d + lead)
    return out.to(out_dtype)


@keras_op("numpy", tensors=("x", "q"))
def quantile(x: Any, q: Any, axis: Any = None, method: str = "linear",
             keepdims: bool = False) -> Tensor:  # fmt: skip
    """The `q`-th quantiles (in [0, 1]) of `x` along `axis`; a 1-D `q` adds a first axis."""
    return _quantile("quantile", x, q, axis, method, keepdims, nan=False)


@keras_op("numpy", tensors=("x", "q"))
def nanquantile(x: Any, q: Any, axis: Any = None, method: str = "linear",
                keepdims: bool = False) -> Tensor:  # fmt: skip
    """`quantile` ignoring NaNs."""
    return _quantile("nanquantile", x, q, axis, method, keepdims, nan=True)


def _fraction(q: Any) -> Tensor:
    return convert_to_tensor(q, dtype=config.floatx()) / 100.0


@keras_op("numpy", tensors=("x", "q"))
def percentile(x: Any, q: Any, axis: Any = None, method: str = "linear",
               keepdims: bool = False) -> Tensor:  # fmt: skip
    """The `q`-th percentiles (in [0, 100]) of `x` along `axis`.

    Example:
        >>> percentile([1.0, 2.0, 3.0, 4.0], 50).item()
        2.5
    """
    return _quantile("percentile", x, _fraction(q), axis, method, keepdims, nan=False)


@keras_op("numpy", tensors=("x", "q"))
def nanpercentile(x: Any, q: Any, axis: Any = None, method: str = "linear",
                  keepdims: bool = False) -> Tensor:  # fmt: skip
    """`percentile` ignoring NaNs."""
    return _quantile("nanpercentile", x, _fraction(q), axis, method, keepdims, nan=True)


@keras_op("numpy")
def median(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The median of `x` along `axis` (the mean of the two middle values for even counts)."""
    return _quantile("median", x, 0.5, axis, "linear", keepdims, nan=False)


@keras_op("numpy")
def nanmedian(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """`median` ignoring NaNs."""
    return _quantile("nanmedian", x, 0.5, axis, "linear", keepdims, nan=True)


@keras_op("numpy")
def ptp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The range (maximum - minimum) of `x` along `axis`."""
    x = convert_to_tensor(x)
    dims = _dims(x, axis)
    return torch.amax(x, dims, keepdims) - torch.amin(x, dims, keepdims)


@keras_op("numpy", tensors=("x", "weights"))
def average(x: Any, axis: Any = None, weights: Any = None) -> Tensor:
    """The (weighted) mean of `x` along `axis`; 1-D `weights` apply along the one `axis`."""
    x = convert_to_tensor(x)
    kinds = [standardize_dtype(x.dtype), float]
    if weights is not None:
        weights = convert_to_tensor(weights)
        kinds.append(standardize_dtype(weights.dtype))
    dtype = to_torch_dtype(result_type(*kinds))
    x = x.to(dtype)
    dims = _dims(x, axis)
    if weights is None:
        return x.mean(dims) if dims else x
    weights = weights.to(x.device, dtype)
    if weights.shape != x.shape:
        if weights.ndim != 1 or len(dims) != 1:
            raise ValueError(
                "average: `weights` must have x's shape, or be 1-D along the one `axis`. "
                f"Received: x.shape={tuple(x.shape)}, weights.shape={tuple(weights.shape)}"
            )
        shape = [1] * x.ndim
        shape[dims[0]] = -1
        weights = weights.reshape(shape)
    return (x * weights).sum(dims) / weights.expand(x.shape).sum(dims)


@keras_op("numpy")
def bincount(x: Any, weights: Any = None, minlength: int = 0, sparse: bool = False) -> Tensor:
    """How often each non-negative integer occurs in `x` (per row of a 2-D `x`).

    With `weights`, their sums instead of counts. The length is `max(x) + 1` or
    `minlength`: a host read, as the output size depends on the data.

    Example:
        >>> bincount([0, 2, 2]).tolist()
        [1, 0, 2]
    """
    if sparse:
        raise ValueError("bincount: kerastorch has no sparse tensors (sparse=True).")
    x = convert_to_tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"bincount: `x` must be 1-D or 2-D. Received: x.shape={tuple(x.shape)}")
    dtype = torch.int32
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = to_torch_dtype(result_type(x.dtype, weights.dtype))
    length = max(int(x.max()) + 1 if x.numel() else 0, minlength)
    rows = x.reshape(-1, x.shape[-1]).long()
    values = torch.ones_like(rows, dtype=dtype) if weights is None else weights.reshape(rows.shape)
    out = torch.zeros(rows.shape[0], length, dtype=dtype, device=x.device)
    out.scatter_add_(1, rows, values.to(x.device, dtype))
    return out if x.ndim == 2 else out[0]


def _bincount_spec(operation: Any, x: KerasTensor) -> KerasTensor:
    """The length depends on the data: `None` (as Keras)."""
    weights = operation.get_config()["weights"]
    dtype = "int32" if weights is None else result_type(x.dtype, weights.dtype)
    return KerasTensor((*x.shape[:-1], None), dtype)


bincount.operation_class.compute_output_spec = _bincount_spec


@keras_op("numpy")
def corrcoef(x: Any) -> Tensor:
    """The Pearson correlation coefficients of the rows of `x`."""
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(to_torch_dtype(config.floatx()))
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.corrcoef(x)


@keras_op("numpy")
def histogram(x: Any, bins: int = 10, range: tuple[float, float] | None = None) -> tuple:
    """The counts of the 1-D `x` in `bins` equal bins over `range`, and the bin edges."""
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"histogram: `x` must be 1-D. Received: x.shape={tuple(x.shape)}")
    if range is None:
        range = (x.min(), x.max()) if x.numel() else (0.0, 1.0)
    low, high = (float(v) for v in range)
    if low == high:
        low, high = low - 0.5, high + 0.5
    data = x if x.is_floating_point() else x.to(to_torch_dtype(config.floatx()))
    counts = torch.histc(data, bins=bins, min=low, max=high)
    edges = torch.linspace(low, high, bins + 1, dtype=data.dtype, device=x.device)
    return counts, edges


def _nan_arg(x: Any, axis: int | None, keepdims: bool, largest: bool) -> Tensor:
    x = convert_to_tensor(x)
    flat, dim = (x.reshape(-1), 0) if axis is None else (x, axis)
    if not x.is_floating_point():
        idx = (flat.argmax if largest else flat.argmin)(dim, keepdim=keepdims)
    else:
        nan = torch.isnan(flat)
        clean = flat.masked_fill(nan, float("-inf") if largest else float("inf"))
        idx = (clean.argmax if largest else clean.argmin)(dim, keepdim=keepdims)
        idx = torch.where(nan.all(dim, keepdim=keepdims), -1, idx)
    if axis is None and keepdims:
        idx = idx.reshape((1,) * x.ndim)
    return idx.to(torch.int32)


@keras_op("numpy")
def nanargmax(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """The `int32` index of the largest non-NaN value (-1 where all are NaN)."""
    return _nan_arg(x, axis, keepdims, largest=True)


@keras_op("numpy")
def nanargmin(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """The `int32` index of the smallest non-NaN value (-1 where all are NaN)."""
    return _nan_arg(x, axis, keepdims, largest=False)


def _nan_extreme(x: Any, axis: Any, keepdims: bool, largest: bool) -> Tensor:
    x = convert_to_tensor(x)
    dims = _dims(x, axis)
    reduce = torch.amax if largest else torch.amin
    if not x.is_floating_point() or not dims:
        return reduce(x, dims, keepdims) if dims else x
    nan = torch.isnan(x)
    out = reduce(x.masked_fill(nan, float("-inf") if largest else float("inf")), dims, keepdims)
    return torch.where(nan.all(dims, keepdims) if dims else nan, float("nan"), out)


@keras_op("numpy")
def nanmax(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The maximum of `x` along `axis`, ignoring NaNs (NaN where all are NaN)."""
    return _nan_extreme(x, axis, keepdims, largest=True)


@keras_op("numpy")
def nanmin(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The minimum of `x` along `axis`, ignoring NaNs (NaN where all are NaN)."""
    return _nan_extreme(x, axis, keepdims, largest=False)


def _sum_dtype(x: Tensor) -> torch.dtype:
    return torch.int32 if x.dtype in _SMALL_INTS else x.dtype


@keras_op("numpy")
def nansum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The sum of `x` along `axis`, NaNs counted as 0 (small ints sum as `int32`)."""
    x = convert_to_tensor(x)
    dims = _dims(x, axis)
    dtype = _sum_dtype(x)
    if not dims:
        return torch.nan_to_num(x).to(dtype)
    return torch.nansum(x.to(dtype) if x.dtype == torch.bool else x, dims, keepdims).to(dtype)


@keras_op("numpy")
def nanprod(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The product of `x` along `axis`, NaNs counted as 1 (small ints multiply as `int32`)."""
    x = convert_to_tensor(x)
    if x.is_floating_point():
        x = torch.nan_to_num(x, nan=1.0)
    dtype = _sum_dtype(x)
    x = x.to(dtype)
    for d in reversed(_dims(x, axis)):
        x = torch.prod(x, d, keepdim=keepdims)
    return x.to(dtype)


@keras_op("numpy")
def nanmean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The mean of `x` along `axis`, ignoring NaNs (a float; `float32` for ints)."""
    x = convert_to_tensor(x)
    dims = _dims(x, axis)
    x = x.to(_float_of(x))
    return torch.nanmean(x, dims, keepdims) if dims else x


@keras_op("numpy")
def nanvar(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The variance of `x` along `axis`, ignoring NaNs."""
    x = convert_to_tensor(x)
    x = x.to(_float_of(x))
    dims = _dims(x, axis)
    if not dims:
        return torch.where(torch.isnan(x), x, torch.zeros_like(x))
    valid = ~torch.isnan(x)
    mean = torch.nanmean(x, dims, keepdim=True)
    centered = torch.where(valid, x - mean, torch.zeros_like(x)).square()
    return centered.sum(dims, keepdim=keepdims) / valid.sum(dims, keepdim=keepdims)


@keras_op("numpy")
def nanstd(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The standard deviation of `x` along `axis`, ignoring NaNs."""
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _cumulative(x: Any, axis: int | None, dtype: Any, nan: float, fn: Any) -> Tensor:
    x = convert_to_tensor(x)
    if x.is_floating_point():
        x = torch.nan_to_num(x, nan=nan)
    dtype = x.dtype if dtype is None else to_torch_dtype(dtype)
    dtype = torch.int32 if dtype == torch.bool else dtype
    flat, dim = (x.reshape(-1), 0) if axis is None else (x, axis)
    return fn(flat.to(dtype), dim).to(dtype)


@keras_op("numpy")
def nancumsum(x: Any, axis: int | None = None, dtype: Any = None) -> Tensor:
    """The cumulative sum of `x` along `axis` (flattened when None), NaNs counted as 0."""
    return _cumulative(x, axis, dtype, 0.0, torch.cumsum)


@keras_op("numpy")
def nancumprod(x: Any, axis: int | None = None, dtype: Any = None) -> Tensor:
    """The cumulative product of `x` along `axis` (flattened when None), NaNs counted as 1."""
    return _cumulative(x, axis, dtype, 1.0, torch.cumprod)
