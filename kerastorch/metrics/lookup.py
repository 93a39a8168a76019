"""Metric lookup: `get`, `serialize`, `deserialize`, and the compile step's resolution rule.

`get("mse")`, `get("AUC")`, `get({"class_name": "AUC", "config": {...}})` return metric
instances, with Keras 3's names and aliases. `resolve_metric` is what `compile(metrics=...)`
does with each entry: `"accuracy"` / `"acc"` become `BinaryAccuracy`,
`SparseCategoricalAccuracy` or `CategoricalAccuracy` from the shapes of the labels and the
predictions (Keras 3 looks at the shapes only, never at the loss), functions are wrapped in
`MeanMetricWrapper`, and the metric is named after the identifier.

Example:
    >>> type(get("mse")).__name__
    'MeanSquaredError'
    >>> m = resolve_metric("acc", y_true_shape=(None, 1), y_pred_shape=(None, 10))
    >>> type(m).__name__, m.name
    ('SparseCategoricalAccuracy', 'acc')
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from kerastorch.common.naming import to_snake_case
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
)
from kerastorch.metrics.auc import AUC
from kerastorch.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from kerastorch.metrics.correlation_metrics import ConcordanceCorrelation, PearsonCorrelation
from kerastorch.metrics.f_score_metrics import F1Score, FBetaScore
from kerastorch.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from kerastorch.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from kerastorch.metrics.metric import Metric
from kerastorch.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from kerastorch.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from kerastorch.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
)
from kerastorch.metrics.sensitivity_specificity_metrics import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)

ALL_OBJECTS: tuple[type[Metric], ...] = (
    # Base
    Metric, Mean, Sum, MeanMetricWrapper,
    # Regression
    MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, R2Score,
    # Classification
    AUC, FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall,
    RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives,
    TruePositives,
    # Correlation
    ConcordanceCorrelation, PearsonCorrelation,
    # Hinge
    Hinge, SquaredHinge, CategoricalHinge,
    # Probabilistic
    KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    # Accuracy
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    # F-score
    F1Score, FBetaScore,
    # IoU
    IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU,
)  # fmt: skip

ALL_OBJECTS_DICT: dict[str, type[Metric]] = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
        "acc": Accuracy,  # tf.keras 2 spelling; Keras 3 only resolves it in compile()
    }
)


def serialize(metric: Metric | Callable[..., Any] | None) -> Any:
    """The Keras 3 serialization of a metric instance or metric function.

    Example:
        >>> from kerastorch.metrics import binary_accuracy
        >>> serialize(binary_accuracy)["config"]
        'binary_accuracy'
    """
    return serialize_keras_object(metric)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """A metric instance (or function) from `serialize`'s output (or real Keras's), a name,
    or a `{"class_name": ..., "config": ...}` dict (tf.keras's format works too)."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        # By name through the built-in families, as Keras does (its table maps
        # "binary_accuracy" to the class, which cannot load a function's config).
        return deserialize_keras_object(config, custom_objects=custom_objects)
    return deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


def get(identifier: Any) -> Metric | Callable[..., Any] | None:
    """A metric instance or function from a name, a config dict, a class or a callable.

    Example:
        >>> get("AUC").get_config()["num_thresholds"]
        200
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret metric identifier: {identifier}")


# -- compile-time resolution ------------------------------------------------------------------

Shape = Sequence[int | None]


def is_binary_or_sparse_categorical(y_true_shape: Shape, y_pred_shape: Shape) -> tuple[bool, bool]:
    """Keras 3's rule: binary when predictions have one column; sparse categorical when the
    labels have a lower rank than the predictions, or one column against several."""
    is_binary = y_pred_shape[-1] == 1
    is_sparse_categorical = len(y_true_shape) < len(y_pred_shape) or (
        y_true_shape[-1] == 1 and y_pred_shape[-1] > 1
    )
    return is_binary, is_sparse_categorical


def get_accuracy_metric(y_true_shape: Shape, y_pred_shape: Shape, name: str = "accuracy") -> Metric:
    """The metric `"accuracy"` stands for, given the label and prediction shapes.

    `(None, 1)` predictions -> `BinaryAccuracy`; integer labels (`(None,)` or `(None, 1)`
    against `(None, k)`) -> `SparseCategoricalAccuracy`; otherwise `CategoricalAccuracy`.
    The loss plays no part (it did in tf.keras 2; Keras 3 dropped that).

    Example:
        >>> type(get_accuracy_metric((None, 10), (None, 10))).__name__
        'CategoricalAccuracy'
    """
    y_pred_shape = tuple(y_pred_shape) or (1,)
    y_true_shape = tuple(y_true_shape) or (1,)
    is_binary, is_sparse_categorical = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
    if is_binary:
        return BinaryAccuracy(name=name)
    if is_sparse_categorical:
        return SparseCategoricalAccuracy(name=name)
    return CategoricalAccuracy(name=name)


def _object_name(obj: Any) -> str:
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(type(obj).__name__)


def resolve_metric(identifier: Any, y_true_shape: Shape, y_pred_shape: Shape) -> Metric:
    """What `compile(metrics=[...])` makes of one entry (Keras 3's `get_metric`).

    Args:
        identifier: a name (`"accuracy"`, `"mse"`, `"AUC"`, ...), a config dict, a `Metric`
            (class or instance) or a function `fn(y_true, y_pred)`.
        y_true_shape: shape of the labels of that output (batch axis may be None).
        y_pred_shape: shape of the predictions of that output.

    Returns:
        A `Metric` named after a string identifier, else after the object.
    """
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() in ("accuracy", "acc"):
        metric = get_accuracy_metric(y_true_shape, y_pred_shape, name=str(identifier))
    else:
        metric = get(identifier)
    metric_name = identifier if isinstance(identifier, str) else _object_name(metric)
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    metric.name = metric_name
    return metric
