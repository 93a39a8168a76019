"""Checks shared by the convolutional application tests: compare a kerastorch constructor with
Keras's (structure, parameter count, output shape, numbers with copied weights) and load
weights from files Keras wrote."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
from collections.abc import Iterator
from typing import Any

import numpy as np

import kerastorch
from tests.oracle import assert_close, keras_or_skip

ATOL = 1e-4  # float32 deep nets: summation order differs between the two implementations


def layer_list(model: Any) -> list[tuple[str, str]]:
    """Each layer's name and class name, in model order."""
    return [(layer.name, type(layer).__name__) for layer in model.layers]


def assert_same_structure(ours: Any, theirs: Any) -> None:
    """Same layers (names, types, order), parameter count, weight shapes and output shape."""
    assert layer_list(ours) == layer_list(theirs)
    assert ours.count_params() == theirs.count_params()
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert tuple(ours.output.shape) == tuple(theirs.output.shape)


def build_pair(name: str, module: str, **kwargs: Any) -> tuple[Any, Any]:
    """kerastorch's and Keras's `<module>.<name>(weights=None, **kwargs)`, structure-checked."""
    keras = keras_or_skip()
    keras.backend.clear_session()  # same automatic layer names on both sides
    kerastorch.backend.clear_session()
    ours = getattr(importlib.import_module(f"kerastorch.applications.{module}"), name)(
        weights=None, **kwargs
    )
    theirs = getattr(keras.applications, name)(weights=None, **kwargs)
    assert_same_structure(ours, theirs)
    return ours, theirs


def assert_same_predictions(ours: Any, theirs: Any, shape: tuple[int, ...], scale=1.0) -> None:
    """With Keras's weights copied over, both models predict the same on random input."""
    ours.set_weights(theirs.get_weights())
    x = (np.random.default_rng(0).uniform(-1, 1, shape) * scale).astype("float32")
    expected = theirs.predict(x, verbose=0)
    assert np.isfinite(expected).all(), "Keras's outputs are not finite: nothing to compare"
    assert_close(ours.predict(x, verbose=0), expected, atol=ATOL, rtol=1e-3)


def assert_loads_weight_files(ours_ctor: Any, theirs: Any, tmp_path: Any, **kwargs: Any) -> None:
    """`weights=<path>` loads Keras's `.weights.h5` file and its legacy full-model `.h5` file."""
    x = np.random.default_rng(1).uniform(-1, 1, (1, *theirs.input_shape[1:])).astype("float32")
    expected = theirs.predict(x, verbose=0)
    assert np.isfinite(expected).all(), "Keras's outputs are not finite: nothing to compare"
    theirs.save_weights(str(tmp_path / "w.weights.h5"))
    theirs.save(str(tmp_path / "m.h5"))
    for path in (tmp_path / "w.weights.h5", tmp_path / "m.h5"):
        ours = ours_ctor(weights=str(path), **kwargs)
        assert_close(ours.predict(x, verbose=0), expected, atol=ATOL, rtol=1e-3)


def cache_imagenet_file(theirs: Any, fname: str, monkeypatch: Any, tmp_path: Any) -> str:
    """Write `theirs`'s weights as Keras's ImageNet files are laid out (a weights-only legacy
    HDF5 file: `layer_names` at the root, one group per layer) at `$KERAS_HOME/models/<fname>`
    in a temporary `KERAS_HOME`, so `weights="imagenet"` needs no network; return its md5."""
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    models = tmp_path / "home" / "models"
    models.mkdir(parents=True)
    with h5py.File(models / fname, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, theirs)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    return hashlib.md5((models / fname).read_bytes()).hexdigest()


def assert_same_weights(ours: Any, theirs: Any) -> None:
    """Every weight array is equal, in order."""
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@contextlib.contextmanager
def channels_first() -> Iterator[None]:
    """Both Keras and kerastorch build `channels_first` models inside the block."""
    keras = keras_or_skip()
    before = (keras.config.image_data_format(), kerastorch.config.image_data_format())
    keras.config.set_image_data_format("channels_first")
    kerastorch.config.set_image_data_format("channels_first")
    try:
        yield
    finally:
        keras.config.set_image_data_format(before[0])
        kerastorch.config.set_image_data_format(before[1])
