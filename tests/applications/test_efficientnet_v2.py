"""EfficientNetV2 B0..B3, S, M, L against Keras: architecture, numbers, preprocessing,
pooling, errors and weight files."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import efficientnet_v2
from kerastorch.applications._efficientnet_v2_blocks import efficientnet_v2 as base_builder
from tests.applications import conv_app_checks as checks
from tests.oracle import keras_or_skip

SMALL = (32, 32, 3)
NAMES = [f"EfficientNetV2{v}" for v in ("B0", "B1", "B2", "B3", "S", "M", "L")]


def _perturbed(theirs):
    rng = np.random.default_rng(0)
    weights = theirs.get_weights()
    theirs.set_weights([w + rng.normal(0, 0.01, w.shape).astype(w.dtype) for w in weights])
    return theirs


def _configs(model, count=3):
    return [layer.get_config() for layer in model.layers[1:count]]


@pytest.mark.parity
@pytest.mark.parametrize("name", NAMES)
def test_architecture_matches_keras(name):
    ours, theirs = checks.build_pair(name, "efficientnet_v2", include_top=False, input_shape=SMALL)
    assert ours.name == theirs.name
    # the preprocessing: Rescaling + Normalization for B*, Rescaling(1/128, offset=-1) otherwise
    assert _configs(ours) == _configs(theirs)


@pytest.mark.parity
@pytest.mark.parametrize("include_preprocessing", [True, False])
def test_b0_with_top_predicts_like_keras(include_preprocessing):
    # atol 1e-4 / rtol 1e-3 on 7 logits, weights copied from Keras.
    ours, theirs = checks.build_pair(
        "EfficientNetV2B0",
        "efficientnet_v2",
        input_shape=SMALL,
        classes=7,
        classifier_activation=None,
        include_preprocessing=include_preprocessing,
    )
    rates = [(layer.name, layer.rate) for layer in ours.layers if hasattr(layer, "rate")]
    assert rates == [(layer.name, layer.rate) for layer in theirs.layers if hasattr(layer, "rate")]
    scale = 255.0 if include_preprocessing else 1.0  # the model sees values of order 1
    checks.assert_same_predictions(ours, _perturbed(theirs), (2, *SMALL), scale=scale)


@pytest.mark.parity
@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_pooling_matches_keras(pooling):
    ours, _ = checks.build_pair(
        "EfficientNetV2B0", "efficientnet_v2", include_top=False, input_shape=SMALL, pooling=pooling
    )
    assert tuple(ours.output.shape) == (None, 1280)


def test_input_tensor_and_preprocess_input():
    inputs = kerastorch.Input(SMALL)
    model = efficientnet_v2.EfficientNetV2B0(weights=None, include_top=False, input_tensor=inputs)
    assert model.inputs[0] is inputs
    x = np.ones((1, *SMALL), "float32")
    assert efficientnet_v2.preprocess_input(x) is x


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "should be 1000"),
        ({"weights": None, "include_top": False, "input_shape": (16, 16, 3)}, "at least 32"),
        ({"weights": "/no/such/file.h5"}, "Received: weights=/no/such/file.h5"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        efficientnet_v2.EfficientNetV2B0(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.EfficientNetV2B0(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_custom_name_without_blocks_fails_like_keras():
    # Keras looks the default blocks up by the model's name: another name has none.
    keras = keras_or_skip()
    with pytest.raises(KeyError):
        keras.applications.EfficientNetV2B0(weights=None, name="mine")
    with pytest.raises(KeyError):
        efficientnet_v2.EfficientNetV2B0(weights=None, name="mine")


@pytest.mark.parity
def test_base_builder_repeats_error_matches_keras():
    keras_or_skip()
    from keras.src.applications.efficientnet_v2 import EfficientNetV2

    bad = [{**efficientnet_v2.DEFAULT_BLOCKS_ARGS["efficientnetv2-b0"][0], "num_repeat": 0}]
    kwargs = {"blocks_args": bad, "weights": None, "include_top": False, "input_shape": SMALL}
    with pytest.raises(ValueError, match="num_repeat=0") as ours:
        base_builder(1.0, 1.0, 224, **kwargs)
    with pytest.raises(ValueError) as theirs:
        EfficientNetV2(1.0, 1.0, 224, **kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_weights_from_keras_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"include_top": False, "input_shape": SMALL}
    theirs = _perturbed(keras.applications.EfficientNetV2B0(weights=None, **kwargs))
    checks.assert_loads_weight_files(efficientnet_v2.EfficientNetV2B0, theirs, tmp_path, **kwargs)
    fname = "efficientnetv2-b0_notop.h5"
    digest = checks.cache_imagenet_file(theirs, fname, monkeypatch, tmp_path)
    monkeypatch.setitem(efficientnet_v2.WEIGHTS_HASHES, "b0", ("unused", digest))
    ours = efficientnet_v2.EfficientNetV2B0(weights="imagenet", **kwargs)
    checks.assert_same_weights(ours, theirs)
