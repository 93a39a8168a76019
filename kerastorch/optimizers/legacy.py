"""`optimizers.legacy`: tf.keras 2's legacy optimizers, which Keras 3 (and so kerastorch)
refuses with an `ImportError` that says what to use instead.

The names exist, as in Keras 3, so that code importing them still imports; creating one
raises.

Example:
    >>> from kerastorch.optimizers import legacy
    >>> legacy.Adam()
    Traceback (most recent call last):
    ...
    ImportError: `keras.optimizers.legacy` is not supported in Keras 3. ...
"""

from __future__ import annotations

from typing import Any

__all__ = ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"]


class LegacyOptimizerWarning:
    """Keras 3's stand-in for every `keras.optimizers.legacy` class: it cannot be created."""

    def __init__(self, *args: Any, **kwargs: Any):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3. Use the Keras 3 optimizers "
            "(`kerastorch.optimizers.Adam`, ...), which take the same main arguments. When using "
            "`tf.keras`, to continue using a `tf.keras.optimizers.legacy` optimizer, you can "
            "install the `tf_keras` package (Keras 2) and set the environment variable "
            "`TF_USE_LEGACY_KERAS=True` to configure TensorFlow to use `tf_keras` when "
            "accessing `tf.keras`."
        )


Adagrad = Adam = Ftrl = Optimizer = RMSprop = SGD = LegacyOptimizerWarning
