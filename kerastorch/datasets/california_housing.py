"""California housing prices (8 features, 1990 census blocks), as
`keras.datasets.california_housing`.

Example:
    >>> from kerastorch.datasets import california_housing
    >>> california_housing.load_data(test_split=-0.1)
    Traceback (most recent call last):
    ...
    ValueError: Invalid `test_split` argument: -0.1. It must be between 0 and 1 (exclusive of 1).
"""

from __future__ import annotations

import numpy as np

from kerastorch.datasets.housing_utils import check_test_split, shuffle_split
from kerastorch.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz"
_FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(
    version: str = "large",
    path: str = "california_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load the California housing blocks: 8 features each and the median house value.

    Args:
        version: `"large"` (all 20,640 blocks) or `"small"` (the first 600).
        path: The file name in the cache (`~/.keras/datasets`).
        test_split: The fraction kept as the test set (`0 <= test_split < 1`).
        seed: The seed of the shuffle before the split.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `float32` arrays of shapes `(n, 8)` and `(n,)`.
    """
    check_test_split(test_split)
    path = get_file(path, origin=_ORIGIN, file_hash=_FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    elif version != "large":
        raise ValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version}"
        )
    return shuffle_split(x, y, test_split, seed)
