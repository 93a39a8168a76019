"""IMDB movie-review sentiment, as `keras.datasets.imdb`: reviews as lists of word indices.

Example:
    >>> from kerastorch.datasets import imdb
    >>> imdb.load_data(nb_words=100)
    Traceback (most recent call last):
    ...
    TypeError: imdb.load_data() got unexpected keyword arguments: ['nb_words']
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from kerastorch.datasets.npz_utils import load_npz
from kerastorch.datasets.sequence_utils import index_words, limit_vocabulary, remove_long_seq
from kerastorch.utils.file_utils import get_file

__all__ = ["get_word_index", "load_data"]

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(
    path: str = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs: Any,
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load the 25,000 training and 25,000 test IMDB reviews, labelled 0 or 1.

    Each set is shuffled with `np.random.RandomState(seed)`; words are ranked by frequency.

    Args:
        path: The file name in the cache (`~/.keras/datasets`).
        num_words: Keep the `num_words` most frequent words; others become `oov_char`.
        skip_top: Replace the `skip_top` most frequent words by `oov_char` too.
        maxlen: Drop the sequences of `maxlen` words or more (after `start_char`).
        seed: The shuffling seed.
        start_char: Marks the start of every sequence (`None`: no marker).
        oov_char: Replaces the words cut out (`None`: they are dropped).
        index_from: Shift the word ranks by this much.
        **kwargs: Accepted for Keras's signature; any given is an error.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of int, and the
        labels as stored (`int64`).
    """
    if kwargs:
        raise TypeError(f"imdb.load_data() got unexpected keyword arguments: {sorted(kwargs)}")
    path = get_file(fname=path, origin=f"{_BASE}imdb.npz", file_hash=_FILE_HASH)
    arrays = load_npz(path)
    rng = np.random.RandomState(seed)
    splits = []
    for name in ("train", "test"):
        x, labels = arrays[f"x_{name}"], arrays[f"y_{name}"]
        indices = np.arange(len(x))
        rng.shuffle(indices)
        splits.append((index_words(x[indices], start_char, index_from), labels[indices]))
    (x_train, labels_train), (x_test, labels_test) = splits
    if maxlen:
        x_train, labels_train = remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = remove_long_seq(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
                "kept. Increase maxlen."
            )
    xs = limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    idx = len(x_train)
    return (
        (np.array(xs[:idx], dtype="object"), labels[:idx]),
        (np.array(xs[idx:], dtype="object"), labels[idx:]),
    )


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """The word -> rank dictionary of the IMDB dataset (ranks before `index_from`)."""
    path = get_file(fname=path, origin=f"{_BASE}imdb_word_index.json", file_hash=_INDEX_HASH)
    with open(path) as f:
        return json.load(f)
