"""ResNet (v1, `resnet` / `resnet50`) and ResNetV2 (`resnet_v2`) against Keras: structure,
parameter counts, numbers with copied weights (atol 1e-4), weight files, errors."""

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import resnet, resnet50, resnet_v2
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip

NO_TOP = {"include_top": False, "input_shape": (32, 32, 3)}


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "module", "kwargs"),
    [
        ("ResNet101", "resnet", {**NO_TOP, "pooling": "max"}),
        ("ResNet152", "resnet", NO_TOP),
        ("ResNet101V2", "resnet_v2", {**NO_TOP, "pooling": "avg"}),
        ("ResNet152V2", "resnet_v2", NO_TOP),
    ],
)
def test_structure_matches_keras(name, module, kwargs):
    checks.build_pair(name, module, **kwargs)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "module"), [("ResNet50", "resnet"), ("ResNet50V2", "resnet_v2")])
def test_smallest_with_top_predicts_like_keras(name, module):
    ours, theirs = checks.build_pair(name, module, input_shape=(40, 32, 3), classes=5)
    checks.assert_same_predictions(ours, theirs, (2, 40, 32, 3))


@pytest.mark.parity
def test_resnet50_v2_features_and_input_tensor():
    ours, theirs = checks.build_pair(
        "ResNet50V2", "resnet_v2", include_top=False, input_shape=(None, None, 3), pooling="max"
    )
    checks.assert_same_predictions(ours, theirs, (1, 48, 36, 3))
    inp = kerastorch.Input((32, 32, 3))
    model = resnet.ResNet50(weights=None, include_top=False, input_tensor=inp)
    assert model.inputs[0] is inp
    assert tuple(model.output.shape) == (None, 1, 1, 2048)


@pytest.mark.parity
@pytest.mark.parametrize(("name", "module"), [("ResNet50", "resnet"), ("ResNet50V2", "resnet_v2")])
def test_channels_first_predicts_like_keras(name, module):
    with checks.channels_first():
        ours, theirs = checks.build_pair(name, module, input_shape=(3, 32, 40), classes=4)
        checks.assert_same_predictions(ours, theirs, (2, 3, 32, 40))


def test_resnet50_module_reexports_resnet():
    assert resnet50.ResNet50 is resnet.ResNet50
    assert resnet50.preprocess_input is resnet.preprocess_input


@pytest.mark.parity
def test_weight_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    theirs = keras.applications.ResNet50(weights=None, **NO_TOP)
    checks.assert_loads_weight_files(resnet.ResNet50, theirs, tmp_path, **NO_TOP)
    digest = checks.cache_imagenet_file(
        theirs, "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", monkeypatch, tmp_path
    )
    monkeypatch.setitem(resnet.WEIGHTS_HASHES, "resnet50", (digest, digest))
    checks.assert_same_weights(resnet.ResNet50(**NO_TOP), theirs)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "classes` should be 1000"),
        ({"weights": "missing.h5"}, "The `weights` argument should be"),
        ({"weights": None, "include_top": False, "input_shape": (31, 40, 3)}, "at least 32x32"),
        ({"weights": None, "input_shape": (None, None, 3)}, "If `include_top` is True"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    with pytest.raises(ValueError, match=match) as ours:
        resnet_v2.ResNet50V2(**kwargs)
    with pytest.raises(ValueError) as theirs:
        keras.applications.ResNet50V2(**kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_preprocess_input_modes_match_keras():
    keras = keras_or_skip()
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    pairs = ((resnet, keras.applications.resnet), (resnet_v2, keras.applications.resnet_v2))
    for ours, theirs in pairs:
        assert_close(ours.preprocess_input(x.copy()), theirs.preprocess_input(x.copy()), atol=1e-4)
