"""`GeneratorAdapter` and `PyDatasetAdapter`: Python generators and `utils.PyDataset`s.

A generator yields whole batches (`x`, `(x, y)` or `(x, y, sample_weight)`, NumPy or
torch); one pass over it is an epoch unless `steps_per_epoch` says otherwise. A PyDataset
is read by index, `len()` batches an epoch, with `on_epoch_end()` called after each epoch.

Example:
    >>> import numpy as np, torch
    >>> gen = ((np.ones((2, 3)), np.zeros((2, 1))) for _ in range(5))
    >>> adapter = GeneratorAdapter(gen, device=torch.device("cpu"))
    >>> len(list(adapter.batches()))
    5
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import torch

from kerastorch.trainers.data_adapters.dataloader_adapter import batch_to_device


class GeneratorAdapter:
    """Batches from a Python generator or iterator (a single pass, shared across epochs)."""

    def __init__(self, generator: Iterator[Any], device: torch.device | None = None):
        self.device = device or torch.device("cpu")
        self.num_batches: int | None = None
        self.batch_size = None
        first = next(generator, None)
        if first is None:
            raise ValueError("The generator passed to the model yields no batches.")
        self._first = first
        self._iterator = itertools.chain([first], generator)

    def batches(self) -> Iterator[tuple[Any, Any, Any]]:
        for batch in self._iterator:
            yield batch_to_device(batch, self.device)

    def first_batch(self) -> tuple[Any, Any, Any]:
        return batch_to_device(self._first, torch.device("cpu"))

    def on_epoch_end(self) -> None:
        """Nothing to do: a generator is a single pass."""


class PyDatasetAdapter:
    """Batches from a `utils.PyDataset` / `utils.Sequence`, in order or shuffled by batch."""

    def __init__(self, dataset: Any, shuffle: bool = False, device: torch.device | None = None):
        self.dataset = dataset
        self.shuffle = shuffle
        self.device = device or torch.device("cpu")
        self.num_batches: int | None = len(dataset)
        self.batch_size = None
        self.generator: torch.Generator | None = None  # the shuffling's (see ArrayAdapter)

    def batches(self) -> Iterator[tuple[Any, Any, Any]]:
        n = len(self.dataset)
        order = torch.randperm(n, generator=self.generator).tolist() if self.shuffle else range(n)
        for index in order:
            yield batch_to_device(self.dataset[index], self.device)

    def on_epoch_end(self) -> None:
        """Called by the loop after each epoch (and once after the first batch was read)."""
        self.dataset.on_epoch_end()

    def first_batch(self) -> tuple[Any, Any, Any]:
        return batch_to_device(self.dataset[0], torch.device("cpu"))
