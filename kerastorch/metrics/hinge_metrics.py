"""Hinge metrics: running means of `hinge`, `squared_hinge` and `categorical_hinge`.

Labels in {0, 1} are mapped to {-1, 1} for `Hinge` and `SquaredHinge`, as in Keras: the
metrics compute with the loss functions of `kerastorch.losses.hinge_losses`.

Example:
    >>> m = Hinge()
    >>> float(m([[0.0, 1.0]], [[-1.0, 1.0]]))
    0.0
"""

from __future__ import annotations

from typing import Any

from kerastorch.losses.hinge_losses import categorical_hinge, hinge, squared_hinge
from kerastorch.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """Mean of `max(1 - y_true * y_pred, 0)`.

    Example:
        >>> float(Hinge()([[1.0]], [[0.5]]))
        0.5
    """

    def __init__(self, name: str = "hinge", dtype: Any = None):
        super().__init__(fn=hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class SquaredHinge(MeanMetricWrapper):
    """Mean of `max(1 - y_true * y_pred, 0) ** 2`.

    Example:
        >>> float(SquaredHinge()([[1.0]], [[0.5]]))
        0.25
    """

    def __init__(self, name: str = "squared_hinge", dtype: Any = None):
        super().__init__(fn=squared_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class CategoricalHinge(MeanMetricWrapper):
    """Mean of `max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`.

    Example:
        >>> float(CategoricalHinge()([[0.0, 1.0]], [[0.5, 0.5]]))
        1.0
    """

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(fn=categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}
