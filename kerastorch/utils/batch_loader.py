"""`BatchLoader`: the torch `DataLoader` that Keras's dataset builders return here.

Where Keras returns a `tf.data.Dataset`, kerastorch returns a `BatchLoader`: a plain
`torch.utils.data.DataLoader` (so `fit`/`evaluate`/`predict` and a hand-written PyTorch loop
both take it) with the attributes Keras sets on its datasets (`class_names`, `file_paths`).
Shuffling draws from a `torch.Generator` seeded with `seed`, so the order of every epoch is
reproducible; `num_workers` (a kerastorch extension) loads samples in worker processes.

Example:
    >>> import torch
    >>> from torch.utils.data import TensorDataset
    >>> loader = BatchLoader(TensorDataset(torch.arange(5)), batch_size=2, class_names=["a"])
    >>> [len(batch[0]) for batch in loader], loader.class_names
    ([2, 2, 1], ['a'])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, default_collate


def check_format(format: str) -> None:
    """Keras's `format` argument: `"tf"` or `"grain"`; both give a `BatchLoader` here."""
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')


def collate_samples(samples: list[Any]) -> Any:
    """torch's `default_collate`, keeping `(x, y)` samples (and strings) as tuples, as Keras."""
    if isinstance(samples[0], str):
        return tuple(samples)
    batch = default_collate(samples)
    return tuple(batch) if isinstance(samples[0], tuple) else batch


def sample_as_is(sample: Any) -> Any:
    """The "collate" of unbatched data: each sample as the dataset returns it."""
    return sample


class BatchLoader(DataLoader):
    """A `DataLoader` over a map-style dataset, carrying Keras's dataset attributes.

    Args:
        dataset: a map-style `torch.utils.data.Dataset` (one sample per index).
        batch_size: samples per batch; None yields single samples (Keras's unbatched data).
        shuffle: reshuffle the samples at each pass.
        seed: the seed of the shuffling generator; a random one when None.
        collate_fn: how samples are combined into a batch (`collate_samples` when None).
        num_workers: worker processes loading samples; 0 loads in the calling process.
        class_names: the class names (None when the data has no labels).
        file_paths: the files behind the samples, in index order.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 32,
        shuffle: bool = False,
        seed: int | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        num_workers: int = 0,
        class_names: list[str] | None = None,
        file_paths: list[str] | None = None,
    ):
        generator = None
        if shuffle:
            generator = torch.Generator()
            if seed is None:
                generator.seed()
            else:
                generator.manual_seed(int(seed))
        if batch_size is None:
            collate_fn = sample_as_is
        super().__init__(
            dataset,
            batch_size=batch_size,
            shuffle=bool(shuffle),
            generator=generator,
            collate_fn=collate_fn or collate_samples,
            num_workers=num_workers,
        )
        self.class_names = class_names
        self.file_paths = file_paths


__all__ = ["BatchLoader", "check_format", "collate_samples", "sample_as_is"]
