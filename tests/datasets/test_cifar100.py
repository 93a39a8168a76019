"""`datasets.cifar100` against a tar.gz of pickled `train`/`test` files, and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from kerastorch.datasets import cifar100
from tests.datasets.dataset_files import assert_same_data, write_pickled_tar


def _write(cache) -> None:
    rng = np.random.default_rng(3)
    members = {
        f"cifar-100-python/{name}": {
            "data": rng.integers(0, 256, (rows, 3072), dtype=np.uint8),
            "fine_labels": rng.integers(0, 100, rows).tolist(),
            "coarse_labels": rng.integers(0, 20, rows).tolist(),
        }
        for name, rows in (("train", 4), ("test", 2))
    }
    path = cache.path("cifar-100-python-target_archive")
    write_pickled_tar(path, members)
    cache.trust(cifar100, path)


def test_cifar100_label_modes(cache):
    _write(cache)
    (x_train, fine), _ = cifar100.load_data()
    (_, coarse), (x_test, _) = cifar100.load_data(label_mode="coarse")
    assert x_train.shape == (4, 32, 32, 3)
    assert x_test.shape == (2, 32, 32, 3)
    assert fine.shape == coarse.shape == (4, 1)
    assert int(coarse.max()) < 20


def test_cifar100_rejects_unknown_label_mode(cache):
    with pytest.raises(ValueError, match="label_mode=medium"):
        cifar100.load_data("medium")


@pytest.mark.parity
@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_matches_keras(cache, keras_datasets, label_mode):
    _write(cache)
    assert_same_data(cifar100.load_data(label_mode), keras_datasets.cifar100.load_data(label_mode))
