"""`datasets.boston_housing` against an npz in Keras's format, and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from kerastorch.datasets import boston_housing
from tests.datasets.dataset_files import assert_same_data


def _write(cache) -> None:
    rng = np.random.default_rng(6)
    path = cache.path("boston_housing.npz")
    np.savez(path, x=rng.normal(size=(20, 13)), y=rng.normal(size=20))
    cache.trust(boston_housing, path)


def test_boston_housing_split_shapes(cache):
    _write(cache)
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    assert x_train.shape == (16, 13)
    assert y_train.shape == (16,)
    assert x_test.shape == (4, 13)
    assert y_test.dtype == np.float64


def test_boston_housing_rejects_bad_test_split(cache):
    with pytest.raises(ValueError, match=r"Invalid `test_split` argument: 1\.5"):
        boston_housing.load_data(test_split=1.5)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"test_split": 0.35, "seed": 3}, {"test_split": 0}])
def test_boston_housing_matches_keras(cache, keras_datasets, kwargs):
    _write(cache)
    ours = boston_housing.load_data(**kwargs)
    assert_same_data(ours, keras_datasets.boston_housing.load_data(**kwargs))
