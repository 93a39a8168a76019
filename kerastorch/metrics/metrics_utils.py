"""Thresholded confusion-matrix counts (TP, FP, TN, FN), updated on the device.

This is Keras's `metrics_utils.update_confusion_matrix_variables` in torch. A prediction is
positive at threshold `t` when `y_pred > t`. Evenly spaced thresholds (AUC's default) use
the O(thresholds + samples) bucket algorithm: each prediction is scattered into the bucket
of its threshold interval and a reversed cumulative sum gives the counts; other thresholds
compare every prediction with every threshold.

Example:
    >>> import torch
    >>> tp = torch.zeros(3)
    >>> update_confusion_matrix(
    ...     {"tp": tp}, torch.tensor([1.0, 0.0, 1.0]), torch.tensor([0.9, 0.8, 0.2]),
    ...     torch.tensor([0.1, 0.5, 0.95]))
    >>> tp.tolist()
    [2.0, 1.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from kerastorch import config
from kerastorch.metrics.formulas import squeeze_or_expand_to_same_rank

NEG_INF = -1e10  # Keras's "minus infinity" for top-k filtering


def parse_thresholds(thresholds: float | Sequence[float] | None, default: float) -> list[float]:
    """A list of thresholds, each checked to lie in [0, 1] (Keras's `parse_init_thresholds`)."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    invalid = [t for t in values if t is None or t < 0 or t > 1]
    if invalid:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return values


def is_evenly_distributed(thresholds: Sequence[float]) -> bool:
    """Whether `thresholds` are `i / (n - 1)` for `i = 0..n-1` (n >= 3), within epsilon."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def filter_top_k(x: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the top `k` values of the last axis of `x`; set the others to NEG_INF."""
    top_k_idx = torch.topk(x, k, dim=-1).indices
    mask = torch.zeros_like(x).scatter_(-1, top_k_idx, 1.0)
    return x * mask + NEG_INF * (1 - mask)


def update_confusion_matrix(
    accumulators: dict[str, torch.Tensor],
    y_true: torch.Tensor,
    y_pred: torch.Tensor,
    thresholds: torch.Tensor,
    *,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: torch.Tensor | None = None,
    multi_label: bool = False,
    label_weights: torch.Tensor | None = None,
    evenly_distributed: bool = False,
    thresholds_with_epsilon: bool = False,
) -> None:
    """Add this batch's weighted counts to the accumulators, in place.

    Args:
        accumulators: `{"tp"|"fp"|"tn"|"fn": tensor}`, each of shape `(num_thresholds,)`, or
            `(num_thresholds, num_labels)` when `multi_label`.
        y_true: labels (cast to bool), broadcastable to `y_pred` after rank alignment.
        y_pred: predictions in [0, 1] (or any score with `top_k`).
        thresholds: `(num_thresholds,)` tensor on the accumulators' device.
        top_k: only the `top_k` highest predictions of the last axis can be positive.
        class_id: restrict labels and predictions to this class of the last axis.
        sample_weight: per-sample (or per-entry) weights.
        multi_label: count each label (last axis) separately instead of flattening.
        label_weights: per-label weights, applied when the data is flattened.
        evenly_distributed: use the bucket algorithm (thresholds are `i / (n - 1)`).
        thresholds_with_epsilon: the first and last thresholds lie just outside [0, 1].
    """
    dtype = next(iter(accumulators.values())).dtype
    y_true, y_pred = y_true.to(dtype), y_pred.to(dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = sample_weight.to(dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {tuple(y_pred.shape)}"
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if evenly_distributed:
        _update_bucketed(
            accumulators, y_true, y_pred, thresholds.shape[0], multi_label, sample_weight,
            label_weights, thresholds_with_epsilon,
        )  # fmt: skip
    else:
        _update_dense(
            accumulators, y_true, y_pred, thresholds, multi_label, sample_weight, label_weights
        )


def _update_dense(
    accumulators: dict[str, torch.Tensor],
    y_true: torch.Tensor,
    y_pred: torch.Tensor,
    thresholds: torch.Tensor,
    multi_label: bool,
    sample_weight: torch.Tensor | None,
    label_weights: torch.Tensor | None,
) -> None:
    # Compare every prediction with every threshold: (T, N * L), or (T, N, L) per label.
    weights = None
    if sample_weight is not None:
        weights = torch.broadcast_to(sample_weight.to(y_pred.dtype), y_pred.shape)
    if label_weights is not None and not multi_label:
        label_weights = torch.broadcast_to(label_weights.unsqueeze(0), y_pred.shape)
        weights = label_weights if weights is None else weights * label_weights
    if multi_label:
        preds, labels = y_pred.unsqueeze(0), y_true.bool().unsqueeze(0)
        thresholds = thresholds.reshape(-1, *([1] * y_pred.ndim))
        weights = None if weights is None else weights.unsqueeze(0)
    else:
        preds, labels = y_pred.reshape(1, -1), y_true.bool().reshape(1, -1)
        thresholds = thresholds.reshape(-1, 1)
        weights = None if weights is None else weights.reshape(1, -1)
    pred_is_pos = preds > thresholds
    conditions = {
        "tp": lambda: labels & pred_is_pos,
        "fp": lambda: ~labels & pred_is_pos,
        "tn": lambda: ~labels & ~pred_is_pos,
        "fn": lambda: labels & ~pred_is_pos,
    }
    for kind, accumulator in accumulators.items():
        hits = conditions[kind]()
        if weights is None:
            counts = hits.to(accumulator.dtype)
        else:
            counts = torch.where(hits, weights.to(accumulator.dtype), 0.0)
        accumulator.add_(torch.sum(counts, dim=1))


def _update_bucketed(
    accumulators: dict[str, torch.Tensor],
    y_true: torch.Tensor,
    y_pred: torch.Tensor,
    num_thresholds: int,
    multi_label: bool,
    sample_weight: torch.Tensor | None,
    label_weights: torch.Tensor | None,
    thresholds_with_epsilon: bool,
) -> None:
    # Thresholds are i / (T - 1): a prediction p is above thresholds 0..b exactly, where
    # b = ceil(p * (T - 1)) - 1. Scatter each weight into bucket b (negative b: into a spare
    # bucket T that is dropped), then a reversed cumulative sum gives the count per threshold.
    sample_weights: torch.Tensor | float = 1.0
    if sample_weight is not None:
        sample_weights = torch.broadcast_to(sample_weight.to(y_pred.dtype), y_pred.shape)
        if not multi_label:
            sample_weights = sample_weights.reshape(-1)
    label_w: torch.Tensor | float = 1.0
    if label_weights is not None:
        label_w = torch.broadcast_to(label_weights.unsqueeze(0), y_pred.shape)
        if not multi_label:
            label_w = label_w.reshape(-1)
    weights = sample_weights * label_w
    y_pred = torch.clamp(y_pred, 0.0, 1.0)
    y_true = (y_true != 0).to(y_pred.dtype)
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
    true_labels = y_true * weights
    false_labels = (1.0 - y_true) * weights
    buckets = torch.ceil(y_pred * float(num_thresholds - 1)) - 1
    if thresholds_with_epsilon:
        buckets = torch.relu(buckets)
    buckets = buckets.long()
    buckets = torch.where(buckets >= 0, buckets, num_thresholds)  # spare bucket

    def reverse_cumsum_of_buckets(values: torch.Tensor) -> torch.Tensor:
        shape = (num_thresholds + 1, *values.shape[1:])
        sums = torch.zeros(shape, dtype=values.dtype, device=values.device)
        sums.scatter_add_(0, buckets, values)
        return sums[:num_thresholds].flip(0).cumsum(0).flip(0)

    counts: dict[str, torch.Tensor] = {}
    if "tp" in accumulators or "fn" in accumulators:
        counts["tp"] = reverse_cumsum_of_buckets(true_labels)
    if "fp" in accumulators or "tn" in accumulators:
        counts["fp"] = reverse_cumsum_of_buckets(false_labels)
    if "fn" in accumulators:
        counts["fn"] = torch.sum(true_labels, dim=0) - counts["tp"]
    if "tn" in accumulators:
        counts["tn"] = torch.sum(false_labels, dim=0) - counts["fp"]
    for kind, accumulator in accumulators.items():
        accumulator.add_(counts[kind].to(accumulator.dtype))
