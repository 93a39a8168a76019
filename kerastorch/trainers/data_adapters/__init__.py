"""`get_data_adapter()`: the one entry point from `fit`/`evaluate`/`predict` to the data.

Example:
    >>> import numpy as np, torch
    >>> adapter = get_data_adapter(np.zeros((8, 2)), np.zeros(8), batch_size=4,
    ...                            device=torch.device("cpu"))
    >>> type(adapter).__name__, adapter.num_batches
    ('ArrayAdapter', 2)
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from kerastorch.common import tree
from kerastorch.common.py_dataset import PyDataset
from kerastorch.trainers.data_adapters.array_adapter import ArrayAdapter, split_arrays
from kerastorch.trainers.data_adapters.dataloader_adapter import DataLoaderAdapter, unpack_batch
from kerastorch.trainers.data_adapters.generator_adapter import GeneratorAdapter, PyDatasetAdapter


def is_array_data(x: Any) -> bool:
    """Whether `x` is an array, a tensor, or a list/dict structure of them."""
    leaves = tree.flatten(x)
    return (
        bool(leaves)
        and all(
            isinstance(leaf, (np.ndarray, torch.Tensor, list, float, int)) or leaf is None
            for leaf in leaves
        )
        and any(isinstance(leaf, (np.ndarray, torch.Tensor)) for leaf in leaves)
    )


def get_data_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    batch_size: int | None = None,
    shuffle: bool | str = False,
    class_weight: dict[int, float] | None = None,
    device: torch.device | None = None,
) -> Any:
    """Pick the adapter for `x`: arrays/tensors, Dataset/DataLoader, generator, PyDataset."""
    if (
        isinstance(x, (PyDataset, Dataset, DataLoader))
        or inspect.isgenerator(x)
        or (hasattr(x, "__next__") and not isinstance(x, (np.ndarray, torch.Tensor)))
    ):
        for name, value in (("y", y), ("sample_weight", sample_weight)):
            if value is not None:
                raise ValueError(
                    f"When providing `x` as a {type(x).__name__}, `{name}` should not be "
                    f"passed. Instead, the {name} should be included as part of the "
                    f"{type(x).__name__}."
                )
        if class_weight is not None:
            raise ValueError(
                f"`class_weight` is only supported with array data; received x of type "
                f"{type(x).__name__}. Use sample weights in the batches instead."
            )
    if isinstance(x, PyDataset):
        return PyDatasetAdapter(x, shuffle=bool(shuffle), device=device)
    if isinstance(x, (Dataset, DataLoader)):
        return DataLoaderAdapter(x, batch_size=batch_size, shuffle=bool(shuffle), device=device)
    if inspect.isgenerator(x) or hasattr(x, "__next__"):
        return GeneratorAdapter(x, device=device)
    if is_array_data(x):
        return ArrayAdapter(x, y, sample_weight, batch_size, shuffle, class_weight, device)
    raise ValueError(
        f"Unrecognized data type: x={x!r} (of type {type(x).__name__}). Expected NumPy arrays, "
        "torch tensors, lists or dicts of them, a torch Dataset or DataLoader, a Python "
        "generator, or a keras.utils.PyDataset."
    )


__all__ = [
    "ArrayAdapter",
    "DataLoaderAdapter",
    "GeneratorAdapter",
    "PyDatasetAdapter",
    "get_data_adapter",
    "is_array_data",
    "split_arrays",
    "unpack_batch",
]
