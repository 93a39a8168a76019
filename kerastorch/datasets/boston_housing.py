"""Boston housing prices (13 features, price in k$), as `keras.datasets.boston_housing`.

Example:
    >>> from kerastorch.datasets import boston_housing
    >>> boston_housing.load_data(test_split=1)
    Traceback (most recent call last):
    ...
    ValueError: Invalid `test_split` argument: 1. It must be between 0 and 1 (exclusive of 1).
"""

from __future__ import annotations

import numpy as np

from kerastorch.datasets.housing_utils import check_test_split, shuffle_split
from kerastorch.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
_FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(
    path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load the 506 Boston suburbs: 13 features each and the median home value.

    Args:
        path: The file name in the cache (`~/.keras/datasets`).
        test_split: The fraction kept as the test set (`0 <= test_split < 1`).
        seed: The seed of the shuffle before the split.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `float64` arrays of shapes `(n, 13)` and `(n,)`.
    """
    check_test_split(test_split)
    path = get_file(path, origin=_ORIGIN, file_hash=_FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return shuffle_split(x, y, test_split, seed)
