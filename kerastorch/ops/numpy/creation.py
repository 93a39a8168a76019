"""Creation ops of `keras.ops.numpy`: ranges, constant fills, identity matrices, windows.

New tensors are placed on `config.default_device()`. Without a `dtype`, shapes filled
with a constant are `floatx()`, `arange` follows its arguments (`arange(5)` is `int32`)
and the `*_like` ops keep their input's dtype. Ops that take a tensor (`*_like`,
`vander`, and the ranges when called with KerasTensor bounds) also record nodes.

Example:
    >>> arange(5).dtype, ones((2,)).dtype
    (torch.int32, torch.float32)
    >>> eye(2, k=1).tolist()
    [[0.0, 1.0], [0.0, 0.0]]
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = [
    "arange",
    "array",
    "bartlett",
    "blackman",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "geomspace",
    "hamming",
    "hanning",
    "identity",
    "kaiser",
    "linspace",
    "logspace",
    "ones",
    "ones_like",
    "tri",
    "vander",
    "zeros",
    "zeros_like",
]


def _kind(value: Any) -> Any:
    """The dtype of a tensor, array or NumPy scalar; the Python type of anything else."""
    return getattr(value, "dtype", type(value))


def _dtype(dtype: Any) -> torch.dtype:
    """`dtype`, or `floatx()` when None, as a torch dtype."""
    return to_torch_dtype(dtype or config.floatx())


def _shape(shape: Any) -> tuple[int, ...]:
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _float_dtype(*values: Any, dtype: Any = None) -> torch.dtype:
    """`dtype`, else Keras's result type of `values` with a Python float."""
    if dtype is None:
        dtype = result_type(*(_kind(v) for v in values), float)
    return to_torch_dtype(dtype)


@keras_op("numpy", tensors=("start", "stop", "step"))
def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None) -> Tensor:
    """Evenly spaced values in `[start, stop)`, NumPy's `arange`.

    Args:
        start: the first value, or the end when `stop` is None.
        stop: the end (excluded).
        step: the spacing; 1 by default.
        dtype: the dtype; by default the result type of the arguments (`int32` for ints).

    Example:
        >>> arange(1, 7, 2).tolist()
        [1, 3, 5]
    """
    if dtype is None:
        dtype = result_type(*(_kind(v) for v in (start, stop, step) if v is not None))
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    return torch.arange(
        start, stop, step, dtype=to_torch_dtype(dtype), device=config.default_device()
    )


@keras_op("numpy")
def array(x: Any, dtype: Any = None) -> Tensor:
    """`x` as a tensor (NumPy's `array`); see `convert_to_tensor` for the dtypes.

    Example:
        >>> array([1, 2]).dtype
        torch.int32
    """
    return convert_to_tensor(x, dtype=dtype)


def _window(name: str, x: Any) -> int:
    """The window length: a host value (the output size depends on it)."""
    length = int(x)
    if length < 0:
        raise ValueError(f"{name}: `x` (the window length) must be >= 0. Received: x={x}")
    return length


def _window_tensor(window: Tensor) -> Tensor:
    return window.to(to_torch_dtype(config.floatx()))


def bartlett(x: Any) -> Tensor:
    """The Bartlett (triangular) window of length `x`, NumPy's `bartlett`.

    Example:
        >>> bartlett(3).tolist()
        [0.0, 1.0, 0.0]
    """
    length = _window("bartlett", x)
    return _window_tensor(
        torch.signal.windows.bartlett(length, sym=True, device=config.default_device())
    )


def blackman(x: Any) -> Tensor:
    """The Blackman window of length `x`, NumPy's `blackman`."""
    length = _window("blackman", x)
    return _window_tensor(
        torch.signal.windows.blackman(length, sym=True, device=config.default_device())
    )


def hamming(x: Any) -> Tensor:
    """The Hamming window of length `x`, NumPy's `hamming`."""
    length = _window("hamming", x)
    return _window_tensor(
        torch.signal.windows.hamming(length, sym=True, device=config.default_device())
    )


def hanning(x: Any) -> Tensor:
    """The Hann window of length `x`, NumPy's `hanning`."""
    length = _window("hanning", x)
    return _window_tensor(
        torch.signal.windows.hann(length, sym=True, device=config.default_device())
    )


