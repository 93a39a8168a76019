"""`Loss`: the base class of every loss, and Keras 3's reduction and masking rules.

A loss object turns `(y_true, y_pred, sample_weight)` into one scalar (or, with
`reduction=None`, into per-sample values). `Loss.__call__` does what every loss shares:

1. convert `y_true` and `y_pred` to tensors of the loss dtype, on `y_pred`'s device;
2. run `call(y_true, y_pred)` (per-sample losses);
3. merge the Keras mask of `y_pred` (`y_pred._keras_mask`) and of the losses into the
   sample weights;
4. weight and reduce, as `reduce_weighted_values` does in Keras 3.

Everything stays on the device: no `.item()`, no Python branch on a tensor value.

Example:
    >>> import torch
    >>> class MeanError(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return (y_pred - y_true).mean(dim=-1)
    >>> float(MeanError()(torch.zeros(2, 3), torch.ones(2, 3)))
    1.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common import naming, tree
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.ops.logits import carry_logits
from kerastorch.variables import Variable

Tensor = torch.Tensor

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class Loss:
    """Loss base class: subclass it and implement `call(y_true, y_pred)`.

    Args:
        name: Name of the loss instance. Defaults to the snake-case class name, made
            unique in the session (`"loss"`, `"loss_1"`, ...).
        reduction: How per-sample losses become the result. `"sum_over_batch_size"`
            (default) and `"mean"` divide the weighted sum by the number of loss values;
            `"sum"` returns the weighted sum; `"mean_with_sample_weight"` divides it by the
            sum of the sample weights; `None` or `"none"` returns the weighted losses.
            `"auto"` (tf.keras 2.x) means `"sum_over_batch_size"`.
        dtype: Dtype of the computation (`"float32"`, a `torch.dtype`, or a dtype policy
            with a `compute_dtype`). Defaults to `config.floatx()`.

    Masks: if `y_pred` carries a boolean `_keras_mask` (set by masking layers), masked
    entries get weight 0 and `"sum_over_batch_size"` divides by the number of unmasked
    entries, as in Keras 3.

    Example:
        >>> import torch
        >>> class MeanError(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return (y_pred - y_true).mean(dim=-1)
        >>> loss = MeanError(reduction="sum")
        >>> float(loss(torch.zeros(2, 3), torch.ones(2, 3), sample_weight=torch.tensor([1., 3.])))
        4.0
    """

    _keras_module = "keras"  # `serialize()`'s "module", as Keras's
    # Losses whose labels are class indices keep integer `y_true` as it is, rather than
    # casting it to the float dtype (same numbers as Keras, one conversion fewer).
    _integer_labels = False
    # `(y_pred, y_true) -> loss`: Keras's `sum_over_batch_size` loss of two same-shaped,
    # unweighted, unmasked tensors in one kernel (`F.mse_loss` for MSE), or None.
    _whole_mean: Callable[[Tensor, Tensor], Tensor] | None = None

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype: Any = None,
    ):
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = _compute_dtype(dtype)
        self._torch_dtype = to_torch_dtype(self._dtype)

    @property
    def dtype(self) -> str:
        """The dtype of the loss computation, as a string (`"float32"`)."""
        return self._dtype

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        """Weighted, reduced loss of `y_pred` against `y_true`.

        Args:
            y_true: Targets (tensor, array or nested structure of them).
            y_pred: Predictions, same structure. Its `_keras_mask`, if any, masks entries.
            sample_weight: Optional weights, broadcast against the per-sample losses after
                squeezing or expanding a trailing axis of size 1.

        Returns:
            A scalar tensor, or the weighted per-sample losses for `reduction=None`.
        """
        in_mask = getattr(y_pred, "_keras_mask", None)
        dtype = self._torch_dtype
        if (
            isinstance(y_pred, Tensor)
            and isinstance(y_true, Tensor)
            and y_true.device == y_pred.device
        ):
            # The common case, two tensors on one device: only dtypes to cast, if any (the
            # conversions below, without their structure walks).
            if y_pred.dtype != dtype:
                y_pred = convert_to_tensor(y_pred, dtype)
            if y_true.dtype != dtype:
                if not self._integer_labels:
                    y_true = convert_to_tensor(y_true, dtype)
                elif not _is_integer(y_true):
                    y_true = y_true.to(dtype)
            whole_mean = self._whole_mean
            if (
                whole_mean is not None
                and sample_weight is None
                and in_mask is None
                and self.reduction == "sum_over_batch_size"
                and y_pred.shape == y_true.shape
                and y_pred.numel()
            ):
                return whole_mean(y_pred, y_true)
        else:
            device = _device_of(y_pred)
            y_pred = _map(lambda x: convert_to_tensor(x, dtype, device), y_pred)
            labels_dtype = None if self._integer_labels else dtype
            y_true = _map(lambda x: convert_to_tensor(x, labels_dtype, device), y_true)
            if self._integer_labels:
                y_true = _map(lambda x: x if _is_integer(x) else x.to(dtype), y_true)

        losses = self.call(y_true, y_pred)
        out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = in_mask & out_mask
        else:
            mask = in_mask if in_mask is not None else out_mask
        if (
            mask is None
            and sample_weight is None
            and isinstance(losses, Tensor)
            and losses.dtype == dtype
            and self.reduction in REDUCTIONS
        ):
            # Unweighted, unmasked losses of the loss dtype: `reduce_weighted_values` would
            # only reduce them (the same operations, without its conversions).
            return reduce_values(losses, None, self.reduction)
        return reduce_weighted_values(
            losses, sample_weight=sample_weight, mask=mask, reduction=self.reduction, dtype=dtype
        )

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        """Per-sample losses; subclasses implement it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `call(y_true, y_pred)`, returning the "
            "per-sample losses."
        )

    def get_config(self) -> dict[str, Any]:
        """Keras's config: `{"name": ..., "reduction": ...}` plus subclass arguments."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        """Rebuild a loss from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


