"""Keras's dtype promotion: `backend.result_type`, a lattice in the manner of JAX's.

Python `int` and `float` are *weak* types: they take the other operand's dtype
(`int8 + 1 -> int8`, `float16 + 1.0 -> float16`); alone they resolve to `int32` and
`floatx()`. 64-bit results are narrowed to 32 bits, as Keras does on the torch backend.

Example:
    >>> result_type("int32", "float16"), result_type("int8", int), result_type(float)
    ('float16', 'int8', 'float32')
    >>> result_type("uint8", "int8")
    'int16'
"""

from __future__ import annotations

import functools
from typing import Any

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype

FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
_WEAK = ("int", "float")

# Each dtype -> the dtypes immediately above it.
_LATTICE: dict[str, tuple[str, ...]] = {
    "bool": ("int",),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int": ("uint8", "int8", "complex64"),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}
_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def _upper_bounds() -> dict[str, set[str]]:
    bounds = {node: {node} for node in _LATTICE}
    for node in _LATTICE:
        while True:
            above = set().union(*(_LATTICE[b] for b in bounds[node]))
            if above <= bounds[node]:
                break
            bounds[node] |= above
    return bounds


_UPPER_BOUNDS = _upper_bounds()


@functools.lru_cache(512)
def _least_upper_bound(*nodes: str) -> str:
    unknown = [n for n in nodes if n not in _UPPER_BOUNDS]
    if unknown:
        raise ValueError(f"dtype={unknown[0]!r} is not a valid dtype for Keras type promotion.")
    common = set.intersection(*(_UPPER_BOUNDS[n] for n in nodes))
    least = (common & set(nodes)) or {c for c in common if common <= _UPPER_BOUNDS[c]}
    if len(least) != 1:
        raise ValueError(
            f"Input dtypes {nodes} have no available implicit dtype promotion path. "
            "Try explicitly casting inputs to the desired output type."
        )
    return least.pop()


def _dtype_and_weakness(value: Any) -> tuple[str, bool]:
    if value is int:
        return "int32", True
    if value is float:
        return "float32", True
    if value is bool:
        return "bool", False
    return standardize_dtype(value), False


def _weak_form(dtype: str) -> str:
    if dtype == "bool":
        return dtype
    for kind in ("complex", "float", "int"):
        if kind in dtype:
            return kind
    raise ValueError(f"Invalid value for argument `dtype`. Received: dtype={dtype}")


def _resolve_weak(dtype: str) -> str:
    precision = config.floatx()[-2:]
    if dtype == "bool":
        return dtype
    if dtype.startswith("u"):
        return f"uint{precision}"
    if dtype.startswith("i"):
        return f"int{precision}"
    return f"float{precision}"


def result_type(*dtypes: Any) -> str:
    """The dtype of an operation on operands of `dtypes` (Keras's `backend.result_type`).

    Each argument is a dtype (a string, a torch or NumPy dtype) or the Python type `int`,
    `float` or `bool` for a Python scalar. `None` means `floatx()`; no argument means
    `floatx()` too.
    """
    if not dtypes:
        return config.floatx()
    for dtype in dtypes:
        if dtype in FLOAT8_TYPES:
            raise ValueError(
                "There is no implicit conversions from float8 dtypes to others. "
                f"You must cast it internally. Received: {dtypes}"
            )
    return _result_type(*(config.floatx() if d is None else d for d in dtypes))


def _result_type(*args: Any) -> str:
    names, weak = zip(*(_dtype_and_weakness(a) for a in args), strict=True)
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(*sorted(set(names))), True
    else:
        nodes = {_weak_form(n) if w else n for n, w in zip(names, weak, strict=True)}
        out = _least_upper_bound(*sorted(nodes))
        out_weak = out in _WEAK
    if out != "bool" and out_weak:
        out = _resolve_weak(out)
    return _NARROW.get(out, out)


__all__ = ["result_type"]
