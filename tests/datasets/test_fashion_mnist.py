"""`datasets.fashion_mnist` against idx-ubyte.gz files written in Keras's format, and Keras."""

from __future__ import annotations

import os

import numpy as np
import pytest

from kerastorch.datasets import fashion_mnist
from tests.datasets.dataset_files import assert_same_data, write_idx_gz


def _write(cache) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    arrays = {
        "train-labels-idx1-ubyte.gz": rng.integers(0, 10, 4),
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (4, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, 2),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (2, 28, 28)),
    }
    for name, array in arrays.items():
        write_idx_gz(cache.path("fashion-mnist", name), array)
    return arrays


def test_fashion_mnist_load_data_reads_the_cached_files(cache):
    arrays = list(_write(cache).values())
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (4, 28, 28)
    assert x_test.shape == (2, 28, 28)
    for ours, expected in zip((y_train, x_train, y_test, x_test), arrays, strict=True):
        assert ours.dtype == np.uint8
        np.testing.assert_array_equal(ours, expected)


def test_fashion_mnist_offline_error_names_the_missing_file(cache):
    with pytest.raises(OSError) as info:
        fashion_mnist.load_data()
    expected = os.path.join(cache.home, "datasets", "fashion-mnist", "train-labels-idx1-ubyte.gz")
    assert expected in str(info.value)


@pytest.mark.parity
def test_fashion_mnist_matches_keras(cache, keras_datasets):
    _write(cache)
    assert_same_data(fashion_mnist.load_data(), keras_datasets.fashion_mnist.load_data())
