"""MNIST handwritten digits, as `keras.datasets.mnist`.

Example:
    >>> from kerastorch.datasets import mnist
    >>> callable(mnist.load_data)
    True
"""

from __future__ import annotations

import numpy as np

from kerastorch.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
_FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path: str = "mnist.npz") -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load MNIST: 60,000 training and 10,000 test 28x28 grayscale digits.

    Args:
        path: The file name in the cache (`~/.keras/datasets`, or `$KERAS_HOME/datasets`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` arrays of shapes `(60000, 28, 28)`,
        `(60000,)`, `(10000, 28, 28)` and `(10000,)`; pixels in 0-255, labels in 0-9.
    """
    path = get_file(fname=path, origin=_ORIGIN, file_hash=_FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
