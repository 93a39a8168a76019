"""`tf.data.Dataset`: the pipeline methods tutorials chain, as a torch `DataLoader`.

A `Dataset` is a `torch.utils.data.DataLoader` over its own elements (no automatic
batching: `batch()` makes the batches), so `model.fit(dataset)` takes it as it takes any
DataLoader, one element per step, and a plain PyTorch loop can iterate it too. Elements are
torch tensors, or tuples/dicts of them. `prefetch` and `cache` change nothing (elements are
computed when iterated; the data is already in memory); `map` runs in the main process.

Example:
    >>> import numpy as np
    >>> ds = Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 10))
    >>> ds = ds.map(lambda x, y: (x + 1, y)).batch(2)
    >>> [x.tolist() for x, _ in ds], len(ds)
    ([[1, 2], [3, 4], [5]], 3)
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, IterableDataset

from kerastorch.common import tree
from kerastorch.tf_standin.missing import missing

AUTOTUNE = -1


class _Elements(IterableDataset):
    def __init__(self, make: Callable[[], Iterator[Any]], length: int | None):
        self.make = make
        self.length = length

    def __iter__(self) -> Iterator[Any]:
        return iter(self.make())

    def __len__(self) -> int:
        if self.length is None:
            raise TypeError("The dataset's length is unknown (infinite or filtered).")
        return self.length


def _as_tensor(x: Any) -> Any:
    if isinstance(x, torch.Tensor):
        return x
    return torch.as_tensor(np.asarray(x))


def _keep(element: Any) -> Any:
    """The DataLoader's collate function: elements as they are (tuples stay tuples)."""
    return element


def _call(fn: Callable[..., Any], element: Any) -> Any:
    return fn(*element) if isinstance(element, tuple) else fn(element)


class Dataset(DataLoader):
    """A `tf.data.Dataset` stand-in; build one with `from_tensor_slices` or `from_tensors`."""

    def __init__(self, make: Callable[[], Iterator[Any]], length: int | None):
        super().__init__(_Elements(make, length), batch_size=None, collate_fn=_keep)
        self._make = make
        self._length = length

    def _elements(self) -> Iterator[Any]:
        return self._make()

    # -- sources ------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        """The slices of `tensors` (arrays, tuples or dicts of arrays) along the first axis."""
        if isinstance(tensors, list):
            tensors = np.asarray(tensors)
        flat = [_as_tensor(t) for t in tree.flatten(tensors)]
        sizes = {len(t) for t in flat}
        if len(sizes) != 1:
            raise ValueError(
                "Dataset.from_tensor_slices: all components must have the same first "
                f"dimension; received sizes {sorted(sizes)}."
            )
        (size,) = sizes

        def make() -> Iterator[Any]:
            for i in range(size):
                yield tree.pack_sequence_as(tensors, [t[i] for t in flat])

        return Dataset(make, size)

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset of one element: `tensors`."""
        element = tree.map_structure(_as_tensor, tensors)
        return Dataset(lambda: iter([element]), 1)

    @staticmethod
    def zip(*datasets: Any, name: str | None = None) -> Dataset:
        """Elements of several datasets side by side (a tuple, or the structure given)."""
        if len(datasets) == 1 and isinstance(datasets[0], (tuple, list)):
            datasets = tuple(datasets[0])
        lengths = [d._length for d in datasets]
        known = [n for n in lengths if n is not None]
        return Dataset(
            lambda: zip(*(d._make() for d in datasets), strict=False), min(known) if known else None
        )

    # -- transformations --------------------------------------------------------------------
    def batch(self, batch_size: int, drop_remainder: bool = False, **kwargs: Any) -> Dataset:
        """Consecutive elements stacked into batches of `batch_size`."""
        if batch_size <= 0:
            raise ValueError(f"Dataset.batch: batch_size must be positive; received {batch_size}")

        def make() -> Iterator[Any]:
            iterator = self._make()
            while chunk := list(itertools.islice(iterator, batch_size)):
                if drop_remainder and len(chunk) < batch_size:
                    return
                columns = [tree.flatten(e) for e in chunk]
                stacked = [torch.stack(list(c)) for c in zip(*columns, strict=True)]
                yield tree.pack_sequence_as(chunk[0], stacked)

        length = None
        if self._length is not None:
            full, rest = divmod(self._length, batch_size)
            length = full + (1 if rest and not drop_remainder else 0)
        return Dataset(make, length)

    def shuffle(
        self,
        buffer_size: int,
        seed: int | None = None,
        reshuffle_each_iteration: bool = True,
        name: str | None = None,
    ) -> Dataset:
        """Elements in random order through a buffer of `buffer_size`, as TF shuffles."""
        state = {"epoch": 0}

        def make() -> Iterator[Any]:
            base = seed if seed is not None else random.randrange(2**31)
            rng = random.Random(base + (state["epoch"] if reshuffle_each_iteration else 0))
            state["epoch"] += 1
            buffer: list[Any] = []
            for element in self._make():
                buffer.append(element)
                if len(buffer) >= buffer_size:
                    yield buffer.pop(rng.randrange(len(buffer)))
            while buffer:
                yield buffer.pop(rng.randrange(len(buffer)))

        return Dataset(make, self._length)

    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None,
            deterministic: Any = None, name: str | None = None) -> Dataset:  # fmt: skip
        """`map_func` applied to each element (a tuple element is passed as arguments)."""
        return Dataset(lambda: (_call(map_func, e) for e in self._make()), self._length)

    def filter(self, predicate: Callable[..., Any], name: str | None = None) -> Dataset:
        """The elements for which `predicate` is true."""
        return Dataset(lambda: (e for e in self._make() if bool(_call(predicate, e))), None)

    def repeat(self, count: int | None = None, name: str | None = None) -> Dataset:
        """The dataset `count` times (forever with `None` or -1)."""
        if count is None or count < 0:
            return Dataset(
                lambda: itertools.chain.from_iterable(
                    map(Dataset._elements, itertools.repeat(self))
                ),
                None,
            )
        length = None if self._length is None else self._length * count
        return Dataset(
            lambda: itertools.chain.from_iterable(d._make() for d in [self] * count), length
        )

    def take(self, count: int, name: str | None = None) -> Dataset:
        """The first `count` elements (all with -1)."""
        if count < 0:
            return self
        length = count if self._length is None else min(count, self._length)
        return Dataset(lambda: itertools.islice(self._make(), count), length)

    def skip(self, count: int, name: str | None = None) -> Dataset:
        """All but the first `count` elements."""
        length = None if self._length is None else max(0, self._length - count)
        return Dataset(lambda: itertools.islice(self._make(), count, None), length)

    def prefetch(self, buffer_size: Any = None, name: str | None = None) -> Dataset:
        """The same dataset: elements are produced as the training loop asks for them."""
        return self

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        """The same dataset: its elements already come from memory."""
        return self

    def as_numpy_iterator(self) -> Iterator[Any]:
        """The elements as NumPy arrays."""
        return (tree.map_structure(lambda t: t.numpy(), e) for e in self._make())

    def cardinality(self) -> torch.Tensor:
        """The number of elements; -1 when infinite or unknown."""
        return torch.tensor(-1 if self._length is None else self._length)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise missing("tf.data.Dataset", name)


class _Experimental:
    AUTOTUNE = AUTOTUNE


experimental = _Experimental()


def __getattr__(name: str) -> Any:
    raise missing("tf.data", name)


__all__ = ["AUTOTUNE", "Dataset", "experimental"]
