"""`AUC`: area under the ROC or precision-recall curve, by a Riemann sum over thresholds.

The state is TP/FP/TN/FN at `num_thresholds` thresholds; evenly spaced thresholds (the
default) are updated in O(thresholds + samples) with the bucket algorithm of
`metrics_utils.py`. `result()` sums the curve from those counts.

Example:
    >>> m = AUC(num_thresholds=3)
    >>> float(m([0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9]))
    0.75
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.metrics.confusion_metrics import ThresholdedMetric
from kerastorch.metrics.formulas import divide_no_nan, to_tensor
from kerastorch.metrics.metrics_utils import is_evenly_distributed

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


def _enum_value(value: Any) -> str:
    return getattr(value, "value", value)  # accept Keras's AUCCurve / AUCSummationMethod enums


class AUC(ThresholdedMetric):
    """Approximate AUC (area under the ROC or PR curve) from thresholded counts.

    Args:
        num_thresholds: number of thresholds (>1) used to discretize the curve. Defaults
            to 200.
        curve: `"ROC"` (default), `"PR"` (precision-recall) or `"PRGAIN"`.
        summation_method: `"interpolation"` (default: trapezoids for ROC, Davis & Goadrich
            interpolation for PR), `"minoring"` or `"majoring"`.
        name: name of the metric instance.
        dtype: dtype of the metric result.
        thresholds: explicit thresholds in [0, 1]; overrides `num_thresholds`. Endpoints
            just below 0 and just above 1 are added.
        multi_label: treat each column of 2D data as a separate label and average the
            per-label AUCs (weighted by `label_weights`). Otherwise data are flattened.
        num_labels: number of labels with `multi_label=True`; when omitted, the state is
            created on the first `update_state`.
        label_weights: non-negative weights per label.
        from_logits: whether `y_pred` holds logits (a sigmoid is applied first).

    Example:
        >>> m = AUC(curve="PR", num_thresholds=3)
        >>> round(float(m([0, 1], [0.2, 0.8])), 4)
        1.0
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: Sequence[float] | None = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Sequence[float] | None = None,
        from_logits: bool = False,
    ):
        curve_key = str(_enum_value(curve)).lower()
        summation_key = str(_enum_value(summation_method)).lower()
        if curve_key not in _CURVES:
            raise ValueError(
                f'AUC: invalid AUC curve value: "{curve}". Expected values are '
                '["PR", "ROC", "PRGAIN"]'
            )
        if summation_key not in _SUMMATIONS:
            raise ValueError(
                f'AUC: invalid AUC summation method value: "{summation_method}". Expected '
                'values are ["interpolation", "majoring", "minoring"]'
            )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.curve = _CURVES[curve_key]
        self.summation_method = summation_key

        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = is_evenly_distributed([0.0, *inner, 1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "AUC: argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        # End points just outside [0, 1] absorb floating point imprecision.
        self._threshold_values = [0.0 - config.epsilon(), *inner, 1.0 + config.epsilon()]
        self._register_thresholds(self._threshold_values)

        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights: list[float] | None = None
        if isinstance(label_weights, dict):  # Keras 3 saves it as {"class_name": "__tensor__", ...}
            label_weights = label_weights["config"]["value"]
        if label_weights is not None:
            self.label_weights = [float(w) for w in label_weights]
            weights = torch.tensor(self.label_weights, dtype=to_torch_dtype(self.dtype))
            self.register_buffer("_label_weights", weights.to(self._state_device()), False)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("AUC: `num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, including the two end points outside [0, 1]."""
        return list(self._threshold_values)

    def _build(self, shape: tuple[int | None, ...] | None) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "AUC: `y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{len(shape)}. Full shape received for `y_pred`: {tuple(shape)}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        self.true_positives = self.add_variable(shape=variable_shape, name="true_positives")
        self.false_positives = self.add_variable(shape=variable_shape, name="false_positives")
        self.true_negatives = self.add_variable(shape=variable_shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape=variable_shape, name="false_negatives")
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate TP, FP, TN and FN at every threshold.

        Args:
            y_true: labels, cast to bool.
            y_pred: predictions in [0, 1] (logits with `from_logits=True`).
            sample_weight: optional weights, broadcastable to `y_true`.
        """
        y_pred = to_tensor(y_pred, device=self._follow(y_pred))
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
        variables = {
            "tp": self.true_positives,
            "tn": self.true_negatives,
            "fp": self.false_positives,
            "fn": self.false_negatives,
        }
        # Per-label weights weigh the label AUCs in `result()` when `multi_label`.
        label_weights = None
        if self.label_weights is not None and not self.multi_label:
            label_weights = self._label_weights
        self._update_counts(
            variables,
            y_true,
            y_pred,
            sample_weight,
            multi_label=self.multi_label,
            label_weights=label_weights,
            thresholds_with_epsilon=True,
        )

    def _average_over_labels(self, by_threshold: torch.Tensor) -> torch.Tensor:
        if not self.multi_label:
            return torch.sum(by_threshold)
        by_label_auc = torch.sum(by_threshold, dim=0)
        if self.label_weights is None:
            return torch.mean(by_label_auc)
        weights = self._label_weights
        return divide_no_nan(torch.sum(by_label_auc * weights), torch.sum(weights))

    def interpolate_pr_auc(self) -> torch.Tensor:
        """PR AUC with the interpolation of Davis & Goadrich (2006).

        Between two thresholds, true positives and predicted positives are interpolated
        linearly, and precision is integrated exactly over that segment.
        """
        tp, fp, fn = (
            self.true_positives.value,
            self.false_positives.value,
            self.false_negatives.value,
        )
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        prec_slope = divide_no_nan(dtp, torch.clamp(dp, min=0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = torch.where(
            (p[:-1] > 0) & (p[1:] > 0),
            divide_no_nan(p[:-1], torch.clamp(p[1:], min=0)),
            torch.ones_like(p[1:]),
        )
        pr_auc_increment = divide_no_nan(
            prec_slope * (dtp + intercept * torch.log(safe_p_ratio)),
            torch.clamp(tp[1:] + fn[1:], min=0),
        )
        return self._average_over_labels(pr_auc_increment)

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), device=self._state_device())
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:  # PRGAIN; see Flach & Kull (2015). Gains are clamped where they diverge.
            scaling_factor = divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scaling_factor * divide_no_nan(fn, tp)
            precision_gain = 1.0 - scaling_factor * divide_no_nan(fp, tp)
            recall_gain = torch.where(tp == 0, 0.0, recall_gain)
            precision_gain = torch.where(tp == 0, 1.0, precision_gain)
            x, y = torch.clamp(recall_gain, min=0.0), precision_gain
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._average_over_labels((x[:-1] - x[1:]) * heights)

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict[str, Any]:
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            # Without the end points, so that a metric made from this config is the same.
            config["thresholds"] = self.thresholds[1:-1]
        return config
