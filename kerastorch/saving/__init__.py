"""Saving and serialization, as `keras.saving`.

Example:
    >>> from kerastorch import saving
    >>> saving.serialize_keras_object([1, "a", None])
    [1, 'a', None]
"""

from kerastorch.common.registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.saving.file_editor import KerasFileEditor
from kerastorch.saving.saving_api import load_model, load_weights, save_model, save_weights

__all__ = [
    "CustomObjectScope",
    "KerasFileEditor",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]
