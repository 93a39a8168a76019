"""Reading the datasets' `.npz` files without letting a file run code.

The IMDB and Reuters files hold ragged sequences as NumPy object arrays, which `.npz` stores
as pickles. `load_npz` reads numeric arrays with pickling off and object arrays through an
unpickler that can rebuild NumPy arrays and nothing else (as Keras's `npz_utils` does), so a
crafted file cannot execute code the way `np.load(path, allow_pickle=True)` would let it.

Example:
    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "a.npz")
    >>> ragged = np.array([[1, 2], [3]], dtype=object)
    >>> np.savez(path, x=ragged, y=np.arange(2))
    >>> arrays = load_npz(path)
    >>> arrays["x"].tolist(), arrays["y"].tolist()
    ([[1, 2], [3]], [0, 1])
"""

from __future__ import annotations

import io
import pickle
import zipfile
from typing import Any

import numpy as np

__all__ = ["RestrictedUnpickler", "load_npy_member", "load_npz"]

_ALLOWED_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that rebuilds NumPy arrays and refuses every other global."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to deserialize `{module}.{name}` while loading a Keras dataset. The "
            "file may be corrupted or malicious."
        )


def load_npy_member(fp: io.BytesIO) -> np.ndarray:
    """One `.npy` stream: numeric arrays with pickling off, object arrays restricted."""
    try:
        return np.lib.format.read_array(fp, allow_pickle=False)
    except ValueError:
        fp.seek(0)
        version = np.lib.format.read_magic(fp)
        if version[0] == 1:
            np.lib.format.read_array_header_1_0(fp)
        elif version[0] in (2, 3):
            np.lib.format.read_array_header_2_0(fp)
        else:
            raise ValueError(f"Unsupported `.npy` file version: {version}.") from None
        return RestrictedUnpickler(fp).load()


def load_npz(path: str) -> dict[str, np.ndarray]:
    """The arrays of the `.npz` file at `path`, by name (object arrays restricted)."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    buffer = io.BytesIO(raw.read())
                arrays[member[: -len(".npy")]] = load_npy_member(buffer)
    return arrays
