"""`FBetaScore` and `F1Score`: the harmonic mean of precision and recall, per class.

Example:
    >>> m = F1Score(average="micro", threshold=0.5)
    >>> round(float(m([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.3]])), 4)
    0.5
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.metrics.formulas import to_tensor
from kerastorch.metrics.metric import Metric


class FBetaScore(Metric):
    """F-beta score `(1 + beta^2) * p * r / (beta^2 * p + r)` for multi-class / multi-label data.

    Args:
        average: `None` (one score per class), `"micro"` (global counts), `"macro"`
            (unweighted mean of the class scores) or `"weighted"` (mean weighted by the
            number of true instances of each class).
        beta: weight of recall relative to precision (a float > 0). Defaults to 1.0.
        threshold: predictions above it count as positive. If `None`, the highest
            prediction of each row is positive (ties included).
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Inputs are 2D: `(batch, num_classes)`.

    Example:
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> [round(v, 4) for v in m([[1, 0]], [[0.9, 0.2]]).tolist()]
        [1.0, 0.0]
    """

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        owner = type(self).__name__
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                f"{owner}: invalid `average` argument value. Expected one of: "
                f"{{None, 'micro', 'macro', 'weighted'}}. Received: average={average!r}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                f"{owner}: invalid `beta` argument value. It should be a Python float. "
                f"Received: beta={beta!r} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"{owner}: invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    f"{owner}: invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold!r} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    f"{owner}: invalid `threshold` argument value. It should verify "
                    f"0 < threshold <= 1. Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape: tuple[int, ...], y_pred_shape: tuple[int, ...]) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={y_pred_shape} and "
                f"y_true.shape={y_true_shape}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape, dtype=self.dtype, name="true_positives")
        self.false_positives = self.add_variable(shape, dtype=self.dtype, name="false_positives")
        self.false_negatives = self.add_variable(shape, dtype=self.dtype, name="false_negatives")
        self.intermediate_weights = self.add_variable(
            shape, dtype=self.dtype, name="intermediate_weights"
        )
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate per-class true positives, false positives, false negatives and supports.

        Args:
            y_true: `(batch, num_classes)` binary labels.
            y_pred: `(batch, num_classes)` scores.
            sample_weight: optional `(batch,)` weights.
        """
        device = self._follow(y_pred)
        y_true = to_tensor(y_true, dtype=self.dtype, device=device)
        y_pred = to_tensor(y_pred, dtype=self.dtype, device=device)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if self.threshold is None:
            # The row maximum is positive; an all-zero row stays all negative.
            threshold = torch.amax(y_pred, dim=-1, keepdim=True)
            y_pred = (y_pred >= threshold) & (torch.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.to(y_true.dtype)
        if sample_weight is not None:
            sample_weight = to_tensor(sample_weight, dtype=self.dtype, device=device).unsqueeze(1)

        def weighted_sum(values: torch.Tensor) -> torch.Tensor:
            if sample_weight is not None:
                values = values * sample_weight
            return torch.sum(values, dim=self.axis)

        self.true_positives.assign_add(weighted_sum(y_pred * y_true))
        self.false_positives.assign_add(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), device=self._state_device())
        eps = config.epsilon()
        tp, fp, fn = (
            self.true_positives.value,
            self.false_positives.value,
            self.false_negatives.value,
        )
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        mean = (precision * recall) / ((self.beta**2) * precision + recall + eps)
        f_score = mean * (1 + self.beta**2)
        if self.average == "weighted":
            support = self.intermediate_weights.value
            f_score = torch.sum(f_score * (support / (torch.sum(support) + eps)))
        elif self.average is not None:  # micro, macro
            f_score = torch.mean(f_score)
        return f_score

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """F1 score: `2 * precision * recall / (precision + recall)`, per class or averaged.

    Args:
        average: `None`, `"micro"`, `"macro"` or `"weighted"` (see `FBetaScore`).
        threshold: predictions above it count as positive; `None` takes each row's maximum.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = F1Score(threshold=0.5)
        >>> [round(v, 4) for v in m([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.3]]).tolist()]
        [0.6667, 0.0]
    """

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str = "f1_score",
        dtype: Any = None,
    ):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["beta"]
        return config
