"""`split_dataset` and the `(x, y, sample_weight)` packing helpers of `keras.utils`.

`split_dataset` returns two `torch.utils.data.Subset`s (what Keras's torch backend
returns), which `fit`, `evaluate` and `predict` accept and a `DataLoader` can batch.

Example:
    >>> import numpy as np
    >>> left, right = split_dataset(np.zeros((10, 2), "float32"), left_size=0.8)
    >>> len(left), len(right)
    (8, 2)
    >>> unpack_x_y_sample_weight((1, 2))
    (1, 2, None)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset, Subset, TensorDataset


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """Unpack `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` into a triple with `None`s.

    Example:
        >>> unpack_x_y_sample_weight(("x",))
        ('x', None, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, "
        f"or `(x, y, sample_weight)`, found: {data}"
    )


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """Pack data into the tuple format that `fit` reads (`x` alone stays unwrapped).

    Example:
        >>> pack_x_y_sample_weight(1), pack_x_y_sample_weight([1, 2]), pack_x_y_sample_weight(1, 2)
        (1, ([1, 2],), (1, 2))
    """
    if y is None:
        return x if not isinstance(x, (tuple, list)) else (x,)
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def _as_torch_dataset(dataset: Any) -> Dataset:
    if isinstance(dataset, Dataset):
        return dataset
    if isinstance(dataset, (np.ndarray, torch.Tensor)):
        return TensorDataset(torch.as_tensor(dataset))
    if isinstance(dataset, (list, tuple)):
        if not dataset:
            raise ValueError(
                "split_dataset: received an empty list/tuple dataset. Please provide a "
                "non-empty list/tuple of arrays."
            )
        arrays = []
        for i, element in enumerate(dataset):
            if not isinstance(element, (np.ndarray, torch.Tensor)):
                raise ValueError(
                    f"split_dataset: expected a {type(dataset).__name__} of NumPy arrays or "
                    f"tensors. Received: {type(element)} at index {i}."
                )
            if len(element) != len(dataset[0]):
                raise ValueError(
                    f"split_dataset: received a {type(dataset).__name__} of arrays with "
                    f"different lengths: {len(dataset[0])} at index 0 and {len(element)} at "
                    f"index {i}. Please provide arrays of the same length."
                )
            arrays.append(torch.as_tensor(element))
        return TensorDataset(*arrays)
    raise TypeError(
        "The `dataset` argument must be a `torch.utils.data.Dataset` object, or a list/tuple "
        f"of arrays. Received: dataset={dataset} of type {type(dataset)}"
    )


def _check_size(name: str, size: Any, total: int) -> None:
    if size is None:
        return
    if type(size) not in (int, float):
        raise TypeError(
            f"Invalid `{name}` Type. Expected: int or float or None, "
            f"Received: type({name})={type(size)}."
        )
    if (type(size) is int and not 0 < size < total) or (type(size) is float and not 0 < size < 1):
        raise ValueError(
            f"`{name}` should be either a positive integer smaller than {total}, or a float "
            f"within the range `[0, 1]`. Received: {name}={size}"
        )


def split_sizes(left_size: Any, right_size: Any, total: int) -> tuple[int, int]:
    """Keras's split sizes: fractions rounded, the missing side the complement."""
    if left_size is None and right_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. "
            "Received: left_size=None and right_size=None"
        )
    _check_size("left_size", left_size, total)
    _check_size("right_size", right_size, total)
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError(
            "The sum of `left_size` and `right_size` is greater than 1. It must be less than "
            "or equal to 1."
        )
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should be smaller than the {total}. "
            f"Received: left_size + right_size = {left + right}and total_length = {total}"
        )
    for split, side in ((left, "left"), (right, "right")):
        if split == 0:
            raise ValueError(
                f"With `dataset` of length={total}, `left_size`={left} and "
                f"`right_size`={right}.Resulting {side} side dataset split will be empty. "
                "Adjust any of the aforementioned parameters"
            )
    return int(left), int(right)


def split_dataset(
    dataset: Any,
    left_size: int | float | None = None,
    right_size: int | float | None = None,
    shuffle: bool = False,
    seed: int | None = None,
    preferred_backend: str | None = None,
) -> tuple[Subset, Subset]:
    """Split a dataset into a left part and a right part (e.g. train / test).

    Args:
        dataset: a `torch.utils.data.Dataset`, a NumPy array / tensor, or a list/tuple of
            arrays of the same length (wrapped in a `TensorDataset`).
        left_size: a fraction in `(0, 1)` or a number of samples; the complement of
            `right_size` when None.
        right_size: a fraction in `(0, 1)` or a number of samples; the complement of
            `left_size` when None.
        shuffle: shuffle before splitting (with `torch.randperm`, as `random_split` does,
            so a seed gives the same split as Keras's torch backend).
        seed: the shuffling seed.
        preferred_backend: None or `"torch"` (kerastorch has no tf.data datasets).

    Returns:
        Two `torch.utils.data.Subset`s: the first `left_size` samples and the last
        `right_size` samples (of the shuffled order when `shuffle`).

    Example:
        >>> import numpy as np
        >>> left, right = split_dataset(np.arange(5), right_size=2)
        >>> [int(t[0]) for t in right]
        [3, 4]
    """
    if preferred_backend not in (None, "torch"):
        raise ValueError(
            f"split_dataset: preferred_backend={preferred_backend!r} is not available: "
            "kerastorch returns torch datasets (use preferred_backend=None or 'torch')."
        )
    dataset = _as_torch_dataset(dataset)
    total = len(dataset)
    left, right = split_sizes(left_size, right_size, total)
    if shuffle:
        generator = torch.Generator()
        if seed is None:
            generator.seed()
        else:
            generator.manual_seed(seed)
        order = torch.randperm(total, generator=generator).tolist()
    else:
        order = list(range(total))
    return Subset(dataset, order[:left]), Subset(dataset, order[total - right :])


__all__ = ["pack_x_y_sample_weight", "split_dataset", "unpack_x_y_sample_weight"]
