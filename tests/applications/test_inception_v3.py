"""InceptionV3 against Keras: architecture, numbers, pooling, errors, weights, preprocessing."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import inception_v3
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip

SMALL = (75, 75, 3)


def _perturbed(theirs):
    """Keras's weights moved off their initial values, so BatchNormalization statistics count."""
    rng = np.random.default_rng(0)
    theirs.set_weights(
        [w + rng.uniform(0, 0.05, w.shape).astype(w.dtype) for w in theirs.get_weights()]
    )
    return theirs


@pytest.mark.parity
def test_notop_architecture_matches_keras():
    ours, theirs = checks.build_pair(
        "InceptionV3", "inception_v3", include_top=False, input_shape=SMALL
    )
    assert ours.name == theirs.name == "inception_v3"
    assert tuple(ours.output.shape) == (None, 1, 1, 2048)


@pytest.mark.parity
def test_with_top_predicts_like_keras():
    # atol 1e-4 / rtol 1e-3 on a 7-class softmax, weights copied from Keras.
    ours, theirs = checks.build_pair("InceptionV3", "inception_v3", input_shape=SMALL, classes=7)
    checks.assert_same_predictions(ours, _perturbed(theirs), (2, *SMALL))


@pytest.mark.parity
@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_pooling_matches_keras(pooling):
    ours, _ = checks.build_pair(
        "InceptionV3", "inception_v3", include_top=False, input_shape=SMALL, pooling=pooling
    )
    assert tuple(ours.output.shape) == (None, 2048)


def test_input_tensor():
    inputs = kerastorch.Input(SMALL)
    model = inception_v3.InceptionV3(weights=None, include_top=False, input_tensor=inputs)
    assert model.inputs[0] is inputs


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "should be 1000"),
        ({"weights": None, "include_top": False, "input_shape": (32, 32, 3)}, "at least 75"),
        ({"weights": "/no/such/file.h5"}, "The `weights` argument should be either"),
        ({"weights": None, "classifier_activation": "relu"}, None),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    if match is None:  # any activation is allowed without pretrained weights
        model = inception_v3.InceptionV3(**kwargs, include_top=True, input_shape=SMALL)
        assert model.layers[-1].get_config()["activation"] == "relu"
        return
    with pytest.raises(ValueError, match=match) as ours:
        inception_v3.InceptionV3(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.InceptionV3(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_weights_from_keras_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"include_top": False, "input_shape": SMALL}
    theirs = _perturbed(keras.applications.InceptionV3(weights=None, **kwargs))
    checks.assert_loads_weight_files(inception_v3.InceptionV3, theirs, tmp_path, **kwargs)
    digest = checks.cache_imagenet_file(
        theirs, "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", monkeypatch, tmp_path
    )
    monkeypatch.setattr(inception_v3, "WEIGHTS_HASH_NO_TOP", digest)
    ours = inception_v3.InceptionV3(weights="imagenet", **kwargs)
    checks.assert_same_weights(ours, theirs)


@pytest.mark.parity
def test_preprocess_input_is_tf_mode():
    keras = keras_or_skip()
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.inception_v3.preprocess_input(x.copy())
    assert_close(inception_v3.preprocess_input(x.copy()), expected)
