"""Data for the examples: the real Keras dataset when it is cached, else a small synthetic one.

`KERASTORCH_EXAMPLE_DATA=real` always loads the real dataset (downloading it into Keras's
cache, `~/.keras/datasets` or `$KERAS_HOME/datasets`, if needed); `=synthetic` always uses
small synthetic data (what CI runs, offline and in seconds); unset, the examples use the
real dataset when its file is already cached and synthetic data otherwise.

The synthetic sets have the real ones' shapes and dtypes and learnable labels: each class
draws a different bright patch (images) or a different band of word indices (text).
"""

from __future__ import annotations

import os

import numpy as np


def use_real_data(fname: str) -> bool:
    """Whether to load the real dataset stored in Keras's cache as `fname`."""
    choice = os.environ.get("KERASTORCH_EXAMPLE_DATA", "")
    if choice not in ("", "real", "synthetic"):
        raise ValueError(
            f"KERASTORCH_EXAMPLE_DATA must be 'real' or 'synthetic'; received {choice!r}"
        )
    if choice:
        return choice == "real"
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.exists(os.path.join(home, "datasets", fname))


def synthetic_images(
    n: int, shape: tuple[int, ...], classes: int = 10, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """`n` uint8 images of `shape` (H, W) or (H, W, C) and uint8 labels: class k has a bright
    patch at its own place, on noise (in colour images, in its own channel too)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n).astype("uint8")
    images = rng.integers(0, 80, size=(n, *shape)).astype("uint8")
    height, width = shape[0], shape[1]
    size = max(2, min(height, width) // 4)
    for k in range(classes):
        row = (k * 7 % (height - size)) if height > size else 0
        col = (k * 11 % (width - size)) if width > size else 0
        if len(shape) == 3:
            images[labels == k, row : row + size, col : col + size, k % shape[2]] = 255
        else:
            images[labels == k, row : row + size, col : col + size] = 255
    return images, labels


def synthetic_reviews(
    n: int, num_words: int, length: int = 80, seed: int = 0
) -> tuple[list[list[int]], np.ndarray]:
    """`n` word-index lists (IMDB style: 1 = start, indices from 4) and 0/1 labels: positive
    reviews use the upper half of the vocabulary more often."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n).astype("int64")
    half = num_words // 2
    reviews = []
    for label in labels:
        size = int(rng.integers(length // 2, length))
        common = rng.integers(4, num_words, size=size)
        marked = rng.integers(half, num_words, size=size) if label else rng.integers(4, half, size)
        reviews.append([1, *np.where(rng.random(size) < 0.3, marked, common).tolist()])
    return reviews, labels
