"""`DataLoaderAdapter`: a `torch.utils.data.Dataset` or `DataLoader` as batches.

A `Dataset` is wrapped in a `DataLoader(batch_size, shuffle)`; a `DataLoader` is used as
given (its own batch size and shuffling). Each batch is moved to the training device with
`non_blocking=True` (pin the loader's memory for overlap on CUDA).

Example:
    >>> import torch
    >>> from torch.utils.data import TensorDataset
    >>> data = TensorDataset(torch.zeros(10, 3), torch.ones(10))
    >>> adapter = DataLoaderAdapter(data, batch_size=4, shuffle=False, device=torch.device("cpu"))
    >>> adapter.num_batches
    3
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset

from kerastorch.common import tree
from kerastorch.trainers.data_adapters.array_adapter import to_tensor


def unpack_batch(batch: Any) -> tuple[Any, Any, Any]:
    """A batch as Keras reads it: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`."""
    if isinstance(batch, tuple) and not hasattr(batch, "_fields"):
        if len(batch) == 1:
            return batch[0], None, None
        if len(batch) == 2:
            return batch[0], batch[1], None
        if len(batch) == 3:
            return batch
        raise ValueError(
            "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`"
            f", found a tuple of {len(batch)} elements."
        )
    if isinstance(batch, list):  # as Keras reads them (DataLoaders collate into lists)
        return unpack_batch(tuple(batch))
    return batch, None, None


def batch_to_device(batch: Any, device: torch.device) -> tuple[Any, Any, Any]:
    """Unpack a batch, convert its arrays to tensors and move them to `device`."""
    x, y, sample_weight = unpack_batch(batch)
    return tree.map_structure(
        lambda t: None if t is None else to_tensor(t).to(device, non_blocking=True),
        (x, y, sample_weight),
    )


class DataLoaderAdapter:
    """Batches from a torch `Dataset` (wrapped in a DataLoader) or a `DataLoader`."""

    def __init__(
        self,
        data: Dataset | DataLoader,
        batch_size: int | None = None,
        shuffle: bool = True,
        device: torch.device | None = None,
    ):
        if isinstance(data, DataLoader):
            self.loader = data
        else:
            shuffle = bool(shuffle) and not isinstance(data, IterableDataset)
            self.loader = DataLoader(data, batch_size=batch_size or 32, shuffle=shuffle)
        self.batch_size = self.loader.batch_size
        try:
            self.num_batches: int | None = len(self.loader)
        except TypeError:
            self.num_batches = None
        self.device = device or torch.device("cpu")

    def batches(self) -> Iterator[tuple[Any, Any, Any]]:
        for batch in self.loader:
            yield batch_to_device(batch, self.device)

    def first_batch(self) -> tuple[Any, Any, Any]:
        return batch_to_device(next(iter(self.loader)), torch.device("cpu"))

    def on_epoch_end(self) -> None:
        """Nothing to do: the DataLoader reshuffles on each new pass."""
