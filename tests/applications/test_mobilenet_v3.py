"""MobileNetV3Small / MobileNetV3Large against Keras: structure (incl. minimalistic, alpha,
no preprocessing), numbers with copied weights (atol 1e-4), weight files, errors."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import mobilenet_v3
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("MobileNetV3Small", {"input_shape": (32, 32, 3), "alpha": 0.75, "classes": 5}),
        ("MobileNetV3Small", {"minimalistic": True, "include_top": False, "pooling": "max"}),
        ("MobileNetV3Large", {"input_shape": (48, 40, 3), "alpha": 1.25, "dropout_rate": 0.0}),
        (
            "MobileNetV3Large",
            {"minimalistic": True, "include_preprocessing": False, "include_top": False},
        ),
    ],
)
def test_structure_matches_keras(name, kwargs):
    ours, theirs = checks.build_pair(name, "mobilenet_v3", **kwargs)
    assert ours.name == theirs.name == name


@pytest.mark.parity
@pytest.mark.parametrize("name", ["MobileNetV3Small", "MobileNetV3Large"])
def test_predictions_match_keras(name):
    ours, theirs = checks.build_pair(name, "mobilenet_v3", input_shape=(32, 32, 3), classes=4)
    checks.assert_same_predictions(ours, theirs, (2, 32, 32, 3), scale=127.0)


@pytest.mark.parity
def test_channels_first_predicts_like_keras():
    with checks.channels_first():
        ours, theirs = checks.build_pair(
            "MobileNetV3Small", "mobilenet_v3", input_shape=(3, 33, 40), classes=4
        )
        checks.assert_same_predictions(ours, theirs, (2, 3, 33, 40), scale=127.0)


@pytest.mark.parity
def test_input_tensor_and_avg_pooling_match_keras():
    keras = keras_or_skip()
    keras.backend.clear_session()
    kerastorch.backend.clear_session()
    kwargs = {"weights": None, "include_top": False, "pooling": "avg"}
    ours = mobilenet_v3.MobileNetV3Small(input_tensor=kerastorch.Input((40, 32, 3)), **kwargs)
    theirs = keras.applications.MobileNetV3Small(input_tensor=keras.Input((40, 32, 3)), **kwargs)
    checks.assert_same_structure(ours, theirs)


@pytest.mark.parity
def test_weight_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"input_shape": (32, 32, 3), "include_top": False}
    theirs = keras.applications.MobileNetV3Small(weights=None, **kwargs)
    checks.assert_loads_weight_files(mobilenet_v3.MobileNetV3Small, theirs, tmp_path, **kwargs)
    fname = "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5"
    digest = checks.cache_imagenet_file(theirs, fname, monkeypatch, tmp_path)
    monkeypatch.setitem(mobilenet_v3.WEIGHTS_HASHES, "small_224_1.0_float", (digest, digest))
    with pytest.warns(UserWarning, match="Weights for input shape"):
        ours = mobilenet_v3.MobileNetV3Small(**kwargs)
    checks.assert_same_weights(ours, theirs)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "classes` should be 1000"),
        ({"weights": "nope.h5"}, "The `weights` argument should be"),
        ({"weights": "imagenet", "alpha": 0.5}, "alpha can be one of"),
        ({"weights": "imagenet", "minimalistic": True, "alpha": 0.75}, "alpha can be one of"),
        ({"weights": None, "input_shape": (31, 64, 3)}, "at least 32x32"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        mobilenet_v3.MobileNetV3Large(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.MobileNetV3Large(**kwargs)
    assert str(ours.value) == str(theirs.value)


def test_preprocess_input_is_the_identity():
    x = np.arange(12.0).reshape(1, 2, 2, 3)
    assert mobilenet_v3.preprocess_input(x) is x


@pytest.mark.parity
def test_keras_file_round_trip_and_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    model = mobilenet_v3.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=3)
    path = str(tmp_path / "m.keras")
    model.save(path)  # the hard-sigmoid ops (x + 3, * 1/6) are graph nodes, not layers
    x = np.random.default_rng(0).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    expected = model.predict(x, verbose=0)
    assert_close(kerastorch.saving.load_model(path).predict(x, verbose=0), expected)
    assert_close(keras.saving.load_model(path).predict(x, verbose=0), expected)
