"""Xception against Keras: architecture, numbers, pooling, errors, weights, preprocessing."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import xception
from tests.applications import conv_app_checks as checks
from tests.applications import family_checks as family
from tests.oracle import keras_or_skip

SMALL = (71, 71, 3)


@pytest.mark.parity
def test_notop_architecture_matches_keras():
    ours, theirs = checks.build_pair("Xception", "xception", include_top=False, input_shape=SMALL)
    assert ours.name == theirs.name == "xception"
    assert tuple(ours.output.shape) == (None, 3, 3, 2048)


@pytest.mark.parity
def test_with_top_predicts_like_keras():
    # atol 1e-4 / rtol 1e-3 on a 7-class softmax, weights copied from Keras.
    ours, theirs = checks.build_pair("Xception", "xception", input_shape=SMALL, classes=7)
    ours.set_weights(family.perturbed(theirs).get_weights())
    x = np.random.default_rng(0).uniform(-1, 1, (2, *SMALL)).astype("float32")
    family.assert_same_outputs(ours, theirs, x)


@pytest.mark.parity
@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_pooling_matches_keras(pooling):
    ours, _ = checks.build_pair(
        "Xception", "xception", include_top=False, input_shape=SMALL, pooling=pooling
    )
    assert tuple(ours.output.shape) == (None, 2048)


def test_input_tensor():
    inputs = kerastorch.Input(SMALL)
    model = xception.Xception(weights=None, include_top=False, input_tensor=inputs)
    assert model.inputs[0] is inputs


def test_any_activation_without_pretrained_weights():
    model = xception.Xception(weights=None, classifier_activation="relu", input_shape=SMALL)
    assert model.layers[-1].get_config()["activation"] == "relu"


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "should be 1000"),
        ({"weights": None, "include_top": False, "input_shape": (32, 32, 3)}, "at least 71"),
        ({"weights": "/no/such/file.h5"}, "The `weights` argument should be either"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    family.assert_same_error(xception.Xception, keras.applications.Xception, match, **kwargs)


@pytest.mark.parity
def test_weights_from_keras_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"include_top": False, "input_shape": SMALL}
    theirs = family.perturbed(keras.applications.Xception(weights=None, **kwargs))
    checks.assert_loads_weight_files(xception.Xception, theirs, tmp_path, **kwargs)
    family.assert_loads_imagenet_file(
        xception.Xception,
        theirs,
        "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
        lambda digest: monkeypatch.setattr(xception, "WEIGHTS_HASH_NO_TOP", digest),
        monkeypatch,
        tmp_path,
        **kwargs,
    )


@pytest.mark.parity
def test_preprocess_input_is_tf_mode():
    keras = keras_or_skip()
    family.assert_tf_mode_preprocessing(
        xception.preprocess_input, keras.applications.xception.preprocess_input
    )
