"""Keras's dtype names and torch's dtypes.

Example:
    >>> import torch
    >>> standardize_dtype(torch.float32), to_torch_dtype("int64")
    ('float32', torch.int64)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config


def standardize_dtype(dtype: Any) -> str:
    """Keras's dtype names: `torch.float32`, `np.float32`, `"float32"` -> `"float32"`."""
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, torch.dtype):
        return str(dtype).removeprefix("torch.")
    if isinstance(dtype, np.dtype) or (isinstance(dtype, type) and issubclass(dtype, np.generic)):
        return np.dtype(dtype).name
    if dtype in (int, "int"):
        return "int64"
    if dtype in (float, "float"):
        return "float32"
    if dtype in (bool, "bool"):
        return "bool"
    return np.dtype(dtype).name if not isinstance(dtype, str) else _check_dtype_name(dtype)


def _check_dtype_name(name: str) -> str:
    if name == "bfloat16" or isinstance(getattr(torch, name, None), torch.dtype):
        return name
    raise ValueError(f"Invalid dtype: {name!r}")


def to_torch_dtype(dtype: Any) -> torch.dtype:
    """`"float32"` (or any dtype spelling Keras accepts) -> `torch.float32`."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return getattr(torch, standardize_dtype(dtype))


def array_to_tensor(value: Any) -> torch.Tensor:
    """A tensor of `value` (array-like); NumPy `bfloat16` arrays (`ml_dtypes`, as Keras's
    `get_weights()` returns them) become bfloat16 tensors.

    Example:
        >>> array_to_tensor([1.5, 2.0]).dtype
        torch.float64
    """
    array = np.asarray(value)
    if array.dtype.name == "bfloat16":  # torch cannot read ml_dtypes' arrays directly
        return torch.from_numpy(array.astype(np.float32)).to(torch.bfloat16)
    return torch.as_tensor(array)
