"""`PyDataset` (and its tf.keras name `Sequence`): a batch-indexed dataset for `fit`.

Example:
    >>> import numpy as np
    >>> class Batches(PyDataset):
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, index):
    ...         return np.ones((4, 2), "float32") * index, np.zeros((4, 1), "float32")
    >>> len(Batches()), float(Batches()[2][0][0, 0])
    (3, 2.0)
"""

from __future__ import annotations

from typing import Any


class PyDataset:
    """Base class for datasets that return whole batches by index.

    Subclasses implement `__getitem__(index)` (a batch: `x`, `(x, y)` or
    `(x, y, sample_weight)`) and `__len__()` (the number of batches), and may override
    `on_epoch_end()`. `workers`, `use_multiprocessing` and `max_queue_size` are accepted
    for compatibility; batches are read in the training process.
    """

    def __init__(
        self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10
    ):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__getitem__(index)`, returning a batch."
        )

    def __len__(self) -> int:
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__len__()`, the number of batches."
        )

    @property
    def num_batches(self) -> int | None:
        return len(self)

    def on_epoch_end(self) -> None:
        """Called at the end of each epoch (e.g. to reshuffle)."""

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def use_multiprocessing(self) -> bool:
        return self._use_multiprocessing

    @property
    def max_queue_size(self) -> int:
        return self._max_queue_size


Sequence = PyDataset
