"""Keras 3's object serialization: configs as plain dicts, readable by real Keras.

`serialize_keras_object(obj)` turns an object into Keras 3's config format and
`deserialize_keras_object(config)` turns it back, so configs (and `.keras` files) move both
ways between kerastorch and Keras:

    {"module": "keras.initializers", "class_name": "GlorotUniform",
     "config": {"seed": None, "input_axes": None, "output_axes": None},
     "registered_name": None}

A kerastorch class names the Keras module it is exported under with a class attribute,
`_keras_module` (`"keras.layers"`, `"keras.losses"`, `"keras"`, ...), usually set once on its
family's base class; its instances serialize with that module, the class's Keras name and
`registered_name: None`, as Keras writes its built-ins (a class Keras keeps in a private
module, such as ConvNeXt's `LayerScale`, names itself in `_keras_private_name`). A user's
subclass serializes as a custom object (its Python module and registered name). On the way
back, built-ins are found in the ground-floor registry (`registry.builtin_object`), which each
family package fills when it is imported, so this module never imports a package above it.
Plain functions (activations, loss functions) serialize by name, `{"module": "builtins",
"class_name": "function", "config": "relu", ...}`. Custom objects come from
`register_keras_serializable` and `custom_object_scope` (`registry.py`); serialized lambdas
load only outside safe mode (`safe_mode.py`).

Example:
    >>> from kerastorch import initializers
    >>> config = serialize_keras_object(initializers.Ones())
    >>> config
    {'module': 'keras.initializers', 'class_name': 'Ones', 'config': {}, 'registered_name': None}
    >>> type(deserialize_keras_object(config)).__name__
    'Ones'
"""

from __future__ import annotations

import threading
import types
from typing import Any

import numpy as np
import torch

from kerastorch.common import registry
from kerastorch.common.dtypes import standardize_dtype
from kerastorch.common.registry import (
    GLOBAL_CUSTOM_OBJECTS,
    CustomObjectScope,
    get_registered_name,
    get_registered_object,
    scope_objects,
)
from kerastorch.common.safe_mode import (
    NON_MODELING_APIS,
    SafeModeScope,
    deserialize_lambda,
    in_safe_mode,
    serialize_lambda,
)

PLAIN_TYPES = (str, int, float, bool)

# The families whose plain functions are saved by bare name (`"relu"`, `"mse"`), as in Keras.
BUILTIN_FAMILIES = (
    "activations",
    "losses",
    "metrics",
    "initializers",
    "regularizers",
    "constraints",
    "optimizers",
)

# Returned by helpers that leave a config to the general path.
_UNRESOLVED = object()

# Per-thread state, as Keras keeps it: custom object scope, safe mode, shared objects.
_STATE = threading.local()


# -- shared objects ------------------------------------------------------------
class ObjectSharingScope:
    """Within this scope, an object serialized twice gets a `shared_object_id` in both
    configs, and deserializing such configs returns one shared object (shared layers)."""

    def __enter__(self) -> None:
        _STATE.id_to_obj, _STATE.id_to_config = {}, {}

    def __exit__(self, *args: Any) -> None:
        _STATE.id_to_obj, _STATE.id_to_config = None, None


def _record_after_serialization(obj: Any, config: dict[str, Any]) -> None:
    if config["module"] == "__main__":
        config["module"] = None  # as Keras: no importable module
    id_to_config = getattr(_STATE, "id_to_config", None)
    if id_to_config is None:
        return
    obj_id = id(obj)
    if obj_id not in id_to_config:
        id_to_config[obj_id] = config
    else:
        config["shared_object_id"] = obj_id
        id_to_config[obj_id]["shared_object_id"] = obj_id


