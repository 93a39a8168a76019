"""Thresholded counts and ratios: TruePositives ... FalseNegatives, Precision, Recall.

A prediction is positive at threshold `t` when `y_pred > t`. With a list of thresholds, the
state and the result hold one value per threshold.

Example:
    >>> m = Precision()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    0.6666666865348816
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.config import floatx
from kerastorch.metrics import metrics_utils
from kerastorch.metrics.formulas import divide_no_nan, to_tensor
from kerastorch.metrics.metric import Metric, MetricVariable

Thresholds = float | Sequence[float] | None


class ThresholdedMetric(Metric):
    """Base of the confusion-matrix metrics: keeps the thresholds as a device buffer
    (`_thresholds_tensor`, not state) and adds a batch's counts to the state variables."""

    thresholds: list[float]
    _thresholds_distributed_evenly: bool

    def _register_thresholds(self, thresholds: Sequence[float]) -> None:
        # float32 like the state, as Keras casts the thresholds to the variables' dtype.
        values = torch.tensor([float(t) for t in thresholds], dtype=to_torch_dtype(floatx()))
        self.register_buffer(
            "_thresholds_tensor", values.to(self._state_device()), persistent=False
        )

    def _update_counts(
        self,
        variables: dict[str, MetricVariable],
        y_true: Any,
        y_pred: Any,
        sample_weight: Any,
        **kwargs: Any,
    ) -> None:
        device = self._follow(y_pred)
        accumulators = {kind: v.tensor for kind, v in variables.items()}
        dtype = next(iter(accumulators.values())).dtype
        metrics_utils.update_confusion_matrix(
            accumulators,
            to_tensor(y_true, device=device),
            to_tensor(y_pred, device=device),
            self._thresholds_tensor.to(dtype),  # a no-op unless floatx changed
            sample_weight=None
            if sample_weight is None
            else to_tensor(sample_weight, device=device),
            evenly_distributed=self._thresholds_distributed_evenly,
            **kwargs,
        )


class _ConfusionMatrixConditionCount(ThresholdedMetric):
    """Weighted count of one confusion-matrix cell at each threshold."""

    _kind = ""

    def __init__(self, thresholds: Thresholds = None, name: str | None = None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = metrics_utils.parse_thresholds(thresholds, default=0.5)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), name="accumulator")
        self._register_thresholds(self.thresholds)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate the count of this batch (weighted by `sample_weight`)."""
        self._update_counts({self._kind: self.accumulator}, y_true, y_pred, sample_weight)

    def result(self) -> torch.Tensor:
        value = self.accumulator.value
        return (value[0] if len(self.thresholds) == 1 else value).clone()

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """Weighted number of true positives (`y_true` true and `y_pred > threshold`).

    Args:
        thresholds: a float or a list of floats in [0, 1]. Defaults to 0.5.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> float(TruePositives()([0, 1, 1, 1], [1, 0, 1, 1]))
        2.0
    """

    _kind = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    """Weighted number of false positives (`y_true` false and `y_pred > threshold`).

    Example:
        >>> float(FalsePositives()([0, 1, 0, 0], [0, 0, 1, 1]))
        2.0
    """

    _kind = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """Weighted number of true negatives (`y_true` false and `y_pred <= threshold`).

    Example:
        >>> float(TrueNegatives()([0, 1, 0, 0], [1, 1, 0, 0]))
        2.0
    """

    _kind = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """Weighted number of false negatives (`y_true` true and `y_pred <= threshold`).

    Example:
        >>> float(FalseNegatives()([0, 1, 1, 1], [0, 1, 0, 0]))
        2.0
    """

    _kind = "fn"


class _PrecisionRecallBase(ThresholdedMetric):
    _other = ""  # "fp" for precision, "fn" for recall

    def __init__(
        self,
        thresholds: Thresholds = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self.thresholds = metrics_utils.parse_thresholds(thresholds, default=default)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed(self.thresholds)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, name="true_positives")
        other = "false_positives" if self._other == "fp" else "false_negatives"
        setattr(self, other, self.add_variable(shape=shape, name=other))
        self._register_thresholds(self.thresholds)

    def _other_variable(self) -> MetricVariable:
        return self.false_positives if self._other == "fp" else self.false_negatives

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate true positives and false positives (precision) or negatives (recall).

        Args:
            y_true: labels, cast to bool.
            y_pred: predictions in [0, 1] (any scores with `top_k`).
            sample_weight: optional weights, broadcastable to `y_true`.
        """
        self._update_counts(
            {"tp": self.true_positives, self._other: self._other_variable()},
            y_true,
            y_pred,
            sample_weight,
            top_k=self.top_k,
            class_id=self.class_id,
        )

    def result(self) -> torch.Tensor:
        tp = self.true_positives.value
        result = divide_no_nan(tp, tp + self._other_variable().value)
        return result[0] if len(self.thresholds) == 1 else result

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionRecallBase):
    """Precision `tp / (tp + fp)` at one or several thresholds.

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold.
            Defaults to 0.5 (or to "any score" with `top_k`).
        top_k: only the `top_k` highest predictions of each sample count as positive.
        class_id: compute the metric for this class of the last axis only.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = Precision(top_k=1)
        >>> float(m([[0, 0, 1, 1]], [[1, 1, 0.5, 0]]))
        0.0
    """

    _other = "fp"


class Recall(_PrecisionRecallBase):
    """Recall `tp / (tp + fn)` at one or several thresholds.

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold.
            Defaults to 0.5 (or to "any score" with `top_k`).
        top_k: only the `top_k` highest predictions of each sample count as positive.
        class_id: compute the metric for this class of the last axis only.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> float(Recall()([0, 1, 1, 1], [1, 0, 1, 1]))
        0.6666666865348816
    """

    _other = "fn"
