"""Keras's epoch iterator: the batches of one epoch, `steps_per_epoch` included.

Without `steps_per_epoch`, each epoch is one pass over the data. With it, epochs continue
the same pass: a pass over `N` batches is restarted once all `N` were seen, and an epoch
that would need more batches than are left is cut short with Keras's "ran out of data"
warning.

Example:
    >>> import numpy as np
    >>> from kerastorch.trainers.data_adapters import get_data_adapter
    >>> data = get_data_adapter(np.zeros((12, 2)), None, None, 2, False)  # 6 batches
    >>> iterator = EpochIterator(data, steps_per_epoch=3)
    >>> [step for step, _ in iterator.epoch()], [step for step, _ in iterator.epoch()]
    ([0, 1, 2], [0, 1, 2])
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

_RAN_OUT = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or "
    "generator can generate at least `steps_per_epoch * epochs` batches."
)


class EpochIterator:
    """Yields `(step, batch)` for one epoch at a time from a data adapter.

    Args:
        data: a data adapter (`batches()`, `num_batches`, `on_epoch_end()`).
        steps_per_epoch: batches per epoch; `None` for one full pass per epoch.
    """

    def __init__(self, data: Any, steps_per_epoch: int | None):
        self.data = data
        self.steps_per_epoch = steps_per_epoch
        self.num_batches = data.num_batches
        self._iterator: Iterator[Any] | None = None
        self._seen = 0

    def epoch(self) -> Iterator[tuple[int, Any]]:
        """The `(step, batch)` pairs of the next epoch."""
        if self._iterator is None or self.steps_per_epoch is None:
            self._iterator, self._seen = iter(self.data.batches()), 0
        limit = self.steps_per_epoch or self.num_batches
        step = 0
        while limit is None or step < limit:
            if self.num_batches and self._seen >= self.num_batches:
                warnings.warn(_RAN_OUT, stacklevel=3)
                break
            batch = next(self._iterator, None)
            if batch is None:
                if self.steps_per_epoch is not None or step == 0:
                    warnings.warn(_RAN_OUT, stacklevel=3)
                self._iterator = None
                break
            self._seen += 1
            yield step, batch
            step += 1
        if self.num_batches and self._seen >= self.num_batches:
            self._iterator, self._seen = None, 0

    def end_epoch(self) -> None:
        """Tell the data that an epoch ended (array data reshuffles here)."""
        self.data.on_epoch_end()


__all__ = ["EpochIterator"]