# -- serialization -----------------------------------------------------------------------------
def serialize_keras_object(obj: Any) -> Any:
    """The Keras 3 config of `obj`: plain values as they are, objects as config dicts.

    Args:
        obj: a plain value, a (nested) list/tuple/dict, a NumPy array or torch tensor, a
            function, or an object with `get_config()`.

    Returns:
        A JSON-compatible structure that `deserialize_keras_object` turns back into `obj`.

    Example:
        >>> from kerastorch import activations
        >>> serialize_keras_object(activations.relu)["config"]
        'relu'
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {
                "start": serialize_keras_object(obj.start),
                "stop": serialize_keras_object(obj.stop),
                "step": serialize_keras_object(obj.step),
            },
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, torch.Tensor):
        return {
            "class_name": "__tensor__",
            "config": {
                "value": obj.detach().cpu().numpy().tolist(),
                "dtype": standardize_dtype(obj.dtype),
            },
        }
    if type(obj).__module__ == np.__name__:
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {
                "class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name},
            }
        return obj.item()  # NumPy scalars are plain values
    if isinstance(obj, torch.dtype):
        return standardize_dtype(obj)
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        return serialize_lambda(obj)

    cls = type(obj)
    config = {
        "module": cls.__module__,
        "class_name": cls.__name__,
        "config": _get_class_or_fn_config(obj),
        "registered_name": get_registered_name(cls),
    }
    public_module = _keras_module_of(cls)
    if public_module is not None:
        # Classes Keras keeps in a private module (ConvNeXt's `LayerScale`) carry their name.
        config["module"] = public_module
        config["registered_name"] = getattr(cls, "_keras_private_name", None)
        config["class_name"] = getattr(obj, "_keras_class_name", None) or cls.__name__
    _add_build_and_compile_config(obj, config)
    _record_after_serialization(obj, config)
    return config


def serialize_dict(obj: dict[Any, Any]) -> dict[Any, Any]:
    """Serialize every value of a dict."""
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _keras_module_of(cls: type) -> str | None:
    """The Keras module a kerastorch class is exported under (`_keras_module`), else None."""
    module = getattr(cls, "_keras_module", None)
    if module is None or not _is_kerastorch(cls):
        return None
    return module


def _is_kerastorch(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == "kerastorch" or module.startswith("kerastorch.")


def _get_class_or_fn_config(obj: Any) -> Any:
    if isinstance(obj, types.FunctionType):
        return get_registered_name(obj)
    if hasattr(obj, "get_config"):
        config = obj.get_config()
        if not isinstance(config, dict):
            raise TypeError(
                f"The `get_config()` method of {obj} should return a dict. It returned: {config}"
            )
        return serialize_dict(config)
    if hasattr(obj, "__name__"):
        return get_registered_name(obj)
    raise TypeError(
        f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, a class must "
        "implement the `get_config()` method."
    )


def _add_build_and_compile_config(obj: Any, config: dict[str, Any]) -> None:
    if hasattr(obj, "get_build_config"):
        build_config = obj.get_build_config()
        if build_config is not None:
            config["build_config"] = serialize_dict(build_config)
    if hasattr(obj, "get_compile_config"):
        compile_config = obj.get_compile_config()
        if compile_config is not None:
            config["compile_config"] = serialize_dict(compile_config)


# -- deserialization ---------------------------------------------------------------------------
def deserialize_keras_object(
    config: Any,
    custom_objects: dict[str, Any] | None = None,
    safe_mode: bool | None = None,
    **kwargs: Any,
) -> Any:
    """Rebuild the object that `config` (Keras 3's format) describes.

    Args:
        config: the output of `serialize_keras_object` (or of real Keras's).
        custom_objects: `{name: class_or_function}` for objects that are neither built in
            nor registered.
        safe_mode: refuse to load serialized lambdas (arbitrary code). `None` (default):
            the enclosing load's `safe_mode` (`SafeModeScope`), else `True`. An explicit
            value wins over any scope.
        **kwargs: `module_objects`, the `{name: object}` dict of a family, used by the
            families' `deserialize` functions so that bare names (`"glorot_uniform"`) resolve.

    Returns:
        The object, or `config` itself where it is a plain value.

    Example:
        >>> deserialize_keras_object(
        ...     {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.1},
        ...      "registered_name": None}).l2
        0.1
    """
    if safe_mode is None:  # not given: the enclosing load's choice, else safe
        safe_mode = in_safe_mode() is not False
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise TypeError(
            f"deserialize_keras_object() got unexpected keyword arguments: {sorted(kwargs)}"
        )
    custom_objects = {**(custom_objects or {}), **scope_objects(), **GLOBAL_CUSTOM_OBJECTS}

    if config is None:
        return None
    if isinstance(config, str) and custom_objects.get(config) is not None:
        return custom_objects[config]  # functions saved by bare name
    if isinstance(config, (list, tuple)):
        return [
            deserialize_keras_object(x, custom_objects=custom_objects, safe_mode=safe_mode)
            for x in config
        ]
    if module_objects is not None:
        resolved = _resolve_with_module_objects(config, custom_objects, module_objects, safe_mode)
        if resolved is not _UNRESOLVED:
            return resolved
    if isinstance(config, PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {
            key: deserialize_keras_object(value, custom_objects=custom_objects, safe_mode=safe_mode)
            for key, value in config.items()
        }

    class_name = config["class_name"]
    inner_config = config["config"] if config["config"] is not None else {}
    special = _deserialize_special(class_name, inner_config, custom_objects, safe_mode)
    if special is not _UNRESOLVED:
        return special

    module = config.get("module", None)
    registered_name = config.get("registered_name", class_name)
    if class_name == "function":
        if not isinstance(inner_config, str):
            raise TypeError(
                "Expected 'config' to be a non-null str for a function classname,\n"
                f"instead got {type(inner_config)}\nFull config: {config}"
            )
        return _retrieve_class_or_fn(
            inner_config, registered_name, module, "function", config, custom_objects
        )
    if not isinstance(inner_config, dict):
        raise TypeError(
            f"Expected 'config' to be a dict for {class_name},\n"
            f"instead got {type(inner_config)}\nFull config: {config}"
        )
    if "shared_object_id" in config:
        shared = (getattr(_STATE, "id_to_obj", None) or {}).get(config["shared_object_id"])
        if shared is not None:
            return shared

    cls = _retrieve_class_or_fn(
        class_name, registered_name, module, "class", config, custom_objects
    )
    if isinstance(cls, types.FunctionType):
        return cls
    return _instantiate(cls, config, custom_objects, safe_mode)


def _instantiate(
    cls: Any, config: dict[str, Any], custom_objects: dict[str, Any], safe_mode: bool
) -> Any:
    """`cls.from_config(config["config"])`, then build and compile it as the config says."""
    if not hasattr(cls, "from_config"):
        raise TypeError(
            f"Unable to reconstruct an instance of '{config['class_name']}' because the class "
            f"is missing a `from_config()` method. Full object config: {config}"
        )
    inner_config = config.get("config") or {}
    # Nested objects in the config resolve against the same custom objects and safe mode.
    with CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
        try:
            instance = cls.from_config(inner_config)
        except TypeError as e:
            raise TypeError(
                f"{cls} could not be deserialized properly. Please ensure that components that "
                "are Python object instances (layers, models, etc.) returned by `get_config()` "
                "are explicitly deserialized in the model's `from_config()` method."
                f"\n\nconfig={config}.\n\nException encountered: {e}"
            ) from e
        build_config = config.get("build_config")
        if build_config and not instance.built:
            instance.build_from_config(build_config)
            instance.built = True
        compile_config = config.get("compile_config")
        if compile_config:
            instance.compile_from_config(compile_config)
            instance.compiled = True
    if "shared_object_id" in config:
        id_to_obj = getattr(_STATE, "id_to_obj", None)
        if id_to_obj is not None:
            id_to_obj[config["shared_object_id"]] = instance
    return instance


def _resolve_with_module_objects(
    config: Any, custom_objects: dict[str, Any], module_objects: dict[str, Any], safe_mode: bool
) -> Any:
    """A family's `deserialize`: bare names and short dicts resolve through `module_objects`.

    Returns `_UNRESOLVED` to hand a (custom object) config to the general path.
    """
    inner_config, fn_module_name = None, None
    if isinstance(config, dict):
        if "config" in config:
            inner_config = config["config"]
        if "class_name" not in config:
            raise ValueError(f"Unknown `config` as a `dict`, config={config}")
        if (
            config["class_name"] in custom_objects
            or config.get("registered_name") in custom_objects
            or (isinstance(inner_config, str) and inner_config in custom_objects)
        ):
            return _UNRESOLVED
        if config["class_name"] == "function":
            fn_module_name = config["module"]
            key = config["config"] if fn_module_name == "builtins" else config["registered_name"]
        else:
            if config.get("module", "_") is None:
                raise TypeError(
                    f"Cannot deserialize object of type `{config['class_name']}`. If "
                    f"`{config['class_name']}` is a custom class, please register it using the "
                    "`@keras.saving.register_keras_serializable()` decorator."
                )
            key = config["class_name"]
    else:
        key = config
    if not isinstance(key, str) or key not in module_objects:
        return key  # unknown: the family's `get` turns this into its error
    obj = module_objects[key]
    if isinstance(obj, types.FunctionType):
        return obj
    full_config = {"class_name": obj.__name__, "config": inner_config or {}}
    return _instantiate(obj, full_config, custom_objects, safe_mode)


def _deserialize_special(
    class_name: str, inner_config: Any, custom_objects: dict[str, Any], safe_mode: bool
) -> Any:
    if class_name == "__tensor__":
        return torch.tensor(inner_config["value"], dtype=getattr(torch, inner_config["dtype"]))
    if class_name == "__numpy__":
        return np.array(inner_config["value"], dtype=inner_config["dtype"])
    if class_name == "__bytes__":
        return inner_config["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(
            *(
                deserialize_keras_object(
                    inner_config[k], custom_objects=custom_objects, safe_mode=safe_mode
                )
                for k in ("start", "stop", "step")
            )
        )
    if class_name == "__lambda__":
        return deserialize_lambda(inner_config, safe_mode)
    if class_name == "__keras_tensor__":
        raise TypeError(
            "Deserializing a symbolic `__keras_tensor__` outside a functional model config is "
            f"not supported. Received: config={inner_config}"
        )
    return _UNRESOLVED


def _retrieve_class_or_fn(
    name: str,
    registered_name: str | None,
    module: str | None,
    obj_type: str,
    full_config: dict[str, Any],
    custom_objects: dict[str, Any],
) -> Any:
    # 1. A registered or user-given object takes precedence.
    key = name if obj_type == "function" else registered_name
    custom_obj = get_registered_object(key, custom_objects=custom_objects)
    if custom_obj is not None:
        return custom_obj

    if module:
        # 2. A Keras built-in: "keras.<family>.<Name>" is kerastorch.<family>.<Name>.
        if module == "keras" or module.startswith("keras."):
            api_name = f"{module}.{name}"
            if api_name in NON_MODELING_APIS:
                raise ValueError(
                    f"Cannot deserialize `{api_name}` because it is not a modeling function. "
                    "Non-modeling APIs are disallowed during deserialization for security. "
                    "Model configuration should only contains operations, layers, metrics, "
                    "losses, or registered custom objects and functions."
                )
            obj = registry.builtin_object(module, name)
            if obj is not None:
                _assert_no_registered_name_for_builtin(full_config, name, api_name)
                return obj
        # 3. A plain built-in function saved by name ("relu", "mse").
        if obj_type == "function" and module == "builtins":
            obj = registry.builtin_function(name, BUILTIN_FAMILIES)
            if obj is not None:
                _assert_no_registered_name_for_builtin(full_config, name, name)
                return obj
            # Keras <= 3.6 saved registered functions by bare name instead of "package>name".
            if ">" not in name:
                for custom_name, custom_object in custom_objects.items():
                    if custom_name.endswith(f">{name}"):
                        return custom_object
    raise TypeError(
        f"Could not locate {obj_type} '{name}'. Make sure custom classes and functions are "
        "decorated with `@keras.saving.register_keras_serializable()`. If they are already "
        "decorated, make sure they are all imported so that the decorator is run before trying "
        f"to load them. Full object config: {full_config}"
    )


def _assert_no_registered_name_for_builtin(
    full_config: dict[str, Any], name: str, resolved_name: str
) -> None:
    explicit = full_config.get("registered_name")
    if not explicit or explicit in (name, full_config.get("class_name")):
        return
    raise ValueError(
        f"`registered_name={explicit!r}` was provided in the config, but '{resolved_name}' "
        "resolved to a Keras built-in and does not use registered names. Remove the "
        f"`registered_name` field from the config. Full object config: {full_config}"
    )