def standardize_reduction(reduction: str | None) -> str | None:
    """Check `reduction` against Keras's allowed values (`"auto"` means the default)."""
    if reduction == "auto":  # tf.keras 2.x `Reduction.AUTO`
        return "sum_over_batch_size"
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def _compute_dtype(dtype: Any) -> str:
    dtype = getattr(dtype, "compute_dtype", dtype)  # a dtype policy
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        dtype = dtype.removeprefix("mixed_")
    return standardize_dtype(dtype or config.floatx())


# --- tensors ----------------------------------------------------------------------------


def _device_of(x: Any) -> torch.device:
    for leaf in tree.flatten(x) if isinstance(x, (dict, list, tuple)) else [x]:
        if isinstance(leaf, Tensor):
            return leaf.device
        if isinstance(leaf, Variable):
            return leaf.value.device
    return config.default_device()


def _is_integer(x: Tensor) -> bool:
    return not (x.is_floating_point() or x.is_complex() or x.dtype == torch.bool)


def _map(fn: Callable[[Any], Tensor], x: Any) -> Any:
    """Apply `fn` to each tensor of a structure; a list of numbers is one array."""
    if isinstance(x, dict) or (
        isinstance(x, (list, tuple))
        and any(isinstance(v, (Tensor, np.ndarray, Variable, dict)) for v in x)
    ):
        return tree.map_structure(fn, x)
    return fn(x)


def convert_to_tensor(
    x: Any, dtype: torch.dtype | str | None = None, device: torch.device | None = None
) -> Tensor:
    """A tensor from a tensor, `Variable`, array or number, as Keras's torch backend does.

    Tensors keep their dtype unless `dtype` is given; NumPy arrays keep theirs; Python floats
    become `floatx()`. Attached logits (`attach_logits`) follow a dtype or device change.
    """
    if isinstance(x, Variable):
        x = x.value
    if dtype is not None and not isinstance(dtype, torch.dtype):
        dtype = to_torch_dtype(dtype)
    if isinstance(x, Tensor):
        if (dtype is None or x.dtype == dtype) and (device is None or x.device == device):
            return x  # the common case in a training step: nothing to do
        out = x.to(device=device or x.device, dtype=dtype or x.dtype)
        return carry_logits(x, out, lambda t: t.to(device=out.device, dtype=out.dtype))
    if dtype is None:
        array = np.asarray(x)
        if array.dtype == np.float64 and not isinstance(x, np.ndarray):
            dtype = to_torch_dtype(config.floatx())  # Python floats -> floatx, as Keras
        elif array.dtype == np.int64 and not isinstance(x, np.ndarray):
            dtype = torch.int32 if np.all(np.abs(array) < 2**31) else torch.int64
        return torch.as_tensor(array, dtype=dtype, device=device or config.default_device())
    return torch.as_tensor(np.asarray(x), dtype=dtype, device=device or config.default_device())


