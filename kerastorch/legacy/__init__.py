"""`keras.legacy`: what Keras 3 keeps of tf.keras 2 for old code (`legacy.saving`).

Example:
    >>> from kerastorch import legacy
    >>> legacy.saving.serialize_keras_object(None) is None
    True
"""

from kerastorch.legacy import saving

__all__ = ["saving"]
