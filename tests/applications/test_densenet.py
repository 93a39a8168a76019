"""DenseNet121 / 169 / 201 against Keras: structure, parameter counts, numbers with copied
weights (atol 1e-4), weight files, errors."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import densenet
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip

NO_TOP = {"include_top": False, "input_shape": (32, 32, 3)}


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("DenseNet169", {**NO_TOP, "pooling": "max"}),
        ("DenseNet201", {**NO_TOP, "pooling": "avg"}),
    ],
)
def test_structure_matches_keras(name, kwargs):
    checks.build_pair(name, "densenet", **kwargs)


@pytest.mark.parity
def test_densenet121_with_top_predicts_like_keras():
    ours, theirs = checks.build_pair("DenseNet121", "densenet", input_shape=(32, 40, 3), classes=3)
    assert ours.name == "densenet121"
    checks.assert_same_predictions(ours, theirs, (2, 32, 40, 3))


@pytest.mark.parity
def test_input_tensor_weight_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    model = densenet.DenseNet121(
        weights=None, include_top=False, input_tensor=kerastorch.Input((64, 64, 3))
    )
    assert tuple(model.output.shape) == (None, 2, 2, 1024)
    theirs = keras.applications.DenseNet121(weights=None, **NO_TOP)
    checks.assert_loads_weight_files(densenet.DenseNet121, theirs, tmp_path, **NO_TOP)
    fname = "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5"
    digest = checks.cache_imagenet_file(theirs, fname, monkeypatch, tmp_path)
    monkeypatch.setitem(densenet.WEIGHTS_HASHES, "densenet121", (digest, digest))
    checks.assert_same_weights(densenet.DenseNet121(**NO_TOP), theirs)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "classes` should be 1000"),
        ({"weights": "nope.h5"}, "The `weights` argument should be"),
        ({"weights": None, "include_top": False, "input_shape": (30, 30, 3)}, "at least 32x32"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        densenet.DenseNet121(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.DenseNet121(**kwargs)
    assert str(ours.value) == str(theirs.value)


def test_channels_first_is_refused():
    previous = kerastorch.config.image_data_format()
    kerastorch.config.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="DenseNet does not support the `channels_first`"):
            densenet.DenseNet121(weights=None)
    finally:
        kerastorch.config.set_image_data_format(previous)


@pytest.mark.parity
def test_preprocess_input_matches_keras():
    keras = keras_or_skip()
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.densenet.preprocess_input(x.copy())
    assert_close(densenet.preprocess_input(x.copy()), expected, atol=1e-5)
