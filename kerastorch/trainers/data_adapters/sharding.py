"""`ShardedAdapter`: each process's share of every global batch, for data parallelism.

`batch_size` stays the *global* batch, as in Keras: every process walks the same global
batches (the same shuffling, drawn from a seed shared by all processes) and keeps its
contiguous piece of each, `torch.tensor_split`'s sizes (the first `n % world` pieces one
sample longer). Array data is sharded by index (each process gathers only its samples);
other data (Datasets, DataLoaders, generators, PyDatasets) is read whole on each process
and split. A DataLoader with a `DistributedSampler` is already sharded and used as is
(its `set_epoch` is called at each epoch's end).

Each process records, per batch, the global batch's size (`global_sizes`: `predict`
reassembles the outputs in input order from them) and its share of it (`step_weight`:
the gradient all-reduce weights each process's mean gradient by it, so that uneven
pieces still give the global batch's mean gradient).

Example:
    >>> import numpy as np, torch
    >>> from kerastorch.trainers.data_adapters import get_data_adapter
    >>> data = get_data_adapter(np.arange(10.0)[:, None], None, None, 4, False)
    >>> rank1 = ShardedAdapter(data, rank=1, world=2, seed=0)
    >>> [b[0][:, 0].tolist() for b in rank1.batches()], rank1.global_sizes
    ([[2.0, 3.0], [6.0, 7.0], [9.0]], [4, 4, 2])
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import torch
from torch.utils.data import DistributedSampler, RandomSampler

from kerastorch.common import tree


def piece(n: int, rank: int, world: int) -> tuple[int, int]:
    """`(offset, size)` of process `rank`'s piece of `n` samples (`tensor_split`'s split).

    Example:
        >>> [piece(5, r, 2) for r in range(2)]
        [(0, 3), (3, 2)]
    """
    base, extra = divmod(n, world)
    return rank * base + min(rank, extra), base + (1 if rank < extra else 0)


class ShardedAdapter:
    """Process `rank`'s pieces of the global batches of `adapter`.

    Args:
        adapter: the data adapter of the whole data (global batches).
        rank: this process's rank.
        world: the number of processes.
        seed: the shuffling seed, the same on every process.
        training: `True` for `fit`'s data: every process must run the same number of
            steps, so a last global batch smaller than `world` is dropped (with a
            warning). For evaluation and prediction a process may get an empty piece:
            it then skips that batch.
    """

    def __init__(self, adapter: Any, rank: int, world: int, seed: int, training: bool = False):
        self.adapter, self.rank, self.world, self.training = adapter, rank, world, training
        self.batch_size = adapter.batch_size
        self.num_batches = adapter.num_batches
        self.step_weight = 1.0 / world
        self.global_sizes: list[int] = []
        if getattr(adapter, "generator", "absent") is None:
            device = adapter.device if getattr(adapter, "_on_device", False) else "cpu"
            adapter.generator = torch.Generator(device=device).manual_seed(seed)
        loader = getattr(adapter, "loader", None)
        sampler = getattr(loader, "sampler", None)
        self._presharded = isinstance(sampler, DistributedSampler)
        self._epoch = 0
        if isinstance(sampler, RandomSampler) and sampler.generator is None:
            sampler.generator = torch.Generator().manual_seed(seed)
        last = getattr(adapter, "num_samples", None)
        if training and last is not None and self.num_batches:
            last -= (self.num_batches - 1) * self.batch_size
            if 0 < last < world:
                self.num_batches -= 1
                if rank == 0:
                    warnings.warn(
                        f"The last batch of each epoch ({last} samples) is smaller than the "
                        f"number of processes ({world}) and is skipped. Choose a "
                        "`batch_size` that leaves a larger last batch.",
                        stacklevel=2,
                    )

    def first_batch(self) -> Any:
        return self.adapter.first_batch()

    def on_epoch_end(self) -> None:
        self.adapter.on_epoch_end()
        if self._presharded:  # a DistributedSampler reshuffles when told the epoch
            self._epoch += 1
            self.adapter.loader.sampler.set_epoch(self._epoch)

    def batches(self) -> Iterator[tuple[Any, Any, Any]]:
        """This process's pieces of one epoch's global batches."""
        self.global_sizes = []
        if self._presharded:
            yield from self.adapter.batches()
            return
        selections = getattr(self.adapter, "selections", None)
        if selections is not None:
            for selection in selections():
                if isinstance(selection, slice):
                    n = selection.stop - selection.start
                else:
                    n = len(selection)
                if self.training and n < self.world:
                    continue
                offset, size = piece(n, self.rank, self.world)
                self.global_sizes.append(n)
                self.step_weight = size / n
                if size:
                    if isinstance(selection, slice):
                        start = selection.start + offset
                        yield self.adapter.take(slice(start, start + size))
                    else:
                        yield self.adapter.take(selection[offset : offset + size])
            return
        for batch in self.adapter.batches():
            n = int(next(t for t in tree.flatten(batch) if t is not None).shape[0])
            if self.training and n < self.world:
                continue
            offset, size = piece(n, self.rank, self.world)
            self.global_sizes.append(n)
            self.step_weight = size / n
            if size:
                part = slice(offset, offset + size)
                yield tree.map_structure(lambda t, p=part: None if t is None else t[p], batch)


__all__ = ["ShardedAdapter", "piece"]
