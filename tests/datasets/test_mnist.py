"""`datasets.mnist` against an npz written in Keras's format, offline errors, and Keras."""

from __future__ import annotations

import os

import numpy as np
import pytest

from kerastorch.datasets import mnist
from tests.datasets.dataset_files import assert_same_data


def _write(cache, name: str = "mnist.npz") -> tuple[str, dict[str, np.ndarray]]:
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 5, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 3, dtype=np.uint8),
    }
    path = cache.path(name)
    np.savez(path, **arrays)
    return path, arrays


def test_mnist_load_data_reads_the_cached_file(cache):
    path, arrays = _write(cache)
    cache.trust(mnist, path)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    for name, value in zip(arrays, (x_train, y_train, x_test, y_test), strict=True):
        assert value.dtype == np.uint8
        np.testing.assert_array_equal(value, arrays[name])


def test_mnist_offline_error_names_url_and_path(cache):
    with pytest.raises(OSError) as info:
        mnist.load_data()
    message = str(info.value)
    assert mnist._ORIGIN in message
    assert os.path.join(cache.home, "datasets", "mnist.npz") in message
    assert "copy it by hand" in message


def test_mnist_cached_file_with_another_hash_is_kept(cache, capsys):
    path, _ = _write(cache)
    with open(path, "rb") as f:
        before = f.read()
    with pytest.raises(OSError, match="URL fetch failure"):
        mnist.load_data()
    assert "hash does not match" in capsys.readouterr().out
    with open(path, "rb") as f:
        assert f.read() == before


@pytest.mark.parity
@pytest.mark.parametrize("name", ["mnist.npz", "my_mnist.npz"])
def test_mnist_matches_keras(cache, keras_datasets, name):
    path, _ = _write(cache, name)
    cache.trust(mnist, path)
    assert_same_data(mnist.load_data(name), keras_datasets.mnist.load_data(name))
