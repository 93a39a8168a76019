"""Losses: Keras 3's `keras.losses`, as classes, functions and strings.

`get(identifier)` resolves what `Model.compile(loss=...)` accepts: a name (`"mse"`,
`"binary_crossentropy"`, `"CategoricalCrossentropy"`), a config dict, a class, an instance
or a function. `serialize` / `deserialize` use Keras's dict format, so configs move both ways
between Keras 3 and kerastorch. tf.keras 2.x names (`mse`, `MAE`, `kld`, `logcosh`,
`kullback_leibler_divergence`, `Reduction`) work too.

Example:
    >>> import kerastorch as keras
    >>> keras.losses.get("mse") is keras.losses.mean_squared_error
    True
    >>> keras.losses.get("CategoricalCrossentropy").get_config()["from_logits"]
    False
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from typing import Any

from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.losses.loss import Loss
from kerastorch.losses.losses import (
    CTC,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    CategoricalHinge,
    Circle,
    CosineSimilarity,
    Dice,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    Tversky,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    categorical_hinge,
    circle,
    cosine_similarity,
    ctc,
    dice,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
    tversky,
)

# tf.keras 2.x / `keras._legacy` spellings.
MAE = mae = mean_absolute_error
MAPE = mape = mean_absolute_percentage_error
MSE = mse = mean_squared_error
MSLE = msle = mean_squared_logarithmic_error
KLD = kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


class Reduction:
    """tf.keras 2.x reduction names (`Reduction.NONE`, ...), accepted by every `Loss`."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple[str, ...]:
        """The four reduction names."""
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)


_CLASSES = (
    Loss,
    LossFunctionWrapper,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    SparseCategoricalCrossentropy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    Dice,
    Tversky,
    Circle,
    CTC,
    CategoricalGeneralizedCrossEntropy,
)
_FUNCTIONS = (
    kl_divergence,
    poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    log_cosh,
    huber,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    circle,
    ctc,
    categorical_generalized_cross_entropy,
)
# Name -> class or function, as Keras's `ALL_OBJECTS_DICT`, plus tf.keras 2.x names.
ALL_OBJECTS_DICT: dict[str, Any] = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS_DICT.update(
    {
        "bce": binary_crossentropy,
        "BCE": binary_crossentropy,
        "kld": kl_divergence,
        "KLD": kl_divergence,
        "mae": mean_absolute_error,
        "MAE": mean_absolute_error,
        "mse": mean_squared_error,
        "MSE": mean_squared_error,
        "mape": mean_absolute_percentage_error,
        "MAPE": mean_absolute_percentage_error,
        "msle": mean_squared_logarithmic_error,
        "MSLE": mean_squared_logarithmic_error,
        "kullback_leibler_divergence": kl_divergence,
        "logcosh": log_cosh,
    }
)


def serialize(loss: Loss | Callable[..., Any] | str | None) -> dict[str, Any] | str | None:
    """Keras's dict for a loss: `{"module", "class_name", "config", "registered_name"}`.

    Args:
        loss: A `Loss` instance, a loss function, a name (returned as is) or `None`.

    Returns:
        For built-in `Loss` instances `{"module": "keras.losses", "class_name": ...,
        "config": get_config(), "registered_name": None}`; for functions `{"module":
        "builtins", "class_name": "function", "config": <name>, "registered_name":
        "function"}`; user classes carry their Python module and registered name.

    Example:
        >>> serialize(MeanSquaredError())["class_name"]
        'MeanSquaredError'
    """
    config = serialize_keras_object(loss)
    if type(loss) is LossFunctionWrapper:  # Keras writes this one with its registered name
        config["registered_name"] = "LossFunctionWrapper"
    return config


def deserialize(
    config: dict[str, Any] | str | None, custom_objects: dict[str, Any] | None = None
) -> Loss | Callable[..., Any] | None:
    """A loss from `serialize`'s output (or real Keras's), a short config dict or a name.

    Args:
        config: A dict (`{"class_name": ..., "config": ...}`; `"module"` and
            `"registered_name"` may be left out for built-ins) or a name.
        custom_objects: Extra names (classes or functions) to look up first.

    Returns:
        A `Loss` instance (for a class) or a loss function.

    Example:
        >>> deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).delta
        2.0
    """
    obj = deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )
    if isinstance(obj, str) or not (obj is None or callable(obj)):  # unknown: unresolved
        hint = _hint(obj) if isinstance(obj, str) else ""
        raise ValueError(f"Could not interpret loss identifier: {config!r}.{hint}")
    return obj() if inspect.isclass(obj) else obj


def _hint(name: str) -> str:
    close = difflib.get_close_matches(name, list(ALL_OBJECTS_DICT), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def get(identifier: Any) -> Loss | Callable[..., Any] | None:
    """Resolve a loss identifier as `compile(loss=...)` does.

    Args:
        identifier: `None`, a name (`"mse"`, `"categorical_crossentropy"`,
            `"BinaryCrossentropy"`), a config dict, a `Loss` class (instantiated with its
            defaults), a `Loss` instance or a function.

    Returns:
        A `Loss` instance or a loss function (names of functions give the function, as in
        Keras: `get("mse") is mean_squared_error`).

    Example:
        >>> type(get("BinaryCrossentropy")).__name__
        'BinaryCrossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            raise ValueError(
                f"Could not interpret loss identifier: {identifier!r}.{_hint(identifier)}"
            )
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CTC",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Circle",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLD",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "Reduction",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "ctc",
    "deserialize",
    "dice",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "kld",
    "kullback_leibler_divergence",
    "log_cosh",
    "logcosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "tversky",
]