def as_tensor_pair(y_true: Any, y_pred: Any, squeeze: bool = False) -> tuple[Tensor, Tensor]:
    """`y_pred` as a tensor, `y_true` cast to its dtype and device (Keras's first lines).

    With `squeeze`, a trailing axis of size 1 is then squeezed or added to match ranks.
    """
    if not (
        isinstance(y_pred, Tensor)
        and isinstance(y_true, Tensor)
        and y_true.dtype == y_pred.dtype
        and y_true.device == y_pred.device
    ):
        y_pred = convert_to_tensor(y_pred)
        y_true = convert_to_tensor(y_true, y_pred.dtype, y_pred.device)
    if squeeze:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def squeeze_or_expand_to_same_rank(
    x1: Tensor, x2: Tensor, expand_rank_1: bool = True
) -> tuple[Tensor, Tensor]:
    """Make ranks equal when they differ by one and the longer tensor ends in an axis of 1.

    A rank-1 partner is expanded (`(N,)` -> `(N, 1)`) when `expand_rank_1`; otherwise the
    trailing axis of size 1 is squeezed. Same rule as Keras 3.
    """
    rank1, rank2 = x1.dim(), x2.dim()
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = carry_logits(x2, x2.unsqueeze(-1), lambda t: t.unsqueeze(-1))
        else:
            x1 = carry_logits(x1, x1.squeeze(-1), lambda t: t.squeeze(-1))
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = carry_logits(x1, x1.unsqueeze(-1), lambda t: t.unsqueeze(-1))
        else:
            x2 = carry_logits(x2, x2.squeeze(-1), lambda t: t.squeeze(-1))
    return x1, x2


# --- reduction --------------------------------------------------------------------------


def _divide_no_nan(x: Tensor | float, y: Tensor) -> Tensor:
    """`x / y`, and 0 where `y == 0` (Keras's `divide_no_nan`), without a host sync."""
    zero = y == 0
    return torch.where(zero, 0.0, x / torch.where(zero, 1.0, y)).to(y.dtype)


def _broadcast(values: Tensor, weight: Tensor, what: str) -> Tensor:
    """`values * weight`, with an error that names the shapes when they do not broadcast."""
    try:
        if weight.shape != values.shape:
            torch.broadcast_shapes(values.shape, weight.shape)
    except RuntimeError:
        raise ValueError(
            f"The {what} of shape {tuple(weight.shape)} cannot be broadcast to the per-sample "
            f"losses of shape {tuple(values.shape)} (a trailing axis of size 1 is squeezed or "
            "added first, as in Keras)."
        ) from None
    return values * weight


def reduce_values(
    values: Tensor,
    sample_weight: Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
) -> Tensor:
    """Reduce already-weighted losses (`values`) as `reduction` says."""
    if reduction in (None, "none") or values.dim() == 0 or tuple(values.shape) == (0,):
        return values
    loss = values.sum()
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return _divide_no_nan(loss, sample_weight.sum().to(loss.dtype))
    count = values.numel()  # static: no device round trip
    return loss / count if count else torch.zeros_like(loss)


def apply_mask(
    sample_weight: Tensor | None, mask: Tensor | None, dtype: torch.dtype, reduction: str | None
) -> Tensor | None:
    """Fold a boolean mask into the sample weights.

    For `"sum_over_batch_size"` and `"mean"`, unmasked entries weigh `total / valid`, so that
    the mean over all entries equals the mean over the valid ones.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.to(dtype).sum()  # may be 0
        float_mask = torch.where(mask.bool(), _divide_no_nan(float(mask.numel()), valid), 0.0)
    else:
        float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight.to(dtype))
    return _broadcast(float_mask, sample_weight, "sample_weight (with the mask)")


def reduce_weighted_values(
    values: Tensor,
    sample_weight: Any = None,
    mask: Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
    dtype: torch.dtype | str | None = None,
) -> Tensor:
    """Weight per-sample `values` by `sample_weight` and `mask`, then reduce them."""
    reduction = standardize_reduction(reduction)
    values = convert_to_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight, values.dtype, values.device)
    if mask is not None:
        mask = convert_to_tensor(mask, device=values.device)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = _broadcast(values, sample_weight, "sample_weight")
    return reduce_values(values, sample_weight, reduction)
