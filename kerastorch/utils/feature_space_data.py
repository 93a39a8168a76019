"""The data side of `FeatureSpace`: columns for `adapt`, and the device of a call's inputs.

`columns_for_adapt(dataset, names)` reads a dict (or pandas DataFrame) of columns, or an
iterable of batches that are such dicts (a generator, a `DataLoader`, a `PyDataset`), once,
and returns each named feature as one `(samples, 1)` column: a tensor when every batch held
tensors, else a NumPy array (strings stay host-side).

Example:
    >>> cols = columns_for_adapt(iter([{"a": [1, 2]}, {"a": [3]}]), ["a"])
    >>> cols["a"].tolist()
    [[1], [2], [3]]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import torch

from kerastorch import config


def _is_table(data: Any) -> bool:
    """A dict, or a pandas-like table of named columns (`keys()` and `[name]`)."""
    if isinstance(data, dict):
        return True
    return hasattr(data, "columns") and hasattr(data, "keys") and hasattr(data, "__getitem__")


def _as_column(value: Any) -> Any:
    """A `(samples, 1)` column (rank 0 and 1 values get the feature axis, as Keras)."""
    if not isinstance(value, torch.Tensor):
        value = np.asarray(value)
    if value.ndim <= 1:
        value = value.reshape(-1, 1)
    return value


def _batches(dataset: Any) -> Iterator[Any]:
    if isinstance(dataset, (str, bytes, np.ndarray, torch.Tensor)):
        raise ValueError(
            "`adapt()` can only be called on a dict of arrays/lists or an iterable of batches "
            f"that are dicts of features. Received instead: {dataset} (of type {type(dataset)})"
        )
    if isinstance(dataset, Iterable):
        return iter(dataset)
    if hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__"):  # a PyDataset
        return (dataset[i] for i in range(len(dataset)))
    raise ValueError(
        "`adapt()` can only be called on a dict of arrays/lists or an iterable of batches "
        f"that are dicts of features. Received instead: {dataset} (of type {type(dataset)})"
    )


def _column(table: Any, name: str) -> Any:
    if name not in table:
        raise ValueError(
            f"FeatureSpace.adapt(): the data has no column for feature '{name}'. Received "
            f"columns: {list(table.keys())}"
        )
    return _as_column(table[name])


def columns_for_adapt(dataset: Any, names: list[str]) -> dict[str, Any]:
    """Each feature of `names` as one `(samples, 1)` column of `dataset` (read once).

    Args:
        dataset: a dict or pandas-like table of columns, or an iterable of batches that are
            dicts of columns (features only).
        names: the features to collect.

    Returns:
        `{name: column}`: a torch tensor if every batch held tensors, else a NumPy array.
    """
    if _is_table(dataset):
        return {name: _column(dataset, name) for name in names}
    parts: dict[str, list[Any]] = {name: [] for name in names}
    seen = False
    for batch in _batches(dataset):
        if isinstance(batch, (tuple, list)):
            raise ValueError(
                "FeatureSpace.adapt() expects batches of features only (dicts of columns), as "
                "Keras's does. Received a batch of type "
                f"{type(batch).__name__} (features and labels?). Drop the labels first, e.g. "
                "`feature_space.adapt(x for x, _ in dataset)`."
            )
        if not _is_table(batch):
            raise ValueError(
                "FeatureSpace.adapt() expects each batch to be a dict of features. Received a "
                f"batch of type {type(batch).__name__}: {batch}"
            )
        seen = True
        for name in names:
            parts[name].append(_column(batch, name))
    if not seen:
        raise ValueError("FeatureSpace.adapt() received an empty dataset (no batches).")
    return {name: _concatenate(columns) for name, columns in parts.items()}


def _concatenate(columns: list[Any]) -> Any:
    if all(isinstance(c, torch.Tensor) for c in columns):
        device = columns[0].device
        return torch.cat([c.to(device) for c in columns])
    arrays = [c.detach().cpu().numpy() if isinstance(c, torch.Tensor) else c for c in columns]
    return np.concatenate(arrays)


def device_of(data: dict[str, Any]) -> torch.device:
    """The device of the first tensor among the values, else the default device."""
    for value in data.values():
        if isinstance(value, torch.Tensor):
            return value.device
    return config.default_device()


def same_device(a: torch.device, b: torch.device) -> bool:
    """Whether two devices are the same (`cuda` is the current CUDA device)."""

    def index(device: torch.device) -> int:
        if device.index is not None:
            return device.index
        return torch.cuda.current_device() if device.type == "cuda" else 0

    return a.type == b.type and index(a) == index(b)
