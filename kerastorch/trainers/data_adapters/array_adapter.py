"""`ArrayAdapter`: NumPy arrays and torch tensors (and lists/dicts of them) as batches.

The arrays are converted once to torch tensors on the training device (float64 becomes
the float type, as Keras casts), class weights become per-sample weights once, and each
batch is then a slice (no shuffle) or an index gather on the device (shuffle): no host
copies per step. Data too large for the accelerator stays in pinned host memory and is
copied per batch with `non_blocking=True`.

Example:
    >>> import numpy as np, torch
    >>> adapter = ArrayAdapter(np.zeros((10, 3)), np.ones(10), batch_size=4, shuffle=False,
    ...                        device=torch.device("cpu"))
    >>> adapter.num_batches, [tuple(b[0].shape) for b in adapter.batches()]
    (3, [(4, 3), (4, 3), (2, 3)])
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common import tree

# Arrays larger than this fraction of free accelerator memory stay on the host.
_DEVICE_MEMORY_FRACTION = 0.4


def to_tensor(x: Any) -> Any:
    """NumPy arrays / lists -> torch tensors; float64 -> floatx; strings are refused."""
    if x is None or (isinstance(x, torch.Tensor) and x.dtype != torch.float64):
        return x
    if isinstance(x, torch.Tensor):
        return x.to(getattr(torch, config.floatx()))
    array = np.asarray(x)
    if array.dtype.kind in "USO":
        raise TypeError(
            f"Arrays of strings or objects cannot be fed to a model (received an array of "
            f"dtype {array.dtype} and shape {array.shape}). Convert them to numbers first, "
            "e.g. with a StringLookup or TextVectorization layer outside the model."
        )
    if array.dtype == np.float64:
        array = array.astype(config.floatx())
    elif array.dtype == np.uint16 or array.dtype == np.uint32:
        array = array.astype(np.int64)
    return torch.from_numpy(np.ascontiguousarray(array))


def num_samples(structure: Any, names: tuple[str, ...] = ("x", "y", "sample_weight")) -> int:
    """The common first dimension of every array, or Keras's "cardinality" error."""
    sizes = {}
    for name, part in zip(names, structure, strict=False):
        flat = [t for t in tree.flatten(part) if t is not None]
        if flat:
            sizes[name] = sorted({int(t.shape[0]) for t in flat})
    distinct = {n for ns in sizes.values() for n in ns}
    if len(distinct) > 1:
        detail = "\n".join(
            f"'{name}' sizes: {', '.join(map(str, ns))}" for name, ns in sizes.items()
        )
        raise ValueError(
            "Data cardinality is ambiguous. Make sure all arrays contain the same number of "
            f"samples.\n{detail}"
        )
    return distinct.pop() if distinct else 0


def class_weights_to_sample_weights(y: torch.Tensor, class_weight: dict[int, float]) -> Any:
    """Per-sample weights from a `{class: weight}` dict and integer or one-hot labels."""
    if isinstance(y, (list, tuple, dict)):
        raise ValueError(
            "`class_weight` is only supported for models with a single output. Use "
            "`sample_weight` for multi-output models."
        )
    for key in class_weight:
        if not isinstance(key, (int, np.integer)) or isinstance(key, bool) or key < 0:
            raise ValueError(
                f"`class_weight` keys must be class indices (non-negative integers), but "
                f"received the key {key!r}. Received: class_weight={class_weight}"
            )
    labels = y.argmax(dim=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y))
    labels = labels.long()
    size = max(int(labels.max()) + 1, max(class_weight) + 1) if len(labels) else 0
    table = torch.ones(size, dtype=torch.float32)
    for cls, weight in class_weight.items():
        table[int(cls)] = float(weight)
    return table[labels]


