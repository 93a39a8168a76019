"""`Sum`, `Mean` and `MeanMetricWrapper`: weighted reductions of per-sample values.

Example:
    >>> m = Mean()
    >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.metrics.formulas import squeeze_or_expand_to_same_rank, to_tensor
from kerastorch.metrics.metric import Metric


def apply_mask(
    sample_weight: torch.Tensor | None, mask: torch.Tensor | None, dtype: torch.dtype
) -> torch.Tensor | None:
    """Fold a Keras mask into the sample weights (reduction "sum": weight * mask)."""
    if mask is None:
        return sample_weight
    float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(
        float_mask, sample_weight.to(device=float_mask.device, dtype=dtype)
    )
    return sample_weight * float_mask


def reduce_to_samplewise_values(
    values: torch.Tensor,
    sample_weight: Any,
    reduce_fn: Callable[..., torch.Tensor],
    dtype: torch.dtype,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Weight `values` and reduce them to one value per sample (Keras's exact rule).

    Returns `(values, sample_weight)`: `values` of shape `(batch,)` (or `()` for a scalar),
    already multiplied by the weights, and the weights reduced to the same shape (or None).
    """
    mask = getattr(values, "_keras_mask", None)
    if values.dtype != dtype:
        values = values.to(dtype)
    if sample_weight is not None:
        sample_weight = to_tensor(sample_weight, dtype=dtype, device=values.device)
        sample_weight = apply_mask(sample_weight, mask, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.ndim, values.ndim
        if values_ndim > weight_ndim:
            values = reduce_fn(values, dim=tuple(range(weight_ndim, values_ndim)))
        # Broadcasting changes the weight reduction below, not the product.
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, dim=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the given values.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = Sum()
        >>> float(m([1.0, 3.0, 5.0, 7.0]))
        16.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        mask = getattr(values, "_keras_mask", None)
        values = to_tensor(values, device=self._follow(values))
        if mask is not None:
            values._keras_mask = mask
        values, _ = reduce_to_samplewise_values(values, sample_weight, torch.sum, self._torch_dtype)
        self.total.assign_add(torch.sum(values))

    def result(self) -> torch.Tensor:
        return self.total.value.clone()


class Mean(Metric):
    """The (weighted) mean of the given values: `total / count`.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = Mean()
        >>> float(m([1.0, 3.0, 5.0, 7.0]))
        4.0
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        mask = getattr(values, "_keras_mask", None)
        values = to_tensor(values, device=self._follow(values))
        if mask is not None:
            values._keras_mask = mask
        self._update_from_tensor(values, sample_weight)

    def _update_from_tensor(self, values: torch.Tensor, sample_weight: Any) -> None:
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, torch.mean, self._torch_dtype
        )
        self.total.assign_add(torch.sum(values))
        if sample_weight is not None:
            self.count.assign_add(torch.sum(sample_weight))
        else:
            self.count.assign_add(values.shape[0] if values.ndim >= 1 else 1)

    def result(self) -> torch.Tensor:
        total, count = self.total.value, self.count.value
        return torch.where(count == 0, 0.0, total / count)


class MeanMetricWrapper(Mean):
    """The mean of a stateless function `fn(y_true, y_pred, **kwargs)` over all samples seen.

    Args:
        fn: the per-sample metric function.
        name: name of the metric instance.
        dtype: dtype of the metric result.
        **kwargs: keyword arguments passed on to `fn`.

    Example:
        >>> def squared_error(y_true, y_pred):
        ...     return (y_true - y_pred) ** 2
        >>> m = MeanMetricWrapper(squared_error)
        >>> float(m([0.0, 1.0], [1.0, 1.0]))
        0.5
    """

    def __init__(
        self, fn: Callable[..., Any], name: str | None = None, dtype: Any = None, **kwargs
    ):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        mask = getattr(y_pred, "_keras_mask", None)
        device = self._follow(y_pred)
        y_pred = to_tensor(y_pred, device=device)  # detached: metrics build no autograd graph
        y_true = to_tensor(y_true, device=device)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if not isinstance(values, torch.Tensor):
            values = to_tensor(values, device=device)
        dtype = self._torch_dtype
        if sample_weight is not None:
            sample_weight = to_tensor(sample_weight, dtype=dtype, device=device)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype)
        self._update_from_tensor(values, sample_weight)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "fn": serialize_keras_object(self._fn),
            **serialize_keras_object(self._fn_kwargs),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MeanMetricWrapper:
        if "fn" in config:
            config = deserialize_keras_object(config)
        return cls(**config)
