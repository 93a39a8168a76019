"""Fashion-MNIST (Zalando's 28x28 clothing images), as `keras.datasets.fashion_mnist`.

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
8 Bag, 9 Ankle boot.

Example:
    >>> from kerastorch.datasets import fashion_mnist
    >>> callable(fashion_mnist.load_data)
    True
"""

from __future__ import annotations

import gzip
import os

import numpy as np

from kerastorch.utils.file_utils import get_file

__all__ = ["load_data"]

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def _read(path: str, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load Fashion-MNIST: 60,000 training and 10,000 test 28x28 grayscale images.

    The four idx-ubyte `.gz` files are cached in `~/.keras/datasets/fashion-mnist`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` arrays of shapes `(60000, 28, 28)`,
        `(60000,)`, `(10000, 28, 28)` and `(10000,)`.
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(name, origin=_BASE + name, cache_subdir=subdir) for name in _FILES]
    y_train, y_test = _read(paths[0], 8), _read(paths[2], 8)
    x_train = _read(paths[1], 16).reshape(len(y_train), 28, 28)
    x_test = _read(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
