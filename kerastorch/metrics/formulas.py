"""Per-sample formulas shared by the metrics, with Keras 3's exact numerics.

The loss-based ones (`mean_squared_error`, `binary_crossentropy`, ...) duplicate the
functions of `kerastorch.losses`, which is written in parallel; they compute the same numbers
and can be replaced by imports from there. `keras.metrics` exports them under these names.

Example:
    >>> float(mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])[0])
    0.5
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype

# -- tensors and shapes ----------------------------------------------------------------------
from kerastorch.losses.losses import (  # noqa: F401 (re-exported: metrics' function forms)
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    squared_hinge,
)
from kerastorch.variables import Variable


def to_tensor(x: Any, dtype: Any = None, device: torch.device | str | None = None) -> torch.Tensor:
    """A detached tensor of `x` on `device`; Python floats become `floatx()`, as in Keras."""
    if isinstance(x, Variable):
        x = x.value
    torch_dtype = None if dtype is None else to_torch_dtype(dtype)
    if isinstance(x, torch.Tensor):
        return x.detach().to(device=device, dtype=torch_dtype)
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


def _floatx() -> torch.dtype:
    return to_torch_dtype(config.floatx())


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


# -- probabilistic ---------------------------------------------------------------------------


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary crossentropy averaged over `axis`; probabilities are clipped to [eps, 1 - eps]."""
    y_true, y_pred = as_float_pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "binary_crossentropy: arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(y_true.shape)}, output.shape={tuple(y_pred.shape)}"
        )
    if from_logits:
        values = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        eps = config.epsilon()
        y_pred = torch.clamp(y_pred, eps, 1.0 - eps)
        values = F.binary_cross_entropy(y_pred, y_true, reduction="none")
    return torch.mean(values, dim=axis)


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Crossentropy between one-hot (or soft) labels and predictions along `axis`."""
    if isinstance(axis, bool):
        raise ValueError(
            f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}"
        )
    y_true, y_pred = as_float_pair(y_true, y_pred)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: y_pred.shape="
            f"{tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if you only have 2 "
            "classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "categorical_crossentropy: arguments `target` and `output` must have the same "
            f"shape. Received: target.shape={tuple(y_true.shape)}, "
            f"output.shape={tuple(y_pred.shape)}"
        )
    if from_logits:
        log_prob = F.log_softmax(y_pred, dim=axis)
    else:
        eps = config.epsilon()
        y_pred = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clamp(y_pred, eps, 1.0 - eps))
    return -torch.sum(y_true * log_prob, dim=axis)


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> torch.Tensor:
    """Crossentropy between integer labels and predictions along `axis`.

    With `ignore_class`, entries labelled `ignore_class` get a loss of 0 and the result carries
    `_keras_mask` (False there), as in Keras.
    """
    y_pred = y_pred if isinstance(y_pred, torch.Tensor) else to_tensor(y_pred)
    y_true = (y_true if isinstance(y_true, torch.Tensor) else to_tensor(y_true)).to(y_pred.device)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    valid_mask = None
    if ignore_class is not None:
        class_axis = axis % y_pred.ndim
        res_shape = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
        valid_mask = y_true.to(y_pred.dtype) != float(ignore_class)
        y_true = torch.where(valid_mask, y_true, 0)
        y_pred = torch.where(valid_mask.unsqueeze(axis), y_pred, 0.0)
    target = y_true.long()
    expected = [d for i, d in enumerate(y_pred.shape) if i != axis % max(y_pred.ndim, 1)]
    if y_pred.ndim < 1 or list(target.shape) != expected:
        raise ValueError(
            "sparse_categorical_crossentropy: arguments `target` and `output` must have the "
            f"same shape up until the last dimension: target.shape={tuple(target.shape)}, "
            f"output.shape={tuple(y_pred.shape)}"
        )
    squeeze = y_pred.ndim == 1
    if squeeze:
        y_pred, target = y_pred.unsqueeze(0), target.unsqueeze(0)
    elif axis % y_pred.ndim != 1:
        y_pred = y_pred.movedim(axis % y_pred.ndim, 1)  # torch wants classes on axis 1
    if from_logits:
        res = F.cross_entropy(y_pred, target, reduction="none")
    else:
        eps = config.epsilon()
        y_pred = y_pred / torch.sum(y_pred, dim=1, keepdim=True)
        res = F.nll_loss(torch.log(torch.clamp(y_pred, eps, 1.0 - eps)), target, reduction="none")
    if squeeze:
        res = res.squeeze(0)
    if valid_mask is not None:
        valid_mask = valid_mask.reshape(res_shape)
        res = torch.where(valid_mask, res, 0.0)
        res._keras_mask = valid_mask
    return res
