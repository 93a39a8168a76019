"""`PyDataset` / `Sequence`: batch-indexed datasets for `fit`."""

import numpy as np
import pytest

import kerastorch
from kerastorch.common.py_dataset import PyDataset, Sequence


class Squares(PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.ended = 0

    def __len__(self):
        return 4

    def __getitem__(self, index):
        x = np.full((3, 2), index, dtype="float32")
        return x, x.sum(axis=1, keepdims=True)

    def on_epoch_end(self):
        self.ended += 1


def test_py_dataset_exposes_its_options():
    data = Squares(workers=2, use_multiprocessing=True, max_queue_size=5)
    assert (data.workers, data.use_multiprocessing, data.max_queue_size) == (2, True, 5)
    assert data.num_batches == 4
    assert Sequence is PyDataset


def test_py_dataset_requires_len_and_getitem():
    with pytest.raises(NotImplementedError, match="must implement `__len__"):
        len(PyDataset())
    with pytest.raises(NotImplementedError, match="must implement `__getitem__"):
        PyDataset()[0]


def test_py_dataset_trains_and_ends_each_epoch():
    data = Squares()
    model = kerastorch.Sequential([kerastorch.Input((2,)), kerastorch.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(data, epochs=2, verbose=0)
    assert history.params["steps"] == 4
    assert data.ended == 3  # once after the first batch is read, then after each epoch
    assert model.predict(data, verbose=0).shape == (12, 1)


def test_py_dataset_shuffle_visits_every_batch():
    seen = []

    class Recording(Squares):
        def __getitem__(self, index):
            seen.append(index)
            return super().__getitem__(index)

    model = kerastorch.Sequential([kerastorch.Input((2,)), kerastorch.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(Recording(), epochs=1, shuffle=True, verbose=0)
    assert sorted(seen[1:]) == [0, 1, 2, 3]  # seen[0]: the first batch, read to build
