"""Vocabularies in and out of the lookup layers: plain lists, and Keras's `vocabulary.txt`.

`flat_list` and `listify` turn the vocabularies and IDF weights users pass (lists, NumPy
arrays, tensors) into Python lists. `write_vocabulary_file` / `read_vocabulary_file` are the
asset Keras 3 writes for an adapted `StringLookup`, `IntegerLookup` or `TextVectorization`
in a `.keras` archive: `vocabulary.txt`, every token (special tokens included) as text, one
a line, joined by `"\\n"` without a final newline, UTF-8.

Example:
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_vocabulary_file(folder, ["", "[UNK]", "the", 7], "text_vectorization")
    >>> with open(f"{folder}/vocabulary.txt", "rb") as f:
    ...     f.read()
    b'\\n[UNK]\\nthe\\n7'
    >>> read_vocabulary_file(folder)
    ['', '[UNK]', 'the', '7']
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import torch

__all__ = [
    "VOCABULARY_FILENAME",
    "flat_list",
    "listify",
    "read_vocabulary_file",
    "write_vocabulary_file",
]

VOCABULARY_FILENAME = "vocabulary.txt"


def flat_list(values: Any) -> list[Any]:
    """A list of the values of a list, tuple, NumPy array or tensor (arrays flattened)."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    if isinstance(values, np.ndarray):
        return values.ravel().tolist()
    return list(values)


def listify(values: Any) -> Any:
    """JSON-ready values for a config: arrays and tensors as (nested) lists."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    if isinstance(values, np.ndarray):
        return values.tolist()
    return list(values) if isinstance(values, tuple) else values


def write_vocabulary_file(dir_path: str, tokens: list[Any], layer_name: str) -> None:
    """Write `dir_path/vocabulary.txt` as Keras's lookup layers do (`str` of each token).

    Raises:
        ValueError: a token holds a line break: it could not be read back as one token
            (Keras writes such a file anyway and reads back a different vocabulary).
    """
    lines = [str(token) for token in tokens]
    broken = [line for line in lines if "\n" in line or "\r" in line]
    if broken:
        raise ValueError(
            f"Layer '{layer_name}': cannot save the vocabulary to '{VOCABULARY_FILENAME}' (one "
            f"token a line): tokens {broken[:5]} contain line breaks. Pass the vocabulary to "
            "the layer's constructor instead: it is then saved in the config."
        )
    path = os.path.join(dir_path, VOCABULARY_FILENAME)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


def read_vocabulary_file(dir_path: str) -> list[str]:
    """The lines of `dir_path/vocabulary.txt`, trailing empty lines dropped (as Keras).

    Lines split on `"\\n"` (and Windows line ends) only: unlike Keras's `splitlines`, tokens
    holding other Unicode line separators (`"\\x1c"`, `"\\u2028"`, ...) stay whole.
    """
    with open(os.path.join(dir_path, VOCABULARY_FILENAME), encoding="utf-8") as f:
        lines = f.read().split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return lines
