"""tf.keras 2's object serialization: `{"class_name": ..., "config": ...}` without modules.

`keras.legacy.saving.serialize_keras_object` / `deserialize_keras_object` (also
`keras.utils.legacy`) read and write the configs of tf.keras 2 (and of Keras 3's legacy
`.h5` writer): nested objects are serialized the same way and marked
`"__passive_serialization__"`, functions are saved by their registered name. Unlike Keras 3's
`keras.saving.deserialize_keras_object`, built-in classes are found only through
`module_objects` (or custom objects), as in Keras.

Example:
    >>> from kerastorch import initializers
    >>> config = serialize_keras_object(initializers.Constant(2.0))
    >>> config
    {'class_name': 'Constant', 'config': {'value': 2.0}}
    >>> deserialize_keras_object(config, module_objects=vars(initializers)).value
    2.0
"""

from __future__ import annotations

import inspect
from typing import Any

from kerastorch.common import registry

__all__ = ["deserialize_keras_object", "serialize_keras_object"]


def serialize_keras_object(instance: Any) -> Any:
    """The legacy config of `instance` (a dict), or the registered name of a function.

    Raises:
        ValueError: when `instance` has neither `get_config` nor a `__name__`.
    """
    instance = inspect.unwrap(instance)
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        config = {}
        for key, item in instance.get_config().items():
            if isinstance(item, str):
                config[key] = item
                continue
            try:
                serialized = serialize_keras_object(item)
            except ValueError:
                config[key] = item
                continue
            if isinstance(serialized, dict) and not isinstance(item, dict):
                serialized["__passive_serialization__"] = True
            config[key] = serialized
        return {"class_name": registry.get_registered_name(type(instance)), "config": config}
    if hasattr(instance, "__name__"):
        return registry.get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance} because it doesn't implement `get_config()`.")


def deserialize_keras_object(
    identifier: Any,
    module_objects: dict[str, Any] | None = None,
    custom_objects: dict[str, Any] | None = None,
    printable_module_name: str = "object",
) -> Any:
    """The object a legacy config (a dict, or a class or function name) describes.

    Names are looked up in the custom object scope, the registered custom objects,
    `custom_objects` and `module_objects`; a class named by a bare string is instantiated
    without arguments, a function is returned as it is.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        cls, cls_config = _class_and_config(
            identifier, module_objects, custom_objects, printable_module_name
        )
        custom_objects = custom_objects or {}
        if not hasattr(cls, "from_config"):  # a function making the object from kwargs
            with registry.CustomObjectScope(custom_objects):
                return cls(**cls_config)
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            merged = {**registry.GLOBAL_CUSTOM_OBJECTS, **custom_objects}
            return cls.from_config(cls_config, custom_objects=merged)
        with registry.CustomObjectScope(custom_objects):
            return cls.from_config(cls_config)
    if isinstance(identifier, str):
        obj = registry.get_registered_object(identifier, custom_objects, module_objects)
        if obj is None:
            raise ValueError(_unknown(printable_module_name, identifier))
        return obj() if inspect.isclass(obj) else obj
    if inspect.isfunction(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")


def _class_and_config(
    config: Any, module_objects: Any, custom_objects: Any, printable_module_name: str
) -> tuple[Any, Any]:
    """The class a legacy config names, and its config with nested objects deserialized."""
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(
            f"Improper config format for {config}. Expecting python dict contains `class_name` "
            "and `config` as keys"
        )
    class_name = config["class_name"]
    cls = registry.get_registered_object(class_name, custom_objects, module_objects)
    if cls is None:
        raise ValueError(_unknown(printable_module_name, class_name))
    cls_config = config["config"]
    if isinstance(cls_config, list):  # a Sequential of tf.keras <= 2.0: a list of layers
        return cls, cls_config
    cls_config = dict(cls_config)
    for key, item in cls_config.items():
        if key == "name":
            continue
        if isinstance(item, dict) and "__passive_serialization__" in item:
            cls_config[key] = deserialize_keras_object(
                item, module_objects, custom_objects, printable_module_name="config_item"
            )
        elif isinstance(item, str):
            found = registry.get_registered_object(item, custom_objects, module_objects)
            if inspect.isfunction(found):
                cls_config[key] = found
    return cls, cls_config


def _unknown(kind: str, name: str) -> str:
    return (
        f"Unknown {kind}: '{name}'. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in the scope."
    )
