"""CIFAR-10 small images (10 classes), as `keras.datasets.cifar10`.

Labels: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship,
9 truck.

Example:
    >>> from kerastorch.datasets import cifar10
    >>> callable(cifar10.load_data)
    True
"""

from __future__ import annotations

import os

import numpy as np

from kerastorch.datasets.cifar import load_batch, to_image_data_format
from kerastorch.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load CIFAR-10: 50,000 training and 10,000 test 32x32 colour images.

    The archive is cached as `~/.keras/datasets/cifar-10-batches-py-target_archive` and
    extracted next to it, as Keras does.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` arrays of shapes
        `(50000, 32, 32, 3)`, `(50000, 1)`, `(10000, 32, 32, 3)` and `(10000, 1)`
        (images `(n, 3, 32, 32)` under `channels_first`).
    """
    path = get_file(
        fname="cifar-10-batches-py-target", origin=_ORIGIN, extract=True, file_hash=_FILE_HASH
    )
    path = os.path.join(path, "cifar-10-batches-py")
    batches = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([data for data, _ in batches]).astype("uint8")
    y_train = np.concatenate([np.asarray(labels) for _, labels in batches]).astype("uint8")
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    x_test, y_test = x_test.astype("uint8"), np.asarray(y_test).astype("uint8")
    return (
        (to_image_data_format(x_train), y_train.reshape(-1, 1)),
        (to_image_data_format(x_test), y_test.reshape(-1, 1)),
    )
