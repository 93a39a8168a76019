"""The best value of one rate subject to a floor on another, over a grid of thresholds.

`SensitivityAtSpecificity`, `SpecificityAtSensitivity`, `PrecisionAtRecall` and
`RecallAtPrecision` accumulate TP/FP/TN/FN at `num_thresholds` evenly spaced thresholds in
[0, 1] and return the largest "dependent" rate among the thresholds where the "constrained"
rate reaches the requested value (0 if none does).

Example:
    >>> m = SensitivityAtSpecificity(0.5, num_thresholds=3)
    >>> float(m([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9]))
    0.5
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.metrics.confusion_metrics import ThresholdedMetric
from kerastorch.metrics.formulas import divide_no_nan


def _check_rate(owner: str, argument: str, value: float) -> None:
    if value < 0 or value > 1:
        raise ValueError(
            f"{owner}: argument `{argument}` must be in the range [0, 1]. "
            f"Received: {argument}={value}"
        )


class SensitivitySpecificityBase(ThresholdedMetric):
    """Shared state and update of the four "rate at rate" metrics."""

    def __init__(
        self,
        value: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError(
                f"{type(self).__name__}: argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0, *inner, 1.0]
            self._thresholds_distributed_evenly = True
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, name="true_positives")
        self.false_positives = self.add_variable(shape=shape, name="false_positives")
        self.true_negatives = self.add_variable(shape=shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape=shape, name="false_negatives")
        self._register_thresholds(self.thresholds)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate TP, FP, TN and FN at every threshold.

        Args:
            y_true: labels, cast to bool.
            y_pred: predictions in [0, 1].
            sample_weight: optional weights, broadcastable to `y_true`.
        """
        variables = {
            "tp": self.true_positives,
            "tn": self.true_negatives,
            "fp": self.false_positives,
            "fn": self.false_negatives,
        }
        self._update_counts(variables, y_true, y_pred, sample_weight, class_id=self.class_id)

    def _rates(self) -> dict[str, torch.Tensor]:
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {
            "sensitivity": divide_no_nan(tp, tp + fn),  # = recall
            "specificity": divide_no_nan(tn, tn + fp),
            "precision": divide_no_nan(tp, tp + fp),
        }

    def _find_max_under_constraint(
        self, constrained: torch.Tensor, dependent: torch.Tensor
    ) -> torch.Tensor:
        feasible = constrained >= self.value
        return torch.clamp(torch.amax(torch.where(feasible, dependent, 0.0)), min=0.0)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "class_id": self.class_id}


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """Best sensitivity (recall) among thresholds where specificity >= `specificity`.

    Args:
        specificity: the required specificity, in [0, 1].
        num_thresholds: number of evenly spaced thresholds in [0, 1]. Defaults to 200.
        class_id: compute the metric for this class of the last axis only.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> float(SensitivityAtSpecificity(0.5, num_thresholds=3)([0, 1], [0.2, 0.8]))
        1.0
    """

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate("SensitivityAtSpecificity", "specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._find_max_under_constraint(rates["specificity"], rates["sensitivity"])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "specificity": self.specificity,
        }


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """Best specificity among thresholds where sensitivity (recall) >= `sensitivity`.

    Args:
        sensitivity: the required sensitivity, in [0, 1].
        num_thresholds: number of evenly spaced thresholds in [0, 1]. Defaults to 200.
        class_id: compute the metric for this class of the last axis only.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> float(SpecificityAtSensitivity(0.5, num_thresholds=3)([0, 1], [0.2, 0.8]))
        1.0
    """

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate("SpecificityAtSensitivity", "sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._find_max_under_constraint(rates["sensitivity"], rates["specificity"])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "sensitivity": self.sensitivity,
        }


class PrecisionAtRecall(SensitivitySpecificityBase):
    """Best precision among thresholds where recall >= `recall`.

    Args:
        recall: the required recall, in [0, 1].
        num_thresholds: number of evenly spaced thresholds in [0, 1]. Defaults to 200.
        class_id: compute the metric for this class of the last axis only.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> float(PrecisionAtRecall(0.5, num_thresholds=3)([0, 1], [0.2, 0.8]))
        1.0
    """

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate("PrecisionAtRecall", "recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(recall, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._find_max_under_constraint(rates["sensitivity"], rates["precision"])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "recall": self.recall,
        }


class RecallAtPrecision(SensitivitySpecificityBase):
    """Best recall among thresholds where precision >= `precision`.

    Args:
        precision: the required precision, in [0, 1].
        num_thresholds: number of evenly spaced thresholds in [0, 1]. Defaults to 200.
        class_id: compute the metric for this class of the last axis only.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> float(RecallAtPrecision(0.5, num_thresholds=3)([0, 1], [0.2, 0.8]))
        1.0
    """

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        _check_rate("RecallAtPrecision", "precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(precision, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._find_max_under_constraint(rates["precision"], rates["sensitivity"])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "precision": self.precision,
        }
