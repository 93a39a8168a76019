"""The public surface: every `__all__` is sorted and resolves; Keras names we lack are listed."""

import importlib

import pytest

import kerastorch

PACKAGES = [
    "kerastorch", "kerastorch.activations", "kerastorch.backend", "kerastorch.callbacks",
    "kerastorch.config", "kerastorch.constraints", "kerastorch.distribution",
    "kerastorch.dtype_policies", "kerastorch.export", "kerastorch.initializers",
    "kerastorch.layers", "kerastorch.losses", "kerastorch.metrics", "kerastorch.mixed_precision",
    "kerastorch.models", "kerastorch.ops", "kerastorch.ops.image", "kerastorch.ops.linalg",
    "kerastorch.ops.nn", "kerastorch.ops.numpy", "kerastorch.optimizers", "kerastorch.quantizers",
    "kerastorch.random", "kerastorch.regularizers", "kerastorch.saving", "kerastorch.tree",
    "kerastorch.utils", "kerastorch.distillation", "kerastorch.wrappers", "kerastorch.legacy",
    "kerastorch.visualization",
]  # fmt: skip

# Namespaces that must hold every public name of Keras's namespace of the same path.
COMPLETE = ["ops", "ops.numpy", "ops.nn", "ops.linalg", "ops.image", "random", "tree",
            "backend", "config", "distribution", "export", "quantizers", "dtype_policies",
            "layers", "optimizers", "initializers", "losses", "metrics", "activations",
            "models", "regularizers", "constraints", "datasets", "preprocessing",
            "applications", "callbacks", "saving", "utils", "mixed_precision", "distillation",
            "wrappers", "legacy", "visualization"]  # fmt: skip


@pytest.mark.parametrize("name", PACKAGES)
def test_public_api_all_is_sorted_and_resolves(name):
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported, key=lambda n: (n.lower(), n)) or exported == sorted(
        exported
    ), f"{name}.__all__ is not sorted"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names missing attributes: {missing}"


def test_public_api_tf_keras_import_paths():
    from kerastorch.layers import Activation, Dense, Flatten, Input  # noqa: F401
    from kerastorch.models import Model, Sequential

    assert kerastorch.models.Sequential is Sequential
    assert kerastorch.Model is Model
    assert kerastorch.layers.Input is kerastorch.Input
    assert callable(kerastorch.utils.to_categorical)


@pytest.mark.parity
@pytest.mark.parametrize("family", ["layers", "losses", "metrics", "optimizers", "activations"])
def test_public_api_reports_keras_names_not_yet_implemented(family, capsys):
    keras = pytest.importorskip("keras")
    theirs = {n for n in dir(getattr(keras, family)) if not n.startswith("_")}
    ours = set(dir(getattr(kerastorch, family)))
    missing = sorted(theirs - ours)
    with capsys.disabled():
        print(f"\nkeras.{family} names not in kerastorch.{family} ({len(missing)}): {missing}")
    assert len(ours & theirs) > 0


def _keras_names(path):
    module = importlib.import_module(f"keras.{path}")
    return {n for n in dir(module) if not n.startswith("_")} - {
        n for n in dir(module) if isinstance(getattr(module, n), type(importlib))
    }


@pytest.mark.parity
@pytest.mark.parametrize("path", COMPLETE)
def test_public_api_namespace_has_every_keras_name(path, capsys):
    pytest.importorskip("keras")
    theirs = _keras_names(path)
    ours = set(dir(importlib.import_module(f"kerastorch.{path}")))
    missing = sorted(theirs - ours)
    with capsys.disabled():
        print(f"\nkeras.{path} names not in kerastorch.{path} ({len(missing)}): {missing}")
    assert not missing, f"kerastorch.{path} lacks Keras names: {missing}"


def test_public_api_top_level_scopes_and_function():
    assert kerastorch.Operation is kerastorch.graph.operation.Operation
    assert callable(kerastorch.random.SeedGenerator)
    assert callable(kerastorch.Function)
    assert kerastorch.utils.is_keras_tensor(kerastorch.Input((2,)))
    assert kerastorch.config.backend() == kerastorch.backend.backend() == "torch"
    assert kerastorch.version() == kerastorch.__version__
    assert kerastorch.mixed_precision.LossScaleOptimizer is kerastorch.optimizers.LossScaleOptimizer
    kerastorch.config.set_dtype_policy("mixed_float16")
    try:
        assert kerastorch.config.dtype_policy().compute_dtype == "float16"
    finally:
        kerastorch.config.set_dtype_policy(None)
