"""`keras.legacy.saving`: tf.keras 2's `serialize_keras_object` / `deserialize_keras_object`.

Example:
    >>> from kerastorch.legacy.saving import serialize_keras_object
    >>> serialize_keras_object(len)
    'len'
"""

from kerastorch.common.legacy_serialization import (
    deserialize_keras_object,
    serialize_keras_object,
)

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
