"""kerastorch: the Keras API, running as native PyTorch.

Example:
    >>> import kerastorch as keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    >>> model.count_params()
    10
"""

__version__ = "0.1.0"