class ArrayAdapter:
    """Batches of in-memory arrays: `(x, y, sample_weight)` structures of tensors."""

    def __init__(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        batch_size: int | None = None,
        shuffle: bool | str = True,
        class_weight: dict[int, float] | None = None,
        device: torch.device | None = None,
    ):
        data = tree.map_structure(to_tensor, (x, y, sample_weight))
        self.num_samples = num_samples(data)
        if self.num_samples == 0:
            shapes = [tuple(t.shape) for t in tree.flatten(data) if t is not None]
            raise ValueError(
                "Expected at least one sample in the data, but the arrays received have 0 "
                f"samples (shapes: {shapes}). Pass non-empty `x` (and `y`)."
            )
        self.class_weight = class_weight
        if class_weight is not None and data[1] is not None:
            weights = class_weights_to_sample_weights(data[1], class_weight)
            data = (data[0], data[1], weights if data[2] is None else data[2] * weights)
        self.batch_size = int(batch_size or 32)
        self.num_batches = math.ceil(self.num_samples / self.batch_size)
        self.shuffle = shuffle
        self.device = device or config.default_device()
        self._host_data: Any = data
        self._on_device = _fits_on(self.device, data)
        if self._on_device:
            data = tree.map_structure(lambda t: _move(t, self.device), data)
        elif self.device.type == "cuda":
            data = tree.map_structure(lambda t: t if t is None else t.pin_memory(), data)
        self.data = data
        # `x` one tensor, `y` and `sample_weight` one tensor or None: `take` skips the tree.
        self._flat = isinstance(data[0], torch.Tensor) and all(
            t is None or isinstance(t, torch.Tensor) for t in data[1:]
        )
        # Shuffling draws from this generator when set (the same seed on every process of
        # a data-parallel run, so that all agree on each epoch's permutation).
        self.generator: torch.Generator | None = None

    def batches(self) -> Iterator[tuple[Any, Any, Any]]:
        """One epoch of batches, shuffled as asked (`True`, `"batch"` or `False`)."""
        for selection in self.selections():
            yield self.take(selection)

    def selections(self) -> Iterator[slice | torch.Tensor]:
        """Which samples each batch of an epoch holds: a `slice`, or (shuffled) an index
        tensor. The permutations come from `generator` (the global RNG when `None`)."""
        n, size = self.num_samples, self.batch_size
        if self.shuffle == "batch":
            for b in torch.randperm(self.num_batches, generator=self.generator).tolist():
                yield slice(b * size, min((b + 1) * size, n))
            return
        if self.shuffle:
            index_device = self.device if self._on_device else torch.device("cpu")
            permutation = torch.randperm(n, device=index_device, generator=self.generator)
            for start in range(0, n, size):
                yield permutation[start : start + size]
            return
        for start in range(0, n, size):
            yield slice(start, min(start + size, n))

    def take(self, selection: slice | torch.Tensor) -> tuple[Any, Any, Any]:
        """The batch of the samples `selection` names, on the device."""
        if self._flat:  # x, y, sample_weight each one tensor (or None): sliced directly
            x, y, w = self.data
            if isinstance(selection, slice):
                batch = (
                    x[selection],
                    y if y is None else y[selection],
                    w if w is None else w[selection],
                )
            else:
                batch = (
                    x.index_select(0, selection),
                    y if y is None else y.index_select(0, selection),
                    w if w is None else w.index_select(0, selection),
                )
            return batch if self._on_device else self._to_device(batch)
        if isinstance(selection, slice):
            batch = tree.map_structure(lambda t: None if t is None else t[selection], self.data)
        else:
            batch = tree.map_structure(
                lambda t: None if t is None else t.index_select(0, selection), self.data
            )
        return self._to_device(batch)

    def take_host_data(self) -> tuple[Any, Any, Any]:
        """The whole `(x, y, sample_weight)` as given, before the move to the device (once:
        the adapter lets go of it, so that host copies are not kept during training)."""
        data, self._host_data = self._host_data, None
        return data if data is not None else self.data

    def first_batch(self) -> tuple[Any, Any, Any]:
        """The first `batch_size` samples (the data the model is built and checked on)."""
        size = min(self.batch_size, self.num_samples)
        return tree.map_structure(lambda t: None if t is None else t[:size], self.data)

    def on_epoch_end(self) -> None:
        """Nothing to do: each `batches()` call draws a new permutation."""

    def _to_device(self, batch: Any) -> Any:
        if self._on_device:
            return batch
        return tree.map_structure(
            lambda t: None if t is None else t.to(self.device, non_blocking=True), batch
        )


def _move(t: torch.Tensor | None, device: torch.device) -> torch.Tensor | None:
    return None if t is None else t.to(device)


def _fits_on(device: torch.device, data: Any) -> bool:
    if device.type != "cuda":
        return True
    total = sum(t.numel() * t.element_size() for t in tree.flatten(data) if t is not None)
    free, _ = torch.cuda.mem_get_info(device)
    return total < _DEVICE_MEMORY_FRACTION * free


def split_arrays(data: Any, validation_split: float) -> tuple[Any, Any]:
    """Keras's `validation_split`: the *last* fraction of the samples, before shuffling."""
    if not 0.0 < validation_split < 1.0:
        raise ValueError(
            f"`validation_split` must be a float between 0 and 1. Received: "
            f"validation_split={validation_split}"
        )
    tensors = tree.map_structure(to_tensor, data)
    n = num_samples(tensors)
    split_at = math.floor(n * (1.0 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`"
            ". Either provide more data, or a different value for the `validation_split` "
            "argument."
        )
    train = tree.map_structure(lambda t: None if t is None else t[:split_at], tensors)
    val = tree.map_structure(lambda t: None if t is None else t[split_at:], tensors)
    return train, val
