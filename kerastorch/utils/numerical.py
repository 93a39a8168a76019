"""`to_categorical` and `normalize`, as in `keras.utils`.

NumPy inputs give NumPy outputs computed as Keras does (`to_categorical` is float64 there,
as in Keras); other inputs (torch tensors, lists for `normalize`) give torch tensors.

Example:
    >>> to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.ops.conversion import convert_to_tensor


def to_categorical(x: Any, num_classes: int | None = None) -> Any:
    """One-hot encode integer class labels (a trailing axis of size 1 is dropped).

    Args:
        x: class indices `0 .. num_classes - 1`: an array-like, or a torch tensor.
        num_classes: total number of classes; `max(x) + 1` when None.

    Returns:
        A float64 NumPy array of shape `x.shape + (num_classes,)` (as Keras), or a float32
        torch tensor for a tensor input.
    """
    if isinstance(x, torch.Tensor):
        if x.ndim > 1 and x.shape[-1] == 1:
            x = x.squeeze(-1)
        if num_classes is None:
            num_classes = int(x.max()) + 1 if x.numel() else 0
        return torch.nn.functional.one_hot(x.long(), num_classes).to(torch.float32)
    x = np.array(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(
            f"to_categorical: class labels must be in [0, {num_classes}). Received labels in "
            f"[{x.min()}, {x.max()}]."
        )
    categorical = np.zeros((x.shape[0], num_classes))
    categorical[np.arange(x.shape[0]), x] = 1
    return categorical.reshape((*shape, num_classes))


def normalize(x: Any, axis: int = -1, order: int = 2) -> Any:
    """Scale `x` to unit `order`-norm along `axis`.

    A NumPy array is divided by its norms (zero vectors stay zero) and stays NumPy; other
    inputs become torch tensors, normalized as `keras.ops.normalize` does (the norm is
    floored at `config.epsilon()`).

    Example:
        >>> normalize(np.array([[3.0, 4.0]]))
        array([[0.6, 0.8]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis)
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = convert_to_tensor(x)
    if x.ndim == 0:
        x = x.unsqueeze(0)
    epsilon = config.epsilon()
    if order == 2:
        inv_norm = torch.rsqrt(torch.sum(x * x, dim=axis, keepdim=True))
        return x * torch.clamp(inv_norm, max=1.0 / epsilon)
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


__all__ = ["normalize", "to_categorical"]
