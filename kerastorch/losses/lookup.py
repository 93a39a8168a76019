"""Loss lookup: `get`, `serialize` and `deserialize`, over the table of Keras loss names.

`ALL_OBJECTS_DICT` maps Keras names (and tf.keras 2.x aliases such as `"mse"`) to the loss
classes and functions. `kerastorch/losses/__init__.py` fills it once every loss module is
imported, so that `LossFunctionWrapper`, which the loss classes build on, can deserialize
its function without importing them.

Example:
    >>> import kerastorch as keras
    >>> keras.losses.get("mse") is keras.losses.mean_squared_error
    True
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from typing import Any

from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.losses.loss import Loss

# Name -> class or function, as Keras's `ALL_OBJECTS_DICT`, plus tf.keras 2.x names.
ALL_OBJECTS_DICT: dict[str, Any] = {}


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
        >>> from kerastorch.losses import MeanSquaredError
        >>> serialize(MeanSquaredError())["class_name"]
        'MeanSquaredError'
    """
    config = serialize_keras_object(loss)
    # `LossFunctionWrapper` itself (not a subclass) is written with its registered name.
    registered_name = vars(type(loss)).get("_keras_registered_name")
    if registered_name is not None:
        config["registered_name"] = registered_name
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
