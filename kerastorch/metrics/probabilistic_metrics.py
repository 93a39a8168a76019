"""Probabilistic metrics: running means of KL divergence, Poisson and crossentropies.

Example:
    >>> m = BinaryCrossentropy()
    >>> round(float(m([[0.0, 1.0]], [[0.5, 0.5]])), 4)
    0.6931
"""

from __future__ import annotations

from typing import Any

from kerastorch.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from kerastorch.metrics.reduction_metrics import MeanMetricWrapper


class KLDivergence(MeanMetricWrapper):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`, averaged.

    Example:
        >>> m = KLDivergence()
        >>> float(m([[1.0, 0.0]], [[1.0, 0.0]]))
        0.0
    """

    def __init__(self, name: str = "kl_divergence", dtype: Any = None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class Poisson(MeanMetricWrapper):
    """Poisson deviance `y_pred - y_true * log(y_pred)`, averaged.

    Example:
        >>> m = Poisson()
        >>> float(m([[0.0, 0.0]], [[1.0, 1.0]]))
        1.0
    """

    def __init__(self, name: str = "poisson", dtype: Any = None):
        super().__init__(fn=poisson, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class BinaryCrossentropy(MeanMetricWrapper):
    """Binary crossentropy between labels and predicted probabilities (or logits).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: squeeze labels towards 0.5 by this amount.

    Example:
        >>> m = BinaryCrossentropy(from_logits=True)
        >>> round(float(m([[1.0]], [[0.0]])), 4)
        0.6931
    """

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


class CategoricalCrossentropy(MeanMetricWrapper):
    """Crossentropy between one-hot labels and predicted probabilities (or logits).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: mix labels with the uniform distribution by this amount.
        axis: the class axis.

    Example:
        >>> m = CategoricalCrossentropy()
        >>> round(float(m([[0, 1]], [[0.5, 0.5]])), 4)
        0.6931
    """

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Crossentropy between integer labels and predicted probabilities (or logits).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric result.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: a label whose entries get a loss of 0 (they still count in the mean
            unless `sample_weight` is given, as in Keras).
        axis: the class axis.

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> round(float(m([1], [[0.5, 0.5]])), 4)
        0.6931
    """

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }
