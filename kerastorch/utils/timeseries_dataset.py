"""`timeseries_dataset_from_array`: sliding windows over a series, batched for `fit`.

Window `i` starts at `start_index + p_i`, with `p_i = i * sequence_stride` for the
`end_index - start_index - (sequence_length - 1) * sampling_rate` possible starts (at most
`len(targets)`), and takes every `sampling_rate`-th step, `sequence_length` of them; its target
is `targets[start_index + p_i]`. Returns a `BatchLoader` (a torch `DataLoader`).

Example:
    >>> import numpy as np
    >>> data = timeseries_dataset_from_array(np.arange(10), None, sequence_length=3,
    ...                                      sequence_stride=3, batch_size=2)
    >>> [batch.tolist() for batch in data]
    [[[0, 1, 2], [3, 4, 5]], [[6, 7, 8]]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from kerastorch.utils.batch_loader import BatchLoader, check_format


class TimeseriesWindows(Dataset):
    """Window `i` of `data` (and its target): `data[start + p_i + k * sampling_rate]`."""

    def __init__(
        self,
        data: torch.Tensor,
        targets: torch.Tensor | None,
        positions: np.ndarray,
        sequence_length: int,
        sampling_rate: int,
        start_index: int,
    ):
        self.data, self.targets = data, targets
        self.starts = torch.as_tensor(positions + start_index, dtype=torch.int64)
        self.offsets = torch.arange(sequence_length, dtype=torch.int64) * sampling_rate

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> Any:
        start = self.starts[index]
        window = self.data[start + self.offsets]
        return window if self.targets is None else (window, self.targets[start])


def _check_arguments(
    length: int, sequence_stride: int, sampling_rate: int, start_index: Any, end_index: Any
) -> None:
    if start_index:
        if start_index < 0:
            raise ValueError(
                f"`start_index` must be 0 or greater. Received: start_index={start_index}"
            )
        if start_index >= length:
            raise ValueError(
                "`start_index` must be lower than the length of the data. Received: "
                f"start_index={start_index}, for data of length {length}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= length:
            raise ValueError(
                "`end_index` must be lower than the length of the data. Received: "
                f"end_index={end_index}, for data of length {length}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= length:
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: "
                f"{name}={value}, for data of length {length}"
            )


def timeseries_dataset_from_array(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
    format: str = "tf",
) -> BatchLoader:
    """A dataset of sliding windows over `data` (and their targets), in batches.

    Args:
        data: an array or tensor of timesteps (axis 0 is time).
        targets: the target of the window starting at each step (`targets[i]` for the
            window starting at `data[i]`), or None to yield windows only.
        sequence_length: the number of steps in a window.
        sequence_stride: the distance between the starts of consecutive windows.
        sampling_rate: the distance between consecutive steps within a window.
        batch_size: windows per batch; None yields single windows.
        shuffle: shuffle the windows (their starts with `np.random.RandomState(seed)`, as
            Keras does, then the batches again at each epoch).
        seed: the shuffling seed.
        start_index: the first step used (inclusive).
        end_index: the last step used (exclusive).
        format: `"tf"` or `"grain"`, accepted for Keras's signature: either way the result
            is a `BatchLoader`.

    Returns:
        A `BatchLoader` yielding `(windows, targets)` (or windows) as torch tensors, with the
        dtypes of `data` and `targets`.
    """
    _check_arguments(len(data), sequence_stride, sampling_rate, start_index, end_index)
    check_format(format)
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)

    def as_tensor(x: Any) -> torch.Tensor:
        return x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x))

    windows = TimeseriesWindows(
        as_tensor(data)[:end_index],
        None if targets is None else as_tensor(targets),
        positions,
        sequence_length,
        sampling_rate,
        start_index,
    )
    return BatchLoader(windows, batch_size=batch_size, shuffle=shuffle, seed=seed)


__all__ = ["timeseries_dataset_from_array"]
