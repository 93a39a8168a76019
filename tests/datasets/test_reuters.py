"""`datasets.reuters` against a ragged npz and a json index in Keras's format, and Keras."""

from __future__ import annotations

import numpy as np
import pytest

from kerastorch.datasets import reuters
from tests.datasets.dataset_files import assert_same_data, ragged, write_word_index


def _write(cache) -> None:
    rng = np.random.default_rng(5)
    path = cache.path("reuters.npz")
    np.savez(path, x=ragged(rng, 10), y=rng.integers(0, 46, 10))
    cache.trust(reuters, path)


CASES = [
    {},
    {"num_words": 12, "skip_top": 3},
    {"oov_char": None, "num_words": 9},
    {"maxlen": 7, "test_split": 0.3},
    {"start_char": None, "index_from": 0, "seed": 1},
]


def test_reuters_load_data_splits(cache):
    _write(cache)
    (x_train, y_train), (x_test, y_test) = reuters.load_data(test_split=0.3)
    assert len(x_train) == 7
    assert len(x_test) == 3
    assert y_train.dtype == y_test.dtype == np.int64


def test_reuters_label_names():
    names = reuters.get_label_names()
    assert len(names) == 46
    assert names[3] == "earn"


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", CASES, ids=[str(sorted(c.items())) for c in CASES])
def test_reuters_matches_keras(cache, keras_datasets, kwargs):
    _write(cache)
    assert_same_data(reuters.load_data(**kwargs), keras_datasets.reuters.load_data(**kwargs))


@pytest.mark.parity
def test_reuters_word_index_and_labels_match_keras(cache, keras_datasets):
    path = cache.path("reuters_word_index.json")
    write_word_index(path, words=12)
    cache.trust(reuters, path, "_INDEX_HASH")
    assert reuters.get_word_index() == keras_datasets.reuters.get_word_index()
    assert reuters.get_label_names() == keras_datasets.reuters.get_label_names()
