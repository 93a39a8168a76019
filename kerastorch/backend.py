"""Keras's `keras.backend`: settings, `clear_session`, dtype rules, uids, and the device.

Example:
    >>> import kerastorch as keras
    >>> keras.backend.backend(), keras.backend.image_data_format()
    ('torch', 'channels_last')
    >>> keras.backend.standardize_dtype(int), keras.backend.result_type("int8", "float16")
    ('int32', 'float16')
"""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
import torch

from kerastorch.common import naming
from kerastorch.common.promotion import result_type
from kerastorch.config import (
    backend,
    default_device,
    epsilon,
    floatx,
    image_data_format,
    set_device,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from kerastorch.graph.keras_tensor import KerasTensor

# Keras's dtype names (`keras.src.backend.common.dtypes.ALLOWED_DTYPES`).
ALLOWED_DTYPES = (
    "float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64", "int8", "int16",
    "int32", "int64", "bfloat16", "bool", "string", "float8_e4m3fn", "float8_e5m2",
    "complex64", "complex128",
)  # fmt: skip
# Python types as Keras names them on the torch backend.
_PYTHON_DTYPES = {bool: "bool", int: "int32", float: "float32", str: "string", complex: "complex64"}


def clear_session(free_memory: bool = True) -> None:
    """Reset automatic layer names (`dense`, `dense_1`, ... start again) and free memory."""
    naming.reset_uids()
    if free_memory:
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def get_uid(prefix: str = "") -> int:
    """A counter per `prefix`: 1, 2, 3, ... (shared with automatic layer names; reset by
    `clear_session()`).

    Example:
        >>> clear_session(); get_uid("thing"), get_uid("thing")
        (1, 2)
    """
    naming._NAME_COUNTS[prefix] += 1
    return naming._NAME_COUNTS[prefix]


def standardize_dtype(dtype: Any) -> str:
    """Keras's name for a dtype: `None` -> `floatx()`, `int` -> `"int32"`, `torch.float16` /
    `np.float16` / `"float16"` -> `"float16"`.

    Raises:
        ValueError: for a name Keras does not know (`"float"`, `"int4"`...).
    """
    if dtype is None:
        return floatx()
    if isinstance(dtype, str) and dtype == "int":
        return "int32"
    if isinstance(dtype, type) and dtype in _PYTHON_DTYPES:
        return _PYTHON_DTYPES[dtype]
    if isinstance(dtype, torch.dtype):
        name = str(dtype).removeprefix("torch.")
    elif isinstance(dtype, np.dtype):
        name = dtype.name
    else:
        name = getattr(dtype, "__name__", dtype)
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype}")
    return name


def is_float_dtype(dtype: Any) -> bool:
    """Whether `dtype` is a float type (`bfloat16`, `float16`, `float32`, `float64`...)."""
    name = standardize_dtype(dtype)
    return name.startswith(("float", "bfloat"))


def is_int_dtype(dtype: Any) -> bool:
    """Whether `dtype` is a signed or unsigned integer type."""
    return standardize_dtype(dtype).startswith(("int", "uint"))


def is_keras_tensor(x: object) -> bool:
    """Whether `x` is a symbolic `KerasTensor` (from `Input` or a layer call on one)."""
    return isinstance(x, KerasTensor)


__all__ = [
    "backend",
    "clear_session",
    "default_device",
    "epsilon",
    "floatx",
    "get_uid",
    "image_data_format",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "result_type",
    "set_device",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
    "standardize_dtype",
]
