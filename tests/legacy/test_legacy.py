import importlib

import pytest


@pytest.mark.parity
@pytest.mark.parametrize("path", ["legacy", "legacy.saving", "utils.legacy"])
def test_legacy_namespaces_have_every_keras_name(path):
    keras = pytest.importorskip("keras")
    theirs = {n for n in dir(importlib.import_module(f"keras.{path}")) if not n.startswith("_")}
    ours = set(dir(importlib.import_module(f"kerastorch.{path}")))
    assert keras is not None
    assert not theirs - ours
