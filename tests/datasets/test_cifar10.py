"""`datasets.cifar10` against a tar.gz of pickled batches in Keras's format, and Keras."""

from __future__ import annotations

import os

import numpy as np
import pytest

from kerastorch import config
from kerastorch.datasets import cifar10
from tests.datasets.dataset_files import write_pickled_tar

FOLDER = "cifar-10-batches-py"


def _write(cache, rows: int = 1) -> str:
    rng = np.random.default_rng(2)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    members = {
        f"{FOLDER}/{name}": {
            "data": rng.integers(0, 256, (rows, 3072), dtype=np.uint8),
            "labels": rng.integers(0, 10, rows).tolist(),
        }
        for name in names
    }
    path = cache.path("cifar-10-batches-py-target_archive")
    write_pickled_tar(path, members)
    cache.trust(cifar10, path)
    return path


def test_cifar10_load_data_shapes_and_layout(cache):
    _write(cache, rows=2)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3)
    assert y_train.shape == (10, 1)
    assert x_test.shape == (2, 32, 32, 3)
    assert y_test.shape == (2, 1)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype("uint8")}
    assert os.path.isdir(os.path.join(cache.home, "datasets", "cifar-10-batches-py-target"))


def test_cifar10_channels_first(cache):
    _write(cache)
    previous = config.image_data_format()
    config.set_image_data_format("channels_first")
    try:
        (x_train, _), (x_test_first, _) = cifar10.load_data()
    finally:
        config.set_image_data_format(previous)
    assert x_train.shape == (5, 3, 32, 32)
    np.testing.assert_array_equal(x_test_first.transpose(0, 2, 3, 1), cifar10.load_data()[1][0])


def test_cifar10_offline_error_names_the_archive_path(cache):
    with pytest.raises(OSError) as info:
        cifar10.load_data()
    assert os.path.join(cache.home, "datasets", "cifar-10-batches-py-target_archive") in str(
        info.value
    )


@pytest.mark.parity
def test_cifar10_matches_keras(cache, keras_datasets):
    # Keras fills preallocated (50000, ...) arrays batch by batch; one-row batches broadcast,
    # so its row 10000 * i repeats batch i + 1. Ours concatenates the batches as they are.
    _write(cache)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    (kx_train, ky_train), (kx_test, ky_test) = keras_datasets.cifar10.load_data()
    for ours, theirs in ((x_train, kx_train[::10000]), (y_train, ky_train[::10000])):
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)
    for ours, theirs in ((x_test, kx_test), (y_test, ky_test)):
        assert ours.dtype == theirs.dtype
        assert ours.shape == theirs.shape
        np.testing.assert_array_equal(ours, theirs)
