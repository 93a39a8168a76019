"""Fixtures for the dataset tests: a temporary Keras cache, no network, and real Keras
pointed at the same cache.

`cache` makes `$KERAS_HOME` a temporary folder and refuses every download, so a test that
forgets to write a file fails with the offline error instead of reaching the Internet.
`keras_datasets` returns real `keras.datasets` reading that same folder: Keras resolves its
cache root once at import (`keras.src.backend.config._KERAS_DIR`), so it is patched there,
and Keras's hash check is bypassed because the test files are not the published ones.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import pytest

from kerastorch.utils.file_utils import hash_file
from tests.oracle import keras_or_skip


class Cache:
    """The temporary `$KERAS_HOME`; `place` writes a file where the loaders look for it."""

    def __init__(self, home: str, monkeypatch: pytest.MonkeyPatch):
        self.home, self.monkeypatch = home, monkeypatch

    def path(self, *parts: str) -> str:
        path = os.path.join(self.home, "datasets", *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def trust(self, module: object, path: str, attribute: str = "_FILE_HASH") -> None:
        """Make `module` expect the hash of the test file at `path` (the real one differs)."""
        algorithm = "sha256" if len(getattr(module, attribute)) == 64 else "md5"
        self.monkeypatch.setattr(module, attribute, hash_file(path, algorithm))


def _offline(url, *args, **kwargs):
    raise urllib.error.URLError("network access is disabled in the dataset tests")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Cache:
    home = str(tmp_path / "keras_home")
    monkeypatch.setenv("KERAS_HOME", home)
    monkeypatch.setattr(urllib.request, "urlopen", _offline)
    return Cache(home, monkeypatch)


@pytest.fixture
def keras_datasets(cache, monkeypatch):
    keras = keras_or_skip()
    from keras.src.backend import config as keras_config
    from keras.src.utils import file_utils as keras_file_utils

    monkeypatch.setattr(keras_config, "_KERAS_DIR", cache.home)
    monkeypatch.setattr(keras_file_utils, "validate_file", lambda *args, **kwargs: True)
    return keras.datasets
