"""The `assets/` part of a `.keras` archive: files that objects write with `save_assets`.

Keras 3 gives every saveable object that has `save_assets(dir_path)` a folder of its own
inside the archive's `assets/` directory, at the same inner path as its variables in
`model.weights.h5` (`assets/layers/string_lookup/vocabulary.txt`; the model itself writes
into `assets/` directly). On load, `load_assets(dir_path)` receives that folder. The
objects write and read real files, so both sides go through a temporary directory that is
removed afterwards; the archive holds only the files (no folder entries), as Keras writes.

Reading refuses member names that leave `assets/` (`..`, backslashes, drive letters) and
members that would decompress to far more than they store (`saving_lib._read_member`).

Example:
    >>> import os
    >>> class Notes:
    ...     def save_assets(self, dir_path):
    ...         with open(os.path.join(dir_path, "notes.txt"), "w") as f:
    ...             _ = f.write("hi")
    ...     def load_assets(self, dir_path):
    ...         with open(os.path.join(dir_path, "notes.txt")) as f:
    ...             self.text = f.read()
    >>> files = save_assets([("layers/notes", Notes())])
    >>> files
    {'assets/layers/notes/notes.txt': b'hi'}
    >>> notes = Notes()
    >>> load_assets([("layers/notes", notes)], files)
    >>> notes.text
    'hi'
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["ASSETS_DIRNAME", "load_assets", "read_assets", "save_assets"]

ASSETS_DIRNAME = "assets"


def _folder(root: str, inner_path: str) -> str:
    """The folder of the object at `inner_path` (an h5 path such as `layers/dense`)."""
    parts = [p for p in inner_path.split("/") if p]
    return os.path.join(root, ASSETS_DIRNAME, *parts)


def save_assets(saveables: Iterable[tuple[str, Any]]) -> dict[str, bytes]:
    """Call `save_assets` on every object that has it; return the files it wrote.

    Args:
        saveables: `(inner path, object)` pairs, as `saving_lib._walk` lists them.

    Returns:
        `{archive member name: contents}`, e.g.
        `{"assets/layers/string_lookup/vocabulary.txt": b"[UNK]\\na"}`, sorted by name.
    """
    with tempfile.TemporaryDirectory(prefix="kerastorch_assets_") as root:
        for inner_path, saveable in saveables:
            if hasattr(saveable, "save_assets"):
                folder = _folder(root, inner_path)
                os.makedirs(folder, exist_ok=True)
                saveable.save_assets(folder)
        files: dict[str, bytes] = {}
        for directory, _, names in os.walk(os.path.join(root, ASSETS_DIRNAME)):
            for name in names:
                path = os.path.join(directory, name)
                member = os.path.relpath(path, root).replace(os.sep, "/")
                with open(path, "rb") as f:
                    files[member] = f.read()
    return dict(sorted(files.items()))


def _check_member(name: str) -> None:
    parts = name.split("/")
    unsafe = [p for p in parts[1:] if p in ("", ".", "..") or "\\" in p or ":" in p]
    if parts[0] != ASSETS_DIRNAME or unsafe:
        raise ValueError(
            f"Not allowed: `.keras` archive member '{name}' points outside the archive's "
            f"'{ASSETS_DIRNAME}/' directory."
        )


def read_assets(
    archive: zipfile.ZipFile, read_member: Callable[[zipfile.ZipFile, str], bytes]
) -> dict[str, bytes]:
    """The `assets/` files of an open `.keras` archive, `{member name: contents}`.

    Args:
        archive: the archive, open for reading.
        read_member: reads one member, refusing decompression bombs
            (`saving_lib._read_member`).

    Raises:
        ValueError: a member name leaves `assets/` (`..`, `\\`, a drive letter).
    """
    files = {}
    for name in archive.namelist():
        if name.split("/")[0] != ASSETS_DIRNAME or name.endswith("/"):
            continue  # not an asset, or a folder entry (Keras writes none; zip tools may)
        _check_member(name)
        files[name] = read_member(archive, name)
    return files


def load_assets(saveables: Iterable[tuple[str, Any]], files: dict[str, bytes]) -> None:
    """Call `load_assets(folder)` on every object that has it and whose folder exists.

    An archive without assets (written before assets were saved, or by a model without
    such objects) loads nothing, as in Keras.

    Args:
        saveables: `(inner path, object)` pairs, as `saving_lib._walk` lists them.
        files: the archive's asset files, as `read_assets` returns them.
    """
    if not files:
        return
    with tempfile.TemporaryDirectory(prefix="kerastorch_assets_") as root:
        for name, data in files.items():
            _check_member(name)
            path = os.path.join(root, *name.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        for inner_path, saveable in saveables:
            folder = _folder(root, inner_path)
            if hasattr(saveable, "load_assets") and os.path.isdir(folder):
                saveable.load_assets(folder)
