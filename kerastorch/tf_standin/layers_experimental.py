"""`tf.keras.layers.experimental`: tf.keras 2.x's home of the preprocessing layers, which
are plain `keras.layers` now (`preprocessing.Normalization` is `layers.Normalization`).

Example:
    >>> import kerastorch
    >>> preprocessing is kerastorch.layers
    True
"""

from kerastorch import layers as preprocessing

__all__ = ["preprocessing"]
