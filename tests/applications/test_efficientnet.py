"""EfficientNetB0..B7 against Keras: architecture, numbers, pooling, errors and weight files."""

import hashlib
import json

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import efficientnet, imagenet_utils
from kerastorch.applications._efficientnet_blocks import DEFAULT_BLOCKS_ARGS
from kerastorch.applications._efficientnet_blocks import efficientnet as efficientnet_base
from tests.oracle import assert_close, keras_or_skip

NAMES = [f"EfficientNetB{i}" for i in range(8)]
SMALL = (32, 32, 3)


def _layers(model):
    return [(layer.name, type(layer).__name__) for layer in model.layers]


def _dropout_rates(model):
    return [(layer.name, layer.rate) for layer in model.layers if hasattr(layer, "rate")]


def _pair(name, **kwargs):
    keras = keras_or_skip()
    kerastorch.backend.clear_session()
    keras.backend.clear_session()
    ours = getattr(efficientnet, name)(weights=None, **kwargs)
    theirs = getattr(keras.applications.efficientnet, name)(weights=None, **kwargs)
    return ours, theirs


@pytest.mark.parity
@pytest.mark.parametrize("name", NAMES)
def test_architecture_matches_keras(name):
    ours, theirs = _pair(name, include_top=False, input_shape=SMALL)
    assert ours.name == theirs.name
    assert ours.count_params() == theirs.count_params()
    assert _layers(ours) == _layers(theirs)
    assert tuple(ours.output.shape) == tuple(theirs.output.shape)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


@pytest.mark.parity
def test_b0_with_top_predicts_like_keras():
    # atol 1e-4 on softmax outputs of a 10-class top, weights copied from Keras.
    ours, theirs = _pair("EfficientNetB0", input_shape=SMALL, classes=10)
    assert _layers(ours) == _layers(theirs)
    assert _dropout_rates(ours) == _dropout_rates(theirs)
    rng = np.random.default_rng(0)
    weights = [w + rng.normal(0, 0.01, w.shape).astype(w.dtype) for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(theirs.get_weights())
    x = rng.uniform(0, 255, (2, *SMALL)).astype("float32")
    assert_close(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-4)


@pytest.mark.parity
def test_base_builder_drop_connect_rate_and_repeats_error():
    keras = keras_or_skip()
    from keras.src.applications.efficientnet import EfficientNet

    kwargs = {"weights": None, "include_top": False, "input_shape": SMALL}
    kerastorch.backend.clear_session()
    keras.backend.clear_session()
    ours = efficientnet_base(1.0, 1.0, 224, drop_connect_rate=0.0, **kwargs)
    theirs = EfficientNet(1.0, 1.0, 224, drop_connect_rate=0.0, **kwargs)
    assert _layers(ours) == _layers(theirs)
    assert not any(name.endswith("_drop") for name, _ in _layers(ours))
    bad = [{**DEFAULT_BLOCKS_ARGS[0], "repeats": 0}]
    with pytest.raises(ValueError, match="repeats=0") as error:
        efficientnet_base(1.0, 1.0, 224, blocks_args=bad, **kwargs)
    with pytest.raises(ValueError) as expected:
        EfficientNet(1.0, 1.0, 224, blocks_args=bad, **kwargs)
    assert str(error.value) == str(expected.value)


@pytest.mark.parity
@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_pooling_matches_keras(pooling):
    ours, theirs = _pair("EfficientNetB0", include_top=False, input_shape=SMALL, pooling=pooling)
    assert _layers(ours)[-1] == _layers(theirs)[-1]
    assert tuple(ours.output.shape) == tuple(theirs.output.shape) == (None, 1280)


def test_input_tensor_and_preprocess_input():
    inputs = kerastorch.Input((32, 32, 3))
    model = efficientnet.EfficientNetB0(weights=None, include_top=False, input_tensor=inputs)
    assert model.inputs[0] is inputs
    x = np.ones((1, 32, 32, 3), "float32")
    assert efficientnet.preprocess_input(x) is x


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "`classes` should be 1000"),
        ({"weights": None, "include_top": False, "input_shape": (16, 16, 3)}, "at least 32x32"),
        ({"weights": "/no/such/file.h5"}, "The `weights` argument should be either"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        efficientnet.EfficientNetB0(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.EfficientNetB0(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
@pytest.mark.parametrize("fname", ["w.weights.h5", "m.h5"])
def test_weights_from_keras_file(tmp_path, fname):
    keras = keras_or_skip()
    theirs = keras.applications.EfficientNetB0(weights=None, include_top=False, input_shape=SMALL)
    path = str(tmp_path / fname)
    if fname.endswith(".weights.h5"):
        theirs.save_weights(path)
    else:
        theirs.save(path)
    loaded = efficientnet.EfficientNetB0(weights=path, include_top=False, input_shape=SMALL)
    for mine, expected in zip(loaded.get_weights(), theirs.get_weights(), strict=True):
        assert_close(mine, expected)


@pytest.mark.parity
def test_imagenet_weights_from_keras_home(tmp_path, monkeypatch):
    keras = keras_or_skip()
    theirs = keras.applications.EfficientNetB0(weights=None, include_top=False, input_shape=SMALL)
    theirs.set_weights([w + 0.5 for w in theirs.get_weights()])
    (tmp_path / "models").mkdir()
    path = tmp_path / "models" / "efficientnetb0_notop.h5"
    theirs.save(str(path))
    digest = hashlib.md5(path.read_bytes()).hexdigest()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setitem(efficientnet.WEIGHTS_HASHES, "b0", ("unused", digest))
    ours = efficientnet.EfficientNetB0(weights="imagenet", include_top=False, input_shape=SMALL)
    # With ImageNet weights the stem gains Keras's extra variance-correcting Rescaling.
    stem = [type(layer).__name__ for layer in ours.layers[1:4]]
    assert stem == ["Rescaling", "Normalization", "Rescaling"]
    for mine, expected in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        assert_close(mine, expected)


def test_decode_predictions_uses_the_class_index(tmp_path, monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    (tmp_path / "models").mkdir()
    path = tmp_path / "models" / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(
        imagenet_utils, "_CLASS_INDEX_HASH", hashlib.md5(path.read_bytes()).hexdigest()
    )
    monkeypatch.setattr(imagenet_utils, "_CLASS_INDEX", {})
    preds = np.zeros((1, 1000), "float32")
    preds[0, 3] = 1.0
    assert efficientnet.decode_predictions(preds, top=1) == [[("n00000003", "class_3", 1.0)]]
