"""`datasets.imdb` against a ragged npz and a json index in Keras's format, and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from kerastorch.datasets import imdb
from tests.datasets.dataset_files import assert_same_data, ragged, write_word_index


def _write(cache, name: str = "imdb.npz") -> None:
    rng = np.random.default_rng(4)
    path = cache.path(name)
    np.savez(
        path,
        x_train=ragged(rng, 8),
        y_train=rng.integers(0, 2, 8),
        x_test=ragged(rng, 6),
        y_test=rng.integers(0, 2, 6),
    )
    cache.trust(imdb, path)


CASES = [
    {},
    {"num_words": 10},
    {"num_words": 15, "skip_top": 4},
    {"num_words": 10, "oov_char": None},
    {"maxlen": 6},
    {"start_char": None, "index_from": 0},
    {"start_char": None, "index_from": 2, "seed": 7},
]


def test_imdb_load_data_encodes_sequences(cache):
    _write(cache)
    (x_train, y_train), (x_test, _) = imdb.load_data(num_words=10, oov_char=2)
    assert x_train.dtype == object
    assert x_train.shape == (8,)
    assert x_test.shape == (6,)
    assert y_train.dtype == np.int64
    assert all(x[0] == 1 and max(x) < 10 for x in x_train)


def test_imdb_rejects_unknown_keyword_and_empty_maxlen(cache):
    _write(cache)
    with pytest.raises(TypeError, match="nb_words"):
        imdb.load_data(nb_words=10)
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(maxlen=1)


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", CASES, ids=[str(sorted(c.items())) for c in CASES])
def test_imdb_matches_keras(cache, keras_datasets, kwargs):
    _write(cache)
    assert_same_data(imdb.load_data(**kwargs), keras_datasets.imdb.load_data(**kwargs))


@pytest.mark.parity
def test_imdb_word_index_matches_keras(cache, keras_datasets):
    path = cache.path("imdb_word_index.json")
    expected = write_word_index(path)
    cache.trust(imdb, path, "_INDEX_HASH")
    assert imdb.get_word_index() == keras_datasets.imdb.get_word_index() == expected
