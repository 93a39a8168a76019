"""tf.keras 2's `.h5` format: files from Keras's legacy H5 writer load here, and back."""

import h5py
import numpy as np
import pytest

import kerastorch as kt
from kerastorch.saving import legacy_h5
from tests.oracle import assert_close, keras_or_skip, to_numpy

RNG = np.random.default_rng(2)


def _model(K):
    a = K.Input((5,), name="a")
    h = K.layers.Dense(4, activation="relu")(a)
    return K.Model(a, K.layers.Dense(2)(K.layers.Dense(3)(h)))


def _x():
    return RNG.random((4, 5)).astype("float32")


def test_legacy_h5_round_trip_with_optimizer(tmp_path):
    model = _model(kt)
    model.compile(optimizer=kt.optimizers.Adam(0.01), loss="mse")
    x, y = _x(), RNG.random((4, 2)).astype("float32")
    model.fit(x, y, verbose=0)
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5") as h5:
        assert {"model_config", "training_config"} <= set(h5.attrs)
        assert list(h5["model_weights"]["dense"].attrs["weight_names"]) == [
            b"dense/kernel",
            b"dense/bias",
        ]
    loaded = kt.models.load_model(tmp_path / "m.h5")
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=0, rtol=0)
    assert int(loaded.optimizer.iterations) == 1


def test_legacy_weights_file_round_trip_and_count_error(tmp_path):
    model = _model(kt)
    model.save_weights(tmp_path / "w.h5")
    other = _model(kt)
    other.load_weights(tmp_path / "w.h5")
    assert_close(other.get_weights(), model.get_weights(), atol=0, rtol=0)
    small = kt.Sequential([kt.Input((5,)), kt.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"Layer count mismatch.*expected 1 layers.*found 3"):
        small.load_weights(tmp_path / "w.h5")


@pytest.mark.parity
def test_legacy_model_file_from_keras_loads_here(tmp_path):
    keras = keras_or_skip()
    theirs = _model(keras)
    theirs.compile(optimizer="adam", loss=keras.losses.MeanSquaredError())
    x, y = _x(), RNG.random((4, 2)).astype("float32")
    theirs.fit(x, y, verbose=0)
    from keras.src.legacy.saving import legacy_h5_format

    legacy_h5_format.save_model_to_hdf5(theirs, str(tmp_path / "m.h5"))
    ours = kt.models.load_model(tmp_path / "m.h5")
    assert_close(ours.predict(x, verbose=0), to_numpy(theirs.predict(x, verbose=0)))
    assert int(ours.optimizer.iterations) == 1
    assert_close(
        [v.numpy() for v in ours.optimizer.variables],
        [to_numpy(v) for v in theirs.optimizer.variables],
    )


@pytest.mark.parity
def test_legacy_weights_file_from_keras_loads_here(tmp_path):
    keras = keras_or_skip()
    from keras.src.legacy.saving import legacy_h5_format

    theirs, ours = _model(keras), _model(kt)
    with h5py.File(tmp_path / "w.h5", "w") as h5:
        legacy_h5_format.save_weights_to_hdf5_group(h5, theirs)
    ours.load_weights(tmp_path / "w.h5")
    x = _x()
    assert_close(ours.predict(x, verbose=0), to_numpy(theirs.predict(x, verbose=0)))


@pytest.mark.parity
def test_legacy_model_file_from_here_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    ours = kt.Sequential([kt.Input((5,)), kt.layers.Dense(3, activation="tanh"),
                          kt.layers.Dense(1)])  # fmt: skip
    ours.compile(optimizer="sgd", loss=kt.losses.MeanSquaredError())
    legacy_h5.save_model_to_hdf5(ours, str(tmp_path / "m.h5"))
    theirs = keras.saving.load_model(tmp_path / "m.h5")
    x = _x()
    assert_close(to_numpy(theirs.predict(x, verbose=0)), ours.predict(x, verbose=0))


def test_tf_keras_2_config_and_node_lists_load(tmp_path):
    """A tf.keras 2.x style file: legacy layer configs and `[[name, 0, 0, {}]]` nodes."""
    config = {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": [
                {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
                 "config": {"batch_input_shape": [None, 3], "dtype": "float32",
                            "sparse": False, "ragged": False, "name": "input_1"}},
                {"class_name": "Dense", "name": "dense", "inbound_nodes": [[["input_1", 0, 0, {}]]],
                 "config": {"name": "dense", "trainable": True, "dtype": "float32", "units": 2,
                            "activation": "relu", "use_bias": True,
                            "kernel_initializer": {"class_name": "GlorotUniform",
                                                   "config": {"seed": None}},
                            "bias_initializer": {"class_name": "Zeros", "config": {}},
                            "kernel_regularizer": None, "bias_regularizer": None,
                            "activity_regularizer": None, "kernel_constraint": None,
                            "bias_constraint": None}},
            ],
            "input_layers": [["input_1", 0, 0]],
            "output_layers": [["dense", 0, 0]],
        },
    }  # fmt: skip
    import json

    kernel = RNG.random((3, 2)).astype("float32")
    with h5py.File(tmp_path / "tf2.h5", "w") as h5:
        h5.attrs["model_config"] = json.dumps(config)
        group = h5.create_group("model_weights")
        group.attrs["layer_names"] = [b"input_1", b"dense"]
        group.create_group("input_1").attrs["weight_names"] = np.asarray([], "S1")
        dense = group.create_group("dense")
        dense.attrs["weight_names"] = [b"dense/kernel:0", b"dense/bias:0"]
        dense["dense/kernel:0"] = kernel
        dense["dense/bias:0"] = np.ones(2, "float32")
    model = kt.models.load_model(tmp_path / "tf2.h5")
    x = RNG.random((4, 3)).astype("float32")
    assert_close(model.predict(x, verbose=0), np.maximum(x @ kernel + 1.0, 0.0))
