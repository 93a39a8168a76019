"""Xception against Keras: architecture, numbers, pooling, errors, weight files, preprocessing."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import xception
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip

SMALL = (71, 71, 3)


def _perturbed(theirs):
    """Keras's weights moved off their initial values, so BatchNormalization statistics count."""
    rng = np.random.default_rng(0)
    theirs.set_weights(
        [w + rng.uniform(0, 0.05, w.shape).astype(w.dtype) for w in theirs.get_weights()]
    )
    return theirs


@pytest.mark.parity
def test_notop_architecture_matches_keras():
    ours, theirs = checks.build_pair("Xception", "xception", include_top=False, input_shape=SMALL)
    assert ours.name == theirs.name == "xception"
    assert tuple(ours.output.shape) == (None, 3, 3, 2048)


@pytest.mark.parity
def test_with_top_predicts_like_keras():
    # atol 1e-4 / rtol 1e-3 on a 7-class softmax, weights copied from Keras.
    ours, theirs = checks.build_pair("Xception", "xception", input_shape=SMALL, classes=7)
    checks.assert_same_predictions(ours, _perturbed(theirs), (2, *SMALL))


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


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "should be 1000"),
        ({"weights": None, "include_top": False, "input_shape": (32, 32, 3)}, "at least 71"),
        ({"weights": "/no/such/file.h5"}, "The `weights` argument should be either"),
        ({"weights": None, "classifier_activation": "relu"}, None),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    if match is None:  # any activation is allowed without pretrained weights
        model = xception.Xception(**kwargs, include_top=True, input_shape=SMALL)
        assert model.layers[-1].get_config()["activation"] == "relu"
        return
    with pytest.raises(ValueError, match=match) as ours:
        xception.Xception(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.Xception(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_weights_from_keras_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"include_top": False, "input_shape": SMALL}
    theirs = _perturbed(keras.applications.Xception(weights=None, **kwargs))
    checks.assert_loads_weight_files(xception.Xception, theirs, tmp_path, **kwargs)
    digest = checks.cache_imagenet_file(
        theirs, "xception_weights_tf_dim_ordering_tf_kernels_notop.h5", monkeypatch, tmp_path
    )
    monkeypatch.setattr(xception, "WEIGHTS_HASH_NO_TOP", digest)
    ours = xception.Xception(weights="imagenet", **kwargs)
    checks.assert_same_weights(ours, theirs)


@pytest.mark.parity
def test_preprocess_input_is_tf_mode():
    keras = keras_or_skip()
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.xception.preprocess_input(x.copy())
    assert_close(xception.preprocess_input(x.copy()), expected)
