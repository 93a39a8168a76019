"""`save_weights` / `load_weights`: Keras's `.weights.h5` layout, both ways; mismatches."""

import numpy as np
import pytest

import kerastorch as kt
from kerastorch.saving import saving_lib
from tests.oracle import assert_close, keras_or_skip, to_numpy

RNG = np.random.default_rng(1)


def _model(K, units=3):
    a, b = K.Input((4,), name="a"), K.Input((2,), name="b")
    h = K.layers.Concatenate()([K.layers.Dense(5, activation="relu")(a), b])
    return K.Model([a, b], K.layers.Dense(units)(h))


def _x():
    return [RNG.random((3, 4)).astype("float32"), RNG.random((3, 2)).astype("float32")]


def test_save_weights_round_trip(tmp_path):
    model, other = _model(kt), _model(kt)
    model.save_weights(tmp_path / "w.weights.h5")
    other.load_weights(tmp_path / "w.weights.h5")
    x = _x()
    assert_close(other.predict(x, verbose=0), model.predict(x, verbose=0), atol=0, rtol=0)


def test_load_weights_from_keras_archive(tmp_path):
    model, other = _model(kt), _model(kt)
    model.save(tmp_path / "m.keras")
    other.load_weights(tmp_path / "m.keras")
    assert_close(other.get_weights(), model.get_weights(), atol=0, rtol=0)


def test_load_weights_mismatch_names_layer_and_shapes(tmp_path):
    _model(kt, units=3).save_weights(tmp_path / "w.weights.h5")
    other = _model(kt, units=7)
    with pytest.raises(ValueError, match=r"Layer 'dense_3'.*expected shape \(7, 7\), found shape "
                       r"\(7, 3\)"):  # fmt: skip
        other.load_weights(tmp_path / "w.weights.h5")


def test_load_weights_skip_mismatch_loads_the_rest(tmp_path):
    model = _model(kt, units=3)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _model(kt, units=7)
    with pytest.warns(UserWarning, match="Skipped loading weights of 1 objects"):
        other.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    assert_close(other.layers[2].get_weights(), model.layers[2].get_weights(), atol=0, rtol=0)


def test_load_weights_missing_layer_is_reported(tmp_path):
    kt.Sequential([kt.Input((4,)), kt.layers.Dense(2)]).save_weights(tmp_path / "w.weights.h5")
    bigger = kt.Sequential([kt.Input((4,)), kt.layers.Dense(2), kt.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"Layer 'dense_2' \(Dense.*expected 2 variables, but "
                       r"received 0"):  # fmt: skip
        bigger.load_weights(tmp_path / "w.weights.h5")


def test_save_weights_requires_suffix_and_built_model(tmp_path):
    model = _model(kt)
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / "w.bin")
    unbuilt = kt.Sequential([kt.layers.Dense(2)])
    with pytest.raises(ValueError, match="has not yet been built"):
        unbuilt.save_weights(tmp_path / "w.weights.h5")


def test_interrupted_save_weights_leaves_old_file(tmp_path, monkeypatch):
    model = _model(kt)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("killed")

    monkeypatch.setattr(saving_lib, "save_state", crash)
    with pytest.raises(OSError, match="killed"):
        model.save_weights(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    _model(kt).load_weights(path)  # still loadable
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.weights.h5"]


@pytest.mark.parity
def test_weights_file_from_keras_loads_here(tmp_path):
    keras = keras_or_skip()
    theirs, ours = _model(keras), _model(kt)
    theirs.save_weights(tmp_path / "w.weights.h5")
    ours.load_weights(tmp_path / "w.weights.h5")
    x = _x()
    assert_close(ours.predict(x, verbose=0), to_numpy(theirs.predict(x, verbose=0)))


@pytest.mark.parity
def test_weights_file_from_here_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    theirs, ours = _model(keras), _model(kt)
    ours.save_weights(tmp_path / "w.weights.h5")
    theirs.load_weights(tmp_path / "w.weights.h5")
    x = _x()
    assert_close(ours.predict(x, verbose=0), to_numpy(theirs.predict(x, verbose=0)))
