"""`to_categorical` and `normalize`, as in `keras.utils`.

Example:
    >>> to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray:
    """One-hot encode integer class labels (a trailing axis of size 1 is dropped).

    Args:
        x: array-like of class indices, `0 .. num_classes - 1`.
        num_classes: total number of classes; `max(x) + 1` when None.

    Returns:
        A float32 array of shape `x.shape + (num_classes,)`.
    """
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(
            f"Class labels must be in [0, {num_classes}). Received labels in "
            f"[{x.min()}, {x.max()}]."
        )
    categorical = np.zeros((x.shape[0], num_classes), dtype="float32")
    categorical[np.arange(x.shape[0]), x] = 1.0
    return categorical.reshape((*shape, num_classes))


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """Scale `x` to unit `order`-norm along `axis` (zero vectors stay zero)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
