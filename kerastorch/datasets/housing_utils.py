"""The shuffle-and-split that `boston_housing` and `california_housing` share, as Keras.

Example:
    >>> import numpy as np
    >>> (x_train, y_train), (x_test, y_test) = shuffle_split(
    ...     np.arange(10).reshape(5, 2), np.arange(5), test_split=0.2, seed=113
    ... )
    >>> x_train.shape, x_test.shape
    ((4, 2), (1, 2))
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_test_split", "shuffle_split"]


def check_test_split(test_split: float) -> None:
    """Raise the `ValueError` Keras raises unless `0 <= test_split < 1`."""
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 "
            "(exclusive of 1)."
        )


def shuffle_split(
    x: np.ndarray, y: np.ndarray, test_split: float, seed: int
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Shuffle `x` and `y` with `np.random.RandomState(seed)`; the last `test_split` is test."""
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
