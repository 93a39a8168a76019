"""VGG16 / VGG19 against Keras: structure, parameter counts, numbers, weight files, errors."""

import numpy as np
import pytest

from kerastorch.applications import vgg16, vgg19
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "module", "kwargs"),
    [
        ("VGG16", "vgg16", {"include_top": False, "input_shape": (32, 32, 3), "pooling": "avg"}),
        ("VGG19", "vgg19", {"include_top": False, "input_shape": (48, 40, 3), "pooling": "max"}),
        ("VGG19", "vgg19", {"include_top": False, "input_shape": (None, None, 3)}),
    ],
)
def test_structure_matches_keras(name, module, kwargs):
    checks.build_pair(name, module, **kwargs)


@pytest.mark.parity
def test_vgg16_top_predictions_match_keras():
    ours, theirs = checks.build_pair(
        "VGG16", "vgg16", input_shape=(32, 32, 3), classes=7, classifier_activation=None
    )
    assert ours.name == "vgg16"
    checks.assert_same_predictions(ours, theirs, (2, 32, 32, 3), scale=100.0)


@pytest.mark.parity
def test_vgg16_channels_first_predicts_like_keras():
    with checks.channels_first():
        ours, theirs = checks.build_pair(
            "VGG16", "vgg16", include_top=False, input_shape=(3, 32, 32), pooling="avg"
        )
        checks.assert_same_predictions(ours, theirs, (1, 3, 32, 32), scale=50.0)


@pytest.mark.parity
def test_vgg19_input_tensor_and_weight_files(tmp_path):
    keras = keras_or_skip()
    import kerastorch

    ours = vgg19.VGG19(weights=None, include_top=False, input_tensor=kerastorch.Input((32, 32, 3)))
    assert tuple(ours.output.shape) == (None, 1, 1, 512)
    theirs = keras.applications.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    checks.assert_loads_weight_files(
        vgg19.VGG19, theirs, tmp_path, include_top=False, input_shape=(32, 32, 3)
    )


@pytest.mark.parity
def test_vgg16_imagenet_weights_come_from_the_keras_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    theirs = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    digest = checks.cache_imagenet_file(
        theirs, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", monkeypatch, tmp_path
    )
    monkeypatch.setattr(vgg16, "WEIGHTS_HASHES", (digest, digest))
    ours = vgg16.VGG16(include_top=False, input_shape=(32, 32, 3))
    checks.assert_same_weights(ours, theirs)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "classes` should be 1000"),
        ({"weights": "no/such/file.h5"}, "The `weights` argument should be"),
        ({"weights": None, "include_top": False, "input_shape": (16, 16, 3)}, "at least 32x32"),
        (
            {"weights": __file__, "input_shape": (32, 32, 3), "classifier_activation": "relu"},
            "classifier_activation",
        ),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        vgg16.VGG16(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.VGG16(**kwargs)
    # Keras prints a resolved activation as its function repr; kerastorch as the argument given.
    assert str(ours.value).split("Received")[0] == str(theirs.value).split("Received")[0]


@pytest.mark.parity
def test_preprocess_and_decode_match_keras():
    keras = keras_or_skip()
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    for ours, theirs in ((vgg16, keras.applications.vgg16), (vgg19, keras.applications.vgg19)):
        assert_close(ours.preprocess_input(x.copy()), theirs.preprocess_input(x.copy()), atol=1e-4)
