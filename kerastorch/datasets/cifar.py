"""Reading the pickled CIFAR batches (`data_batch_1`, ..., `test_batch`, `train`, `test`).

Each batch is a pickled dict with bytes keys: `b"data"` holds `(n, 3072)` `uint8` rows
(channels, then rows, then columns) and `b"labels"` (CIFAR-10) or `b"fine_labels"` /
`b"coarse_labels"` (CIFAR-100) the labels. Only NumPy arrays may be unpickled.

Example:
    >>> import os, pickle, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "batch")
    >>> with open(path, "wb") as f:
    ...     pickle.dump({b"data": np.zeros((2, 3072), "uint8"), b"labels": [3, 5]}, f)
    >>> data, labels = load_batch(path)
    >>> data.shape, labels
    ((2, 3, 32, 32), [3, 5])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerastorch import config
from kerastorch.datasets.npz_utils import RestrictedUnpickler

__all__ = ["load_batch", "to_image_data_format"]


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, Any]:
    """`(data, labels)` of one batch file: data as `(n, 3, 32, 32)`, labels as stored."""
    with open(fpath, "rb") as f:
        batch = RestrictedUnpickler(f, encoding="bytes").load()
    batch = {key.decode("utf8"): value for key, value in batch.items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def to_image_data_format(x: np.ndarray) -> np.ndarray:
    """`x` (`(n, 3, 32, 32)`) as `(n, 32, 32, 3)` under `channels_last` (the default)."""
    return x.transpose(0, 2, 3, 1) if config.image_data_format() == "channels_last" else x
