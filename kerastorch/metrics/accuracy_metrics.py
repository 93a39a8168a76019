"""Accuracy metrics: how often predictions match labels, as Keras 3 computes them.

Each metric is the running (weighted) mean of a per-sample function that `keras.metrics`
also exports: `binary_accuracy`, `categorical_accuracy`, `sparse_categorical_accuracy`,
`top_k_categorical_accuracy`, `sparse_top_k_categorical_accuracy`.

Example:
    >>> m = CategoricalAccuracy()
    >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
    0.5
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.metrics.formulas import floatx_dtype as _floatx
from kerastorch.metrics.formulas import squeeze_or_expand_to_same_rank, to_tensor
from kerastorch.metrics.reduction_metrics import MeanMetricWrapper

# Integers that a float dtype holds exactly: all of [0, 2**bits] (its significand's width).
_EXACT_INTEGER_BITS = {torch.float16: 11, torch.bfloat16: 8, torch.float32: 24, torch.float64: 53}
_INTEGER_LABELS = frozenset({torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64})


def _tensor(x: Any) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else to_tensor(x)


def _labels_compare_as_integers(y_true: torch.Tensor, y_pred: torch.Tensor) -> bool:
    """Whether integer labels can be compared with `argmax(y_pred)` as they are.

    Keras casts the labels to `y_pred`'s float dtype and the argmax back to it. When that
    dtype holds every class index exactly, the float comparison and the integer one agree
    on every label (a label the float rounds is beyond every class index, so it matches
    none either way), and the two casts can go.
    """
    bits = _EXACT_INTEGER_BITS.get(y_pred.dtype)
    return (
        bits is not None
        and y_true.dtype in _INTEGER_LABELS
        and y_pred.ndim > 0
        and y_pred.shape[-1] <= 2**bits
    )


def accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where `y_true == y_pred`, else 0.0."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true).to(device=y_pred.device, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (y_true == y_pred).to(_floatx())


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> torch.Tensor:
    """1.0 where `y_true` equals `y_pred > threshold`, else 0.0."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true).to(y_pred.device)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = (y_pred > threshold).to(y_true.dtype)
    return (y_true == y_pred).to(_floatx())


def categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where `argmax(y_true) == argmax(y_pred)` over the last axis, else 0.0."""
    y_pred = _tensor(y_pred)
    y_true = torch.argmax(_tensor(y_true).to(y_pred.device), dim=-1)
    original_shape = y_true.shape
    reshape_matches = y_true.ndim == y_pred.ndim
    if reshape_matches:
        y_true = y_true.squeeze(-1)
    matches = (y_true == torch.argmax(y_pred, dim=-1)).to(_floatx())
    return matches.reshape(original_shape) if reshape_matches else matches


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """1.0 where the integer label `y_true` equals `argmax(y_pred)`, else 0.0."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true)
    if y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    as_integers = _labels_compare_as_integers(y_true, y_pred)
    if not as_integers:
        y_true = y_true.to(y_pred.dtype)
    original_shape = y_true.shape
    reshape_matches = y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1
    if reshape_matches:
        y_true = y_true.squeeze(-1)
    y_pred = torch.argmax(y_pred, dim=-1)
    if not as_integers:
        y_pred = y_pred.to(y_true.dtype)
    matches = (y_true == y_pred).to(_floatx())
    if reshape_matches:
        matches = matches.reshape(original_shape)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return matches


def _in_top_k(targets: torch.Tensor, predictions: torch.Tensor, k: int) -> torch.Tensor:
    # A target is "in the top k" when its score reaches the k-th largest (ties count).
    kth_largest = torch.topk(predictions, k, dim=-1).values
    target_score = torch.take_along_dim(predictions, targets.long()[:, None], dim=-1)
    return torch.any(target_score >= kth_largest, dim=-1)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> torch.Tensor:
    """1.0 where `argmax(y_true)` is among the `k` highest scores of `y_pred`, else 0.0."""
    y_pred = _tensor(y_pred)
    y_true = torch.argmax(_tensor(y_true).to(y_pred.device), dim=-1)
    original_shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    reshape_matches = y_true.ndim > 1
    if reshape_matches:
        y_true = y_true.reshape(-1)
    matches = _in_top_k(y_true, y_pred, k).to(_floatx())
    return matches.reshape(original_shape) if reshape_matches else matches


def sparse_top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False
) -> torch.Tensor:
    """1.0 where the integer label `y_true` is among the top `k` predictions, else 0.0.

    With `from_sorted_ids=True`, `y_pred` holds category ids sorted by decreasing score.
    """
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true).to(
        device=y_pred.device, dtype=y_pred.dtype if from_sorted_ids else torch.int32
    )
    original_shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    reshape_matches = y_true.ndim > 1
    if reshape_matches:
        y_true = y_true.reshape(-1)
    if from_sorted_ids:
        matches = torch.any(y_true.unsqueeze(1) == y_pred[:, :k], dim=1)
    else:
        matches = _in_top_k(y_true, y_pred, k)
    matches = matches.to(_floatx())
    return matches.reshape(original_shape) if reshape_matches else matches


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = Accuracy()
        >>> float(m([[1], [2], [3], [4]], [[0], [2], [3], [4]]))
        0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often predictions match binary labels (`y_pred > threshold` counts as 1).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.
        threshold: the decision threshold on `y_pred`. Defaults to 0.5.

    Example:
        >>> m = BinaryAccuracy()
        >>> float(m([[1], [1], [0], [0]], [[0.98], [1.0], [0.0], [0.6]]))
        0.75
    """

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often `argmax(y_pred)` matches one-hot labels (logits work too).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = CategoricalAccuracy()
        >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
        0.5
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often `argmax(y_pred)` matches integer labels.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> float(m([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]))
        0.5
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is among the `k` highest predictions.

    Args:
        k: number of top predictions to look at. Defaults to 5.
        name: name of the metric instance.
        dtype: dtype of the metric result.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
        0.5
    """

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the `k` highest predictions.

    Args:
        k: number of top predictions to look at. Defaults to 5.
        name: name of the metric instance.
        dtype: dtype of the metric result.
        from_sorted_ids: whether `y_pred` holds category ids sorted by decreasing score
            instead of scores for all categories.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> float(m([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
        0.5
    """

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self) -> dict[str, Any]:
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
