"""CIFAR-100 small images (100 fine classes in 20 coarse ones), as `keras.datasets.cifar100`.

Example:
    >>> from kerastorch.datasets import cifar100
    >>> cifar100.load_data(label_mode="medium")
    Traceback (most recent call last):
    ...
    ValueError: `label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode=medium.
"""

from __future__ import annotations

import os

import numpy as np

from kerastorch.datasets.cifar import load_batch, to_image_data_format
from kerastorch.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
_FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode: str = "fine") -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load CIFAR-100: 50,000 training and 10,000 test 32x32 colour images.

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (20 superclasses).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `uint8` images of shapes `(50000, 32, 32, 3)`
        and `(10000, 32, 32, 3)` (`(n, 3, 32, 32)` under `channels_first`), and `int64`
        labels of shapes `(50000, 1)` and `(10000, 1)`, as Keras returns them.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.'
        )
    path = get_file(
        fname="cifar-100-python-target", origin=_ORIGIN, extract=True, file_hash=_FILE_HASH
    )
    path = os.path.join(path, "cifar-100-python")
    splits = []
    for name in ("train", "test"):
        x, y = load_batch(os.path.join(path, name), label_key=f"{label_mode}_labels")
        splits.append((to_image_data_format(x), np.reshape(y, (len(y), 1))))
    return splits[0], splits[1]
