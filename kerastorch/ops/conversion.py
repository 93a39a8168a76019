"""Values to torch tensors with Keras's dtypes, and Keras's dtype promotion applied to operands.

`convert_to_tensor` gives Python ints `int32`, Python floats `floatx()`, keeps NumPy and
torch dtypes, and places new tensors on the default device (CUDA when there is one).
`promote` is what every op with several operands uses: tensors that already agree pass
through untouched (no copy, no host sync); Python scalars are weak types.

Example:
    >>> import torch
    >>> convert_to_tensor([1, 2]).dtype, convert_to_tensor(1.5).dtype
    (torch.int32, torch.float32)
    >>> a, b = promote(torch.ones(2, dtype=torch.int32), 1.5)
    >>> a.dtype, b.dtype
    (torch.float32, torch.float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.promotion import result_type


def _python_dtype(value: Any) -> Any:
    """The weak Python type of a scalar or a (nested) list of scalars, for `result_type`."""
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    if isinstance(value, (np.generic, np.ndarray)):
        return value.dtype if isinstance(value, np.ndarray) else _python_dtype(value.item())
    if isinstance(value, torch.Tensor):
        return value.dtype
    if isinstance(value, (list, tuple)):
        kinds = [_python_dtype(v) for v in value]
        return result_type(*kinds) if kinds else None
    return None


def convert_to_tensor(x: Any, dtype: Any = None, sparse: bool | None = None,
                      ragged: bool | None = None) -> torch.Tensor:  # fmt: skip
    """`x` (a tensor, NumPy array, Python scalar or nested list) as a torch tensor.

    Args:
        x: the value.
        dtype: the target dtype; by default a tensor's or array's own, `int32` for Python
            ints, `floatx()` for Python floats, `bool` for Python bools.
        sparse: accepted for Keras's signature; torch tensors here are dense.
        ragged: accepted for Keras's signature; kerastorch has no ragged tensors.
    """
    if ragged:
        raise ValueError("convert_to_tensor: kerastorch has no ragged tensors (ragged=True).")
    if isinstance(x, torch.Tensor):
        if dtype is None:
            return x
        return x.to(to_torch_dtype(dtype))
    value = getattr(x, "value", None)  # a Variable
    if isinstance(value, torch.Tensor):
        return convert_to_tensor(value, dtype)
    if dtype is None:
        if isinstance(x, np.ndarray):
            return torch.as_tensor(x, device=config.default_device())
        kind = _python_dtype(x)
        dtype = config.floatx() if kind is None else result_type(kind)
    target = to_torch_dtype(dtype)
    if isinstance(x, np.ndarray):
        return torch.as_tensor(x, device=config.default_device()).to(target)
    if isinstance(x, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in x):
        return torch.stack([convert_to_tensor(v, dtype) for v in x])
    return torch.as_tensor(x, dtype=target, device=config.default_device())


def convert_to_numpy(x: Any) -> np.ndarray:
    """`x` as a NumPy array (copied to the host; bfloat16 becomes float32)."""
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.cpu().numpy()
    value = getattr(x, "value", None)
    if isinstance(value, torch.Tensor):
        return convert_to_numpy(value)
    return np.asarray(x)


def promote(*values: Any, dtype: Any = None) -> list[torch.Tensor]:
    """`values` as tensors of one dtype: `dtype`, else Keras's `result_type` of theirs.

    Tensors are placed on the device of the first tensor among `values`.
    """
    values = tuple(_plain(v) for v in values)
    kinds = [v.dtype if isinstance(v, torch.Tensor) else _python_dtype(v) for v in values]
    if dtype is None:
        if all(isinstance(v, torch.Tensor) for v in values) and len(set(kinds)) == 1:
            return list(values)
        dtype = result_type(*kinds)
    target = to_torch_dtype(dtype)
    device = next((v.device for v in values if isinstance(v, torch.Tensor)), None)
    out = []
    for v in values:
        if isinstance(v, torch.Tensor):
            out.append(v if v.dtype == target else v.to(target))
        elif device is not None:
            out.append(torch.as_tensor(v, dtype=target, device=device))
        else:
            out.append(convert_to_tensor(v, target))
    return out


def _plain(value: Any) -> Any:
    """A Variable's tensor; anything else as it is."""
    if isinstance(value, torch.Tensor):
        return value
    inner = getattr(value, "value", None)
    return inner if isinstance(inner, torch.Tensor) else value


def dtype_name(x: Any) -> str:
    """Keras's dtype name of a tensor (`"float32"`)."""
    return standardize_dtype(x.dtype)


__all__ = ["convert_to_numpy", "convert_to_tensor", "promote"]
