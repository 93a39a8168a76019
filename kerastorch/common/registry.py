"""The registry: Keras names -> kerastorch objects, and the user's custom objects.

Two tables, both filled from above and read by the codec (`serialization.py`) without
importing any package above the ground floor (DESIGN §10):
- built-ins: each family package (`kerastorch.layers`, `kerastorch.losses`, ...) registers
  its public namespace with `register_namespace(family, ...)` when it is imported, so
  `{"module": "keras.layers", "class_name": "Dense"}` resolves to `kerastorch.layers.Dense`;
- custom objects: `register_keras_serializable(package, name)` records a class or function
  under `"package>name"`; `custom_object_scope({...})` adds names inside a `with` block.

Example:
    >>> @register_keras_serializable("my_package")
    ... def scaled_tanh(x):
    ...     return 2 * x.tanh()
    >>> get_registered_name(scaled_tanh)
    'my_package>scaled_tanh'
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

# The registry: "package>name" -> object, and object -> "package>name".
GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}

# The custom object scope is per thread, as Keras keeps it.
_STATE = threading.local()


class CustomObjectScope:
    """Make custom classes and functions visible to deserialization inside a `with` block.

    Args:
        custom_objects: dict of `{name: object}`.

    Example:
        >>> def my_act(x):
        ...     return x
        >>> with custom_object_scope({"my_act": my_act}):
        ...     get_registered_object("my_act") is my_act
        True
    """

    def __init__(self, custom_objects: dict[str, Any] | None):
        self.custom_objects = dict(custom_objects or {})
        self.backup: dict[str, Any] | None = None

    def __enter__(self) -> CustomObjectScope:
        self.backup = scope_objects().copy()
        _STATE.custom_objects = self.custom_objects.copy()
        return self

    def __exit__(self, *args: Any) -> None:
        _STATE.custom_objects = (self.backup or {}).copy()


custom_object_scope = CustomObjectScope


def scope_objects() -> dict[str, Any]:
    return getattr(_STATE, "custom_objects", None) or {}


def get_custom_objects() -> dict[str, Any]:
    """The live global dict of registered custom objects (`"package>name" -> object`)."""
    return GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable[[Any], Any]:
    """Decorator: register a class or function under `"package>name"` for (de)serialization.

    Args:
        package: the package part of the key. Defaults to `"Custom"`.
        name: the name part; defaults to the object's `__name__`.

    """

    def decorator(arg: Any) -> Any:
        registered_name = f"{package}>{name if name is not None else arg.__name__}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj: Any) -> str:
    """The name `obj` is registered under, else its `__name__`."""
    try:
        return GLOBAL_CUSTOM_NAMES[obj]
    except (KeyError, TypeError):  # TypeError: unhashable objects are never registered
        return obj.__name__


def get_registered_object(
    name: str,
    custom_objects: dict[str, Any] | None = None,
    module_objects: dict[str, Any] | None = None,
) -> Any:
    """Look `name` up in the active scope, the registry, `custom_objects`, `module_objects`.

    Returns `None` when the name is found nowhere.
    """
    scope = scope_objects()
    if name in scope:
        return scope[name]
    if name in GLOBAL_CUSTOM_OBJECTS:
        return GLOBAL_CUSTOM_OBJECTS[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


# -- built-ins -------------------------------------------------------------------------------
# family ("layers", "losses", "optimizers.schedules", ...) -> {Keras name -> object}
_BUILTINS: dict[str, dict[str, Any]] = {}

# Keras's private modules that its files name, and the family each maps to.
_KERAS_SRC_FAMILIES = (
    ("keras.src.backend.torch.optimizers", "optimizers"),
    ("keras.src.optimizers.schedules", "optimizers.schedules"),
    ("keras.src.optimizers", "optimizers"),
    ("keras.src.models", "models"),
    ("keras.src.layers", "layers"),
    ("keras.src.losses", "losses"),
    ("keras.src.metrics", "metrics"),
    ("keras.src.initializers", "initializers"),
    ("keras.src.regularizers", "regularizers"),
    ("keras.src.constraints", "constraints"),
    ("keras.src.activations", "activations"),
    ("keras.src.ops", "ops"),
    ("keras.src.utils.torch_utils", "layers"),
    ("keras.src.distillation", "distillation"),
)

# The families a model config may name: what Keras calls modeling objects.
MODELING_FAMILIES = (
    "activations",
    "constraints",
    "distillation",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "ops",
    "optimizers",
    "optimizers.schedules",
    "regularizers",
)


def register_namespace(family: str, namespace: dict[str, Any], names: list[str]) -> None:
    """Record a family package's public classes and functions under their Keras names.

    Each family package calls this once, at the end of its `__init__.py`:
    `register_namespace("losses", globals(), __all__)`.
    """
    table = _BUILTINS.setdefault(family, {})
    for name in names:
        obj = namespace[name]
        if inspect.isclass(obj) or inspect.isfunction(obj):
            table[name] = obj


def builtin_object(keras_module: str, name: str) -> Any:
    """The kerastorch object for Keras's `keras_module.name` (`"keras.layers"`, `"Dense"`).

    Keras's public modules (`keras.losses`), its private ones (`keras.src.models.functional`)
    and the top level (`keras.Sequential`) resolve; anything else is None.
    """
    if name.startswith("_"):
        return None
    for family in _families_of(keras_module):
        obj = _BUILTINS.get(family, {}).get(name)
        if obj is not None:
            return obj
    return None


def builtin_function(name: str, families: tuple[str, ...]) -> Any:
    """A plain function saved by bare name (`"relu"`, `"mse"`): the first family that has it."""
    for family in families:
        obj = _BUILTINS.get(family, {}).get(name)
        if inspect.isfunction(obj):
            return obj
    return None


def _families_of(keras_module: str) -> tuple[str, ...]:
    if keras_module == "keras":
        return ("models", "layers")
    if keras_module.startswith("keras.src"):
        for prefix, family in _KERAS_SRC_FAMILIES:
            if keras_module == prefix or keras_module.startswith(prefix + "."):
                return (family,)
        return ()
    family = keras_module.removeprefix("keras.")
    if family == "utils":  # `keras.utils.FeatureSpace`, a layer Keras files name there
        return ("utils",)
    return (family,) if family in MODELING_FAMILIES else ()
