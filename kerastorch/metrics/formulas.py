"""Per-sample formulas shared by the metrics, with Keras 3's exact numerics.

The loss-based function forms (`mean_squared_error`, `binary_crossentropy`, ...) are the
functions of `kerastorch.losses`, as in Keras: `keras.metrics` re-exports them.

Example:
    >>> import torch
    >>> float(divide_no_nan(torch.tensor(1.0), torch.tensor(0.0)))
    0.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.variables import Variable

# -- tensors and shapes ----------------------------------------------------------------------


def to_tensor(x: Any, dtype: Any = None, device: torch.device | str | None = None) -> torch.Tensor:
    """A detached tensor of `x` on `device`; Python floats become `floatx()`, as in Keras."""
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, torch.Tensor):
        torch_dtype = x.dtype if dtype is None else to_torch_dtype(dtype)
        if x.requires_grad or x.__dict__:  # a detached tensor carries no Python attributes
            x = x.detach()
        moved = device is not None and x.device != device and x.device != torch.device(device)
        if moved or x.dtype != torch_dtype:
            x = x.to(device=device, dtype=torch_dtype)
        return x
    torch_dtype = None if dtype is None else to_torch_dtype(dtype)
    array = np.asarray(x)
    if torch_dtype is None and not isinstance(x, np.ndarray) and array.dtype == np.float64:
        torch_dtype = to_torch_dtype(config.floatx())
    return torch.as_tensor(array, dtype=torch_dtype, device=device)


def as_float_pair(y_true: Any, y_pred: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """`y_pred` as a tensor and `y_true` cast to its dtype and device (Keras's convention)."""
    y_pred = y_pred if isinstance(y_pred, torch.Tensor) else to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(to_torch_dtype(config.floatx()))
    y_true = y_true if isinstance(y_true, torch.Tensor) else to_tensor(y_true)
    return y_true.to(device=y_pred.device, dtype=y_pred.dtype), y_pred


def squeeze_or_expand_to_same_rank(
    x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Squeeze or expand the last axis when the ranks differ by exactly one (Keras's rule)."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def divide_no_nan(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """`x / y`, with 0 where `y == 0`."""
    return torch.where(y == 0, 0.0, x / y)


def floatx_dtype() -> torch.dtype:
    """`floatx()` as a torch dtype (what every per-sample function casts its result to)."""
    name = config.floatx()
    dtype = _TORCH_DTYPES.get(name)
    if dtype is None:
        dtype = _TORCH_DTYPES[name] = to_torch_dtype(name)
    return dtype


_TORCH_DTYPES: dict[str, torch.dtype] = {}


# -- regression ------------------------------------------------------------------------------


def l2_normalize(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """`x / max(||x||, epsilon)`, computed as Keras does (`x * min(rsqrt(sum x^2), 1/eps)`)."""
    if x.ndim == 0:
        x = x.unsqueeze(0)
    inv_norm = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / config.epsilon())


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Cosine similarity along `axis` (the metric's sign: 1 for identical directions)."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(*as_float_pair(y_true, y_pred))
    return torch.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), dim=axis)
