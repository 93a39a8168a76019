"""Regression metrics: mean errors, RMSE, cosine similarity, log-cosh and R2.

Example:
    >>> m = MeanSquaredError()
    >>> float(m([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]))
    0.25
"""

from __future__ import annotations

import warnings
from typing import Any

import torch

from kerastorch.losses import (
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from kerastorch.metrics.formulas import cosine_similarity, squeeze_or_expand_to_same_rank, to_tensor
from kerastorch.metrics.metric import Metric
from kerastorch.metrics.reduction_metrics import Mean, MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    """Mean of `(y_true - y_pred) ** 2`.

    Example:
        >>> float(MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
        0.5
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(fn=mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of `|y_true - y_pred|`.

    Example:
        >>> float(MeanAbsoluteError()([[0.0, 1.0]], [[1.0, 1.0]]))
        0.5
    """

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(mean_absolute_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean of `100 * |y_true - y_pred| / |y_true|` (denominator floored at epsilon).

    Example:
        >>> float(MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 4.0]]))
        25.0
    """

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None):
        super().__init__(mean_absolute_percentage_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean of `(log(y_true + 1) - log(y_pred + 1)) ** 2`.

    Example:
        >>> float(MeanSquaredLogarithmicError()([[0.0]], [[0.0]]))
        0.0
    """

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None):
        super().__init__(mean_squared_logarithmic_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """Square root of the (weighted) mean of `(y_true - y_pred) ** 2` over all entries.

    Example:
        >>> float(RootMeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]))
        0.5
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        device = self._follow(y_pred)
        y_true = to_tensor(y_true, dtype=self.dtype, device=device)
        y_pred = to_tensor(y_pred, dtype=self.dtype, device=device)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        self._update_from_tensor(torch.square(y_pred - y_true), sample_weight)

    def result(self) -> torch.Tensor:
        return torch.sqrt(super().result())


class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between labels and predictions along `axis`.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.
        axis: the axis along which the similarity is computed.

    Example:
        >>> float(CosineSimilarity()([[0.0, 1.0]], [[0.0, 2.0]]))
        1.0
    """

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        # Keras 3 drops `axis` here (a bug); it is kept so that the config round-trips.
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class LogCoshError(MeanMetricWrapper):
    """Mean of `log(cosh(y_pred - y_true))`.

    Example:
        >>> float(LogCoshError()([[0.0]], [[0.0]]))
        0.0
    """

    def __init__(self, name: str = "logcosh", dtype: Any = None):
        super().__init__(log_cosh, name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class R2Score(Metric):
    """Coefficient of determination, per output then aggregated.

    Args:
        class_aggregation: `"uniform_average"` (default), `"variance_weighted_average"` or
            `None` (one score per output).
        num_regressors: number of independent regressors, for the adjusted R2. `0` (the
            default) gives the standard R2.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Inputs are 2D: `(batch, outputs)`.

    Example:
        >>> m = R2Score()
        >>> float(m([[1.0], [2.0], [3.0]], [[1.0], [2.0], [3.0]]))
        1.0
    """

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                f"R2Score: invalid value for argument `class_aggregation`. Expected one of "
                f"{valid}. Received: class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                "R2Score: invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape: tuple[int, ...], y_pred_shape: tuple[int, ...]) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        num_classes = y_pred_shape[-1]
        self.squared_sum = self.add_variable(shape=(num_classes,), name="squared_sum")
        self.sum = self.add_variable(shape=(num_classes,), name="sum")
        self.total_mse = self.add_variable(shape=(num_classes,), name="residual")
        self.count = self.add_variable(shape=(num_classes,), name="count")
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        device = self._follow(y_pred)
        y_true = to_tensor(y_true, dtype=self.dtype, device=device)
        y_pred = to_tensor(y_pred, dtype=self.dtype, device=device)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if sample_weight is None:
            sample_weight = 1.0
        sample_weight = to_tensor(sample_weight, dtype=self.dtype, device=device)
        if sample_weight.ndim == 1:
            sample_weight = sample_weight.unsqueeze(1)  # a features axis
        sample_weight = torch.broadcast_to(sample_weight, y_true.shape)
        weighted_y_true = y_true * sample_weight
        self.sum.assign_add(torch.sum(weighted_y_true, dim=0))
        self.squared_sum.assign_add(torch.sum(y_true * weighted_y_true, dim=0))
        self.total_mse.assign_add(torch.sum((y_true - y_pred) ** 2 * sample_weight, dim=0))
        self.count.assign_add(torch.sum(sample_weight, dim=0))
        self.num_samples.assign_add(y_true.numel())

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), device=self._state_device())
        total_sum, count = self.sum.value, self.count.value
        mean = total_sum / count
        total = self.squared_sum.value - total_sum * mean
        raw_scores = 1 - (self.total_mse.value / total)
        raw_scores = torch.where(torch.isinf(raw_scores), 0.0, raw_scores)
        if self.class_aggregation == "uniform_average":
            r2_score = torch.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            r2_score = torch.sum(total * raw_scores) / torch.sum(total)
        else:
            r2_score = raw_scores
        if self.num_regressors != 0:
            # The adjusted score depends on the sample count: reading it syncs, as in Keras.
            n, p = float(self.num_samples.value), float(self.num_regressors)
            if p > n - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. "
                    "Falling back to standard R2 score.",
                    stacklevel=2,
                )
            elif p == n - 1:
                warnings.warn(
                    "Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                    stacklevel=2,
                )
            else:
                r2_score = 1.0 - (1.0 - r2_score) * (n - 1.0) / (n - p - 1.0)
        return r2_score

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
