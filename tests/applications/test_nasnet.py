"""NASNetMobile and NASNetLarge against Keras: architecture, numbers, errors, weight files,
preprocessing. Keras refuses `NASNetMobile` on its torch backend, so its oracle is Keras's
own builder (`keras.src.applications.nasnet.NASNet`) called with `NASNetMobile`'s arguments.
Each model is built once per side, at the smallest input (32x32)."""

import inspect

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import nasnet
from tests.applications import conv_app_checks as checks
from tests.applications import family_checks as family
from tests.oracle import keras_or_skip

SMALL = (32, 32, 3)


def keras_nasnet_mobile(input_shape=None, include_top=True, **kwargs):
    """Keras's `NASNetMobile`, without its refusal of the torch backend."""
    keras_or_skip()
    from keras.src.applications import nasnet as keras_nasnet

    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return keras_nasnet.NASNet(
        input_shape,
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        filter_multiplier=2,
        include_top=include_top,
        default_size=224,
        name=kwargs.pop("name", "nasnet_mobile"),
        **kwargs,
    )


def _pair(ours_ctor, theirs_ctor, **kwargs):
    """Both models without weights (structure compared), Keras's perturbed and copied to ours."""
    keras = keras_or_skip()
    keras.backend.clear_session()
    kerastorch.backend.clear_session()
    ours, theirs = ours_ctor(weights=None, **kwargs), theirs_ctor(weights=None, **kwargs)
    checks.assert_same_structure(ours, theirs)
    ours.set_weights(family.perturbed(theirs).get_weights())
    return ours, theirs


def _assert_same_predictions(ours, theirs):
    x = np.random.default_rng(0).uniform(-1, 1, (1, *SMALL)).astype("float32")
    family.assert_same_outputs(ours, theirs, x)


@pytest.mark.parity
def test_keras_refuses_mobile_on_torch_where_kerastorch_builds_it():
    # A deliberate difference: Keras's torch backend refuses NASNetMobile ("an outstanding
    # bug"); kerastorch builds the architecture that Keras builds on its other backends.
    keras = keras_or_skip()
    with pytest.raises(ValueError, match="not available with the torch backend"):
        keras.applications.NASNetMobile(weights=None)


@pytest.fixture(scope="module")
def mobile():
    return _pair(nasnet.NASNetMobile, keras_nasnet_mobile, include_top=False, input_shape=SMALL)


@pytest.mark.parity
def test_mobile_architecture_matches_keras(mobile):
    ours, theirs = mobile  # _pair compared layer names, types, order and weight shapes
    assert ours.name == theirs.name == "nasnet_mobile"
    assert len(ours.layers) == len(theirs.layers) == 769
    assert ours.count_params() == theirs.count_params() == 4269716
    assert tuple(ours.output.shape) == (None, 1, 1, 1056)


@pytest.mark.parity
def test_mobile_predicts_like_keras(mobile):
    # atol 1e-4 / rtol 1e-3 on the 1056 features, weights copied from Keras.
    _assert_same_predictions(*mobile)


@pytest.mark.parity
def test_large_matches_keras():
    # 85M parameters: structure, parameter count and predictions in one build per side.
    keras = keras_or_skip()
    ours, theirs = _pair(
        nasnet.NASNetLarge, keras.applications.NASNetLarge, include_top=False, input_shape=SMALL
    )
    assert ours.name == theirs.name == "nasnet_large"
    assert len(ours.layers) == len(theirs.layers) == 1039
    assert ours.count_params() == theirs.count_params() == 84916818
    _assert_same_predictions(ours, theirs)


def test_mobile_top_default_shapes_and_pooling():
    model = nasnet.NASNetMobile(weights=None, classes=7, classifier_activation="relu")
    assert model.input_shape == (None, 224, 224, 3)
    assert checks.layer_list(model)[-2:] == [
        ("global_average_pooling2d", "GlobalAveragePooling2D"),
        ("predictions", "Dense"),
    ]
    assert model.layers[-1].get_config()["activation"] == "relu"
    inputs = kerastorch.Input(SMALL)
    model = nasnet.NASNetMobile(weights=None, include_top=False, input_tensor=inputs,
                                pooling="max")  # fmt: skip
    assert model.inputs[0] is inputs
    assert tuple(model.output.shape) == (None, 1056)
    assert nasnet.NASNetMobile(weights=None, include_top=False).input_shape == (None, 224, 224, 3)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "should be 1000"),
        ({"weights": "/no/such/file.h5"}, "The `weights` argument should be either"),
        ({"weights": None, "include_top": False, "input_shape": (31, 32, 3)}, "at least 32"),
        ({"weights": "imagenet", "include_top": False, "input_shape": (None, 64, 3)}, "static"),
        ({"weights": "imagenet", "input_shape": SMALL}, r"should be \(331, 331, 3\)"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    family.assert_same_error(nasnet.NASNetLarge, keras.applications.NASNetLarge, match, **kwargs)


@pytest.mark.parity
def test_channels_first_is_refused_as_keras_does():
    keras = keras_or_skip()
    with checks.channels_first():
        family.assert_same_error(
            nasnet.NASNetMobile, keras.applications.NASNetLarge, "channels_first", weights=None
        )


@pytest.mark.parity
def test_loads_keras_imagenet_file(mobile, tmp_path, monkeypatch):
    def set_hash(digest):
        fname, origin, _ = nasnet.WEIGHT_FILES[224][False]
        monkeypatch.setitem(nasnet.WEIGHT_FILES[224], False, (fname, origin, digest))

    family.assert_loads_imagenet_file(
        nasnet.NASNetMobile,
        mobile[1],
        "nasnet_mobile_no_top.h5",
        set_hash,
        monkeypatch,
        tmp_path,
        include_top=False,
        input_shape=SMALL,
    )


@pytest.mark.parity
def test_weight_files_are_keras_files():
    keras_or_skip()
    from keras.src.applications import nasnet as keras_nasnet

    assert nasnet.NASNET_LARGE_WEIGHT_PATH == keras_nasnet.NASNET_LARGE_WEIGHT_PATH
    assert nasnet.NASNET_MOBILE_WEIGHT_PATH_NO_TOP == keras_nasnet.NASNET_MOBILE_WEIGHT_PATH_NO_TOP


@pytest.mark.parity
def test_preprocess_input_is_tf_mode():
    keras = keras_or_skip()
    family.assert_tf_mode_preprocessing(
        nasnet.preprocess_input, keras.applications.nasnet.preprocess_input
    )


@pytest.mark.parity
@pytest.mark.parametrize("name", ["NASNetMobile", "NASNetLarge"])
def test_signature_matches_keras(name):
    keras = keras_or_skip()
    ours = inspect.signature(getattr(nasnet, name)).parameters.values()
    theirs = inspect.signature(getattr(keras.applications, name)).parameters.values()
    assert [(p.name, p.default) for p in ours] == [(p.name, p.default) for p in theirs]
