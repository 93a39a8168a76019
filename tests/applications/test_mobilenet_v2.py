"""MobileNetV2 against Keras: structure per alpha, numbers with copied weights (atol 1e-4),
input_tensor rules, weight files, the ImageNet file name, errors."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import mobilenet_v2
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_shape": (32, 32, 3), "alpha": 0.35, "classes": 7},
        {"input_shape": (40, 48, 3), "alpha": 1.3, "include_top": False, "pooling": "avg"},
        {"input_shape": (96, 96, 3), "include_top": False, "pooling": "max"},
    ],
)
def test_structure_and_name_match_keras(kwargs):
    ours, theirs = checks.build_pair("MobileNetV2", "mobilenet_v2", **kwargs)
    assert ours.name == theirs.name


@pytest.mark.parity
def test_predictions_match_keras():
    ours, theirs = checks.build_pair(
        "MobileNetV2", "mobilenet_v2", input_shape=(33, 35, 3), alpha=0.5, classes=6
    )
    checks.assert_same_predictions(ours, theirs, (2, 33, 35, 3))


@pytest.mark.parity
def test_channels_first_predicts_like_keras():
    with checks.channels_first():
        ours, theirs = checks.build_pair(
            "MobileNetV2", "mobilenet_v2", input_shape=(3, 32, 40), alpha=0.35, classes=4
        )
        checks.assert_same_predictions(ours, theirs, (2, 3, 32, 40))


@pytest.mark.parity
def test_input_tensor_builds_like_keras():
    keras = keras_or_skip()
    keras.backend.clear_session()
    kerastorch.backend.clear_session()
    ours = mobilenet_v2.MobileNetV2(
        weights=None, include_top=False, input_tensor=kerastorch.Input((96, 96, 3))
    )
    theirs = keras.applications.MobileNetV2(
        weights=None, include_top=False, input_tensor=keras.Input((96, 96, 3))
    )
    checks.assert_same_structure(ours, theirs)
    assert ours.name == theirs.name  # Keras reads no rows from input_tensor: "..._None"


@pytest.mark.parity
def test_weight_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"input_shape": (96, 96, 3), "alpha": 0.35, "include_top": False}
    theirs = keras.applications.MobileNetV2(weights=None, **kwargs)
    checks.assert_loads_weight_files(mobilenet_v2.MobileNetV2, theirs, tmp_path, **kwargs)
    fname = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
    checks.cache_imagenet_file(theirs, fname, monkeypatch, tmp_path)
    checks.assert_same_weights(mobilenet_v2.MobileNetV2(**kwargs), theirs)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "classes` should be 1000"),
        ({"weights": "nope.h5"}, "The `weights` argument should be"),
        ({"weights": "imagenet", "alpha": 0.3}, "alpha must be one of"),
        ({"weights": None, "include_top": False, "input_shape": (30, 30, 3)}, "at least 32x32"),
        (
            {"weights": None, "input_shape": (64, 64, 3), "input_tensor": np.zeros((1, 64, 64, 3))},
            "input_tensor is not a Keras tensor",
        ),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        mobilenet_v2.MobileNetV2(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.MobileNetV2(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_input_tensor_width_must_match_input_shape():
    keras = keras_or_skip()
    kwargs = {"weights": None, "input_shape": (64, 64, 3)}
    with pytest.raises(ValueError, match="must equal input_shape") as ours:
        mobilenet_v2.MobileNetV2(input_tensor=kerastorch.Input((64, 48, 3)), **kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.MobileNetV2(input_tensor=keras.Input((64, 48, 3)), **kwargs)
    assert str(ours.value).split(";")[0] == str(theirs.value).split(";")[0]


@pytest.mark.parity
def test_preprocess_input_matches_keras():
    keras = keras_or_skip()
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.mobilenet_v2.preprocess_input(x.copy())
    assert_close(mobilenet_v2.preprocess_input(x.copy()), expected, atol=1e-5)
