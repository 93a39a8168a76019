"""Correlation metrics: `PearsonCorrelation` and `ConcordanceCorrelation` along an axis.

Each is the running (weighted) mean of a per-sample correlation that `keras.metrics` also
exports as a function (`pearson_correlation`, `concordance_correlation`).

Example:
    >>> m = PearsonCorrelation()
    >>> round(float(m([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])), 4)
    0.9934
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.metrics.formulas import as_float_pair, squeeze_or_expand_to_same_rank
from kerastorch.metrics.reduction_metrics import MeanMetricWrapper


def pearson_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Pearson correlation coefficient between `y_true` and `y_pred` along `axis`."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(*as_float_pair(y_true, y_pred))
    y_true = y_true - torch.mean(y_true, dim=axis, keepdim=True)
    y_pred = y_pred - torch.mean(y_pred, dim=axis, keepdim=True)
    y_true = y_true / torch.std(y_true, dim=axis, keepdim=True, correction=0)
    y_pred = y_pred / torch.std(y_pred, dim=axis, keepdim=True, correction=0)
    return torch.mean(y_true * y_pred, dim=axis)


def concordance_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Lin's concordance correlation coefficient along `axis`, as Keras 3 computes it.

    Keras 3 centres `y_true` on the mean of `y_pred` in the covariance term; that is kept,
    so that the numbers match.
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(*as_float_pair(y_true, y_pred))
    y_true_mean = torch.mean(y_true, dim=axis, keepdim=True)
    y_pred_mean = torch.mean(y_pred, dim=axis, keepdim=True)
    y_true_var = torch.var(y_true - y_true_mean, dim=axis, keepdim=True, correction=0)
    y_pred_var = torch.var(y_pred - y_pred_mean, dim=axis, keepdim=True, correction=0)
    covar = (y_true - y_pred_mean) * (y_pred - y_pred_mean)
    norm = y_true_var + y_pred_var + torch.square(y_true_mean - y_pred_mean)
    return torch.mean(2 * covar / (norm + config.epsilon()), dim=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Mean Pearson correlation coefficient between labels and predictions along `axis`.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.
        axis: the axis along which the correlation is computed.

    Example:
        >>> round(float(PearsonCorrelation()([[1.0, 2.0, 3.0]], [[3.0, 2.0, 1.0]])), 4)
        -1.0
    """

    def __init__(self, name: str = "pearson_correlation", dtype: Any = None, axis: int = -1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """Mean concordance correlation coefficient between labels and predictions along `axis`.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.
        axis: the axis along which the correlation is computed.

    Example:
        >>> round(float(ConcordanceCorrelation()([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])), 4)
        1.0
    """

    def __init__(self, name: str = "concordance_correlation", dtype: Any = None, axis: int = -1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
