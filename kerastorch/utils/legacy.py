"""`keras.utils.legacy`: tf.keras 2's `serialize_keras_object` / `deserialize_keras_object`.

Example:
    >>> from kerastorch.utils.legacy import deserialize_keras_object
    >>> deserialize_keras_object("relu", module_objects={"relu": max}) is max
    True
"""

from kerastorch.common.legacy_serialization import (
    deserialize_keras_object,
    serialize_keras_object,
)

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
