"""Tiny dataset files in Keras's exact formats, and the comparison of two loaders' results."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import struct
import tarfile

import numpy as np


def ragged(rng: np.random.Generator, n: int, vocab: int = 30, longest: int = 9) -> np.ndarray:
    """An object array of `n` lists of word ranks in `[1, vocab)` (lengths 1..longest)."""
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = rng.integers(1, vocab, size=rng.integers(1, longest + 1)).tolist()
    return out


def write_word_index(path: str, words: int = 30) -> dict[str, int]:
    index = {f"word{i}": i for i in range(1, words)}
    with open(path, "w") as f:
        json.dump(index, f)
    return index


def write_idx_gz(path: str, array: np.ndarray) -> None:
    """An idx-ubyte file, gzipped: magic (0, 0, 8 = ubyte, ndim), the dims, then the bytes."""
    header = struct.pack(">4B", 0, 0, 8, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype("uint8").tobytes())


def write_pickled_tar(path: str, members: dict[str, dict]) -> None:
    """A `.tar.gz` of pickled dicts (bytes keys), as in the CIFAR python archives."""
    with tarfile.open(path, "w:gz") as archive:
        for name, batch in members.items():
            data = pickle.dumps({key.encode(): value for key, value in batch.items()})
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def assert_same_data(ours, theirs) -> None:
    """`((x_train, y_train), (x_test, y_test))` equal in structure, dtype, shape and values."""
    assert isinstance(ours, tuple)
    assert len(ours) == len(theirs) == 2
    for our_split, their_split in zip(ours, theirs, strict=True):
        assert isinstance(our_split, tuple)
        assert len(our_split) == len(their_split) == 2
        for a, b in zip(our_split, their_split, strict=True):
            assert type(a) is type(b)
            assert a.dtype == b.dtype
            assert a.shape == b.shape
            assert a.tolist() == b.tolist()
