"""The word-index post-processing that `imdb` and `reuters` share, step for step as Keras.

Reviews and newswires are stored as lists of word ranks (1 = most frequent). Loading them
shifts every rank by `index_from`, prepends `start_char`, drops sequences of `maxlen` words or
more, and replaces the ranks outside `[skip_top, num_words)` with `oov_char` (or drops them
when `oov_char=None`).

Example:
    >>> xs = index_words([[1, 5], [2]], start_char=1, index_from=3)
    >>> xs
    [[1, 4, 8], [1, 5]]
    >>> limit_vocabulary(xs, num_words=6, skip_top=0, oov_char=2)
    [[1, 4, 2], [1, 5]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["index_words", "limit_vocabulary", "remove_long_seq"]


def index_words(xs: Sequence[Any], start_char: int | None, index_from: int) -> list[list[int]]:
    """Each sequence with its ranks shifted by `index_from` and `start_char` prepended."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return [list(x) for x in xs]


def remove_long_seq(maxlen: int, seq: Sequence[Any], label: Sequence[Any]) -> tuple[list, list]:
    """The sequences shorter than `maxlen` and their labels."""
    kept = [(x, y) for x, y in zip(seq, label, strict=False) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def limit_vocabulary(
    xs: list[list[int]], num_words: int | None, skip_top: int, oov_char: int | None
) -> list[list[int]]:
    """Ranks outside `[skip_top, num_words)` replaced by `oov_char` (dropped if it is `None`).

    `num_words=None` (or 0) keeps every word up to the largest index present.
    """
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]