def kaiser(x: Any, beta: float) -> Tensor:
    """The Kaiser window of length `x` and shape parameter `beta`, NumPy's `kaiser`."""
    length = _window("kaiser", x)
    return _window_tensor(
        torch.signal.windows.kaiser(
            length, beta=float(beta), sym=True, device=config.default_device()
        )
    )


def empty(shape: Any, dtype: Any = None) -> Tensor:
    """An uninitialized tensor of `shape` (`floatx()` by default)."""
    return torch.empty(_shape(shape), dtype=_dtype(dtype), device=config.default_device())


def zeros(shape: Any, dtype: Any = None) -> Tensor:
    """Zeros of `shape` (`floatx()` by default).

    Example:
        >>> zeros((1, 2)).tolist()
        [[0.0, 0.0]]
    """
    return torch.zeros(_shape(shape), dtype=_dtype(dtype), device=config.default_device())


def ones(shape: Any, dtype: Any = None) -> Tensor:
    """Ones of `shape` (`floatx()` by default)."""
    return torch.ones(_shape(shape), dtype=_dtype(dtype), device=config.default_device())


@keras_op("numpy", tensors=("fill_value",))
def full(shape: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """`fill_value` broadcast to `shape`, of `dtype` (`floatx()` by default, as Keras).

    Example:
        >>> full((2,), 3).tolist()
        [3.0, 3.0]
    """
    value = convert_to_tensor(fill_value, dtype=_dtype(dtype))
    return value.to(config.default_device()).expand(_shape(shape)).clone()


def _like_dtype(x: Tensor, dtype: Any) -> torch.dtype:
    return x.dtype if dtype is None else to_torch_dtype(dtype)


@keras_op("numpy")
def empty_like(x: Any, dtype: Any = None) -> Tensor:
    """An uninitialized tensor shaped like `x`, of `x`'s dtype unless `dtype` is given."""
    x = convert_to_tensor(x)
    return torch.empty_like(x, dtype=_like_dtype(x, dtype))


@keras_op("numpy")
def zeros_like(x: Any, dtype: Any = None) -> Tensor:
    """Zeros shaped like `x`, of `x`'s dtype unless `dtype` is given."""
    x = convert_to_tensor(x)
    return torch.zeros_like(x, dtype=_like_dtype(x, dtype))


@keras_op("numpy")
def ones_like(x: Any, dtype: Any = None) -> Tensor:
    """Ones shaped like `x`, of `x`'s dtype unless `dtype` is given."""
    x = convert_to_tensor(x)
    return torch.ones_like(x, dtype=_like_dtype(x, dtype))


@keras_op("numpy", tensors=("x", "fill_value"))
def full_like(x: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    """`fill_value` broadcast to `x`'s shape, of `x`'s dtype unless `dtype` is given.

    Example:
        >>> full_like(torch.zeros(2, dtype=torch.int32), 7).tolist()
        [7, 7]
    """
    x = convert_to_tensor(x)
    value = convert_to_tensor(fill_value, dtype=_like_dtype(x, dtype)).to(x.device)
    return value.expand(x.shape).clone()


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:
    """An `N` x `M` matrix with ones on the `k`-th diagonal (`floatx()` by default).

    Example:
        >>> eye(2, 3, k=1, dtype="int32").tolist()
        [[0, 1, 0], [0, 0, 1]]
    """
    M = N if M is None else M
    rows = torch.arange(N, device=config.default_device())[:, None]
    cols = torch.arange(M, device=config.default_device())[None, :]
    return (cols - rows == (k or 0)).to(_dtype(dtype))


def identity(n: int, dtype: Any = None) -> Tensor:
    """The `n` x `n` identity matrix (`floatx()` by default)."""
    return eye(n, dtype=dtype)


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> Tensor:
    """An `N` x `M` matrix with ones at and below the `k`-th diagonal.

    Example:
        >>> tri(2, dtype="int32").tolist()
        [[1, 0], [1, 1]]
    """
    M = N if M is None else M
    rows = torch.arange(N, device=config.default_device())[:, None]
    cols = torch.arange(M, device=config.default_device())[None, :]
    return (cols - rows <= k).to(_dtype(dtype))


@keras_op("numpy")
def vander(x: Any, N: int | None = None, increasing: bool = False) -> Tensor:
    """The Vandermonde matrix of the 1-D `x`: columns are powers of `x`.

    Example:
        >>> vander(torch.tensor([1, 2, 3]), 3).tolist()
        [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"vander: `x` must be 1-D. Received: x.shape={tuple(x.shape)}")
    dtype = to_torch_dtype(result_type(x.dtype))
    return torch.vander(x, N=N, increasing=increasing).to(dtype)


def _check_axis(name: str, axis: int) -> None:
    if axis != 0:
        raise ValueError(
            f"{name}: kerastorch, like Keras on torch, supports only axis=0. Received: axis={axis}"
        )


def _spaced(start: Any, stop: Any, num: int, endpoint: bool, dtype: torch.dtype) -> Tensor:
    """`num` points from `start` to `stop` (tensors broadcast: the points go first)."""
    start, stop = (convert_to_tensor(v, dtype) for v in (start, stop))
    start, stop = torch.broadcast_tensors(start.to(config.default_device()), stop.to(start.device))
    compute = torch.float64 if dtype == torch.float64 else torch.float32
    divisor = max((num - 1) if endpoint else num, 1)
    steps = torch.arange(num, dtype=compute, device=start.device) / divisor
    steps = steps.reshape((num,) + (1,) * start.ndim)
    return start.to(compute)[None] + steps * (stop.to(compute) - start.to(compute))[None]


@keras_op("numpy", tensors=("start", "stop"))
def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = None, axis: int = 0) -> Any:  # fmt: skip
    """`num` evenly spaced values from `start` to `stop` (NumPy's `linspace`).

    Args:
        start: the first value (a scalar or a tensor).
        stop: the last value, included when `endpoint`.
        num: the number of values.
        endpoint: whether `stop` is the last value.
        retstep: also return the spacing.
        dtype: the dtype; by default the result type of the bounds with a float.
        axis: only 0 is supported (as Keras on torch).

    Example:
        >>> linspace(0, 1, 3).tolist()
        [0.0, 0.5, 1.0]
    """
    _check_axis("linspace", axis)
    dtype = _float_dtype(start, stop, dtype=dtype)
    points = _spaced(start, stop, num, endpoint, dtype)
    if not dtype.is_floating_point:
        points = torch.floor(points)
    points = points.to(dtype)
    if not retstep:
        return points
    start, stop = (convert_to_tensor(v, dtype) for v in (start, stop))
    intervals = (num - 1) if endpoint else num
    step = (stop - start) / intervals if intervals > 0 else torch.tensor(math.nan)
    return points, step


@keras_op("numpy", tensors=("start", "stop"))
def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: float = 10,
             dtype: Any = None, axis: int = 0) -> Tensor:  # fmt: skip
    """`base ** linspace(start, stop, num)` (NumPy's `logspace`).

    Example:
        >>> logspace(0, 2, 3).tolist()
        [1.0, 10.0, 100.0]
    """
    _check_axis("logspace", axis)
    dtype = _float_dtype(start, stop, dtype=dtype)
    exponents = _spaced(start, stop, num, endpoint, dtype)
    return torch.pow(torch.as_tensor(base, dtype=exponents.dtype), exponents).to(dtype)


@keras_op("numpy", tensors=("start", "stop"))
def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0) -> Tensor:  # fmt: skip
    """`num` values spaced evenly on a log scale from `start` to `stop` (same sign).

    Example:
        >>> [round(v) for v in geomspace(1, 100, 3).tolist()]
        [1, 10, 100]
    """
    _check_axis("geomspace", axis)
    dtype = _float_dtype(start, stop, dtype=dtype)
    start_t, stop_t = (convert_to_tensor(v, dtype) for v in (start, stop))
    exponents = _spaced(
        torch.log10(torch.abs(start_t)), torch.log10(torch.abs(stop_t)), num, endpoint, dtype
    )
    return (torch.pow(10.0, exponents) * torch.sign(start_t.to(exponents))).to(dtype)
