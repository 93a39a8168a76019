"""Reuters newswire topics (46 classes), as `keras.datasets.reuters`.

Example:
    >>> from kerastorch.datasets import reuters
    >>> names = reuters.get_label_names()
    >>> len(names), names[:3]
    (46, ('cocoa', 'grain', 'veg-oil'))
"""

from __future__ import annotations

import json

import numpy as np

from kerastorch.datasets.npz_utils import load_npz
from kerastorch.datasets.sequence_utils import index_words, limit_vocabulary, remove_long_seq
from kerastorch.utils.file_utils import get_file

__all__ = ["get_label_names", "get_word_index", "load_data"]

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
_LABELS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip


def load_data(
    path: str = "reuters.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Load the 11,228 Reuters newswires as lists of word indices, labelled with 46 topics.

    The newswires are shuffled with `np.random.RandomState(seed)`, processed as in
    `imdb.load_data` (same arguments), then split: the last `test_split` of them are the
    test set.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of int, and int labels.
    """
    path = get_file(fname=path, origin=f"{_BASE}reuters.npz", file_hash=_FILE_HASH)
    arrays = load_npz(path)
    xs, labels = arrays["x"], arrays["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = index_words(xs[indices], start_char, index_from), labels[indices]
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    xs = limit_vocabulary(xs, num_words, skip_top, oov_char)
    idx = int(len(xs) * (1 - test_split))
    return (
        (np.array(xs[:idx], dtype="object"), np.array(labels[:idx])),
        (np.array(xs[idx:], dtype="object"), np.array(labels[idx:])),
    )


def get_word_index(path: str = "reuters_word_index.json") -> dict[str, int]:
    """The word -> rank dictionary of the Reuters dataset (ranks before `index_from`)."""
    path = get_file(path, origin=f"{_BASE}reuters_word_index.json", file_hash=_INDEX_HASH)
    with open(path) as f:
        return json.load(f)


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names, indexed by label."""
    return _LABELS
