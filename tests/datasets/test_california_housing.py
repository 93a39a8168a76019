"""`datasets.california_housing` against an npz in Keras's format, and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from kerastorch.datasets import california_housing
from tests.datasets.dataset_files import assert_same_data


def _write(cache) -> None:
    rng = np.random.default_rng(7)
    path = cache.path("california_housing.npz")
    x, y = rng.normal(size=(650, 8)).astype("float32"), rng.normal(size=650).astype("float32")
    np.savez(path, x=x, y=y)
    cache.trust(california_housing, path)


def test_california_housing_versions(cache):
    _write(cache)
    (x_train, _), (x_test, y_test) = california_housing.load_data()
    assert x_train.shape == (520, 8)
    assert x_test.shape == (130, 8)
    assert y_test.dtype == np.float32
    (x_small, _), _ = california_housing.load_data("small")
    assert x_small.shape == (480, 8)


def test_california_housing_rejects_unknown_version(cache):
    _write(cache)
    with pytest.raises(ValueError, match="version=medium"):
        california_housing.load_data("medium")


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs", [{}, {"version": "small"}, {"version": "small", "test_split": 0.5, "seed": 0}]
)
def test_california_housing_matches_keras(cache, keras_datasets, kwargs):
    _write(cache)
    ours = california_housing.load_data(**kwargs)
    assert_same_data(ours, keras_datasets.california_housing.load_data(**kwargs))
