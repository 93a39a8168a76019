"""MobileNet against Keras: structure per alpha / depth_multiplier, numbers with copied
weights (atol 1e-4), weight files, the ImageNet file name, errors."""

import numpy as np
import pytest

from kerastorch.applications import mobilenet
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_shape": (32, 32, 3), "alpha": 0.25, "classes": 7, "dropout": 0.5},
        {"input_shape": (40, 48, 3), "alpha": 0.5, "depth_multiplier": 2, "include_top": False},
        {"input_shape": (None, None, 3), "include_top": False, "pooling": "max"},
    ],
)
def test_structure_and_name_match_keras(kwargs):
    ours, theirs = checks.build_pair("MobileNet", "mobilenet", **kwargs)
    assert ours.name == theirs.name


@pytest.mark.parity
def test_predictions_match_keras():
    ours, theirs = checks.build_pair(
        "MobileNet", "mobilenet", input_shape=(32, 32, 3), alpha=0.5, classes=6
    )
    checks.assert_same_predictions(ours, theirs, (2, 32, 32, 3))


@pytest.mark.parity
def test_channels_first_predicts_like_keras():
    with checks.channels_first():
        ours, theirs = checks.build_pair(
            "MobileNet", "mobilenet", input_shape=(3, 32, 40), alpha=0.25, classes=4
        )
        checks.assert_same_predictions(ours, theirs, (2, 3, 32, 40))


@pytest.mark.parity
def test_weight_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"input_shape": (128, 128, 3), "alpha": 0.25, "include_top": False}
    theirs = keras.applications.MobileNet(weights=None, **kwargs)
    checks.assert_loads_weight_files(mobilenet.MobileNet, theirs, tmp_path, **kwargs)
    checks.cache_imagenet_file(theirs, "mobilenet_2_5_128_tf_no_top.h5", monkeypatch, tmp_path)
    checks.assert_same_weights(mobilenet.MobileNet(**kwargs), theirs)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "classes` should be 1000"),
        ({"weights": "nope.h5"}, "The `weights` argument should be"),
        ({"weights": "imagenet", "depth_multiplier": 2}, "depth multiplier must be 1"),
        ({"weights": "imagenet", "alpha": 0.3}, "alpha can be one of"),
        ({"weights": None, "include_top": False, "input_shape": (30, 30, 3)}, "at least 32x32"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        mobilenet.MobileNet(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.MobileNet(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_preprocess_input_matches_keras():
    keras = keras_or_skip()
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.mobilenet.preprocess_input(x.copy())
    assert_close(mobilenet.preprocess_input(x.copy()), expected, atol=1e-5)
