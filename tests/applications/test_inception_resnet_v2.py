"""InceptionResNetV2 against Keras: architecture, numbers, its CustomScaleLayer, errors, weight
files, preprocessing. The model is big (54M parameters): each side builds it once, without the
top, at the smallest input (75x75)."""

import inspect

import numpy as np
import pytest

import kerastorch
from kerastorch.applications import inception_resnet_v2
from tests.applications import conv_app_checks as checks
from tests.applications import family_checks as family
from tests.oracle import assert_close, keras_or_skip

SMALL = (75, 75, 3)
NOTOP = {"include_top": False, "input_shape": SMALL}


@pytest.fixture(scope="module")
def pair():
    """Ours and Keras's model without the top, Keras's weights perturbed and copied to ours."""
    ours, theirs = checks.build_pair("InceptionResNetV2", "inception_resnet_v2", **NOTOP)
    ours.set_weights(family.perturbed(theirs).get_weights())
    return ours, theirs


@pytest.mark.parity
def test_architecture_matches_keras(pair):
    ours, theirs = pair  # build_pair compared layer names, types, order and weight shapes
    assert ours.name == theirs.name == "inception_resnet_v2"
    assert len(ours.layers) == len(theirs.layers) == 780
    assert ours.count_params() == theirs.count_params() == 54336736
    assert tuple(ours.output.shape) == (None, 1, 1, 1536)


@pytest.mark.parity
def test_predicts_like_keras(pair):
    # atol 1e-4 / rtol 1e-3 on the 1536 features, weights copied from Keras.
    ours, theirs = pair
    x = np.random.default_rng(0).uniform(-1, 1, (1, *SMALL)).astype("float32")
    family.assert_same_outputs(ours, theirs, x)


@pytest.mark.parity
def test_custom_scale_layer_matches_keras(pair):
    keras = keras_or_skip()
    ours, theirs = pair
    scale = next(layer for layer in ours.layers if type(layer).__name__ == "CustomScaleLayer")
    keras_scale = theirs.get_layer(scale.name)
    assert scale.get_config() == keras_scale.get_config()
    assert (
        kerastorch.saving.serialize_keras_object(scale)["module"]
        == (keras.saving.serialize_keras_object(keras_scale)["module"])
    )
    a, b = np.ones((1, 2), "float32"), np.full((1, 2), 2.0, "float32")
    assert_close(scale([a, b]), keras_scale([a, b]))


def _scaled_residual(lib, scale_layer):
    inputs = lib.Input((4, 4, 3))
    branch = lib.layers.Conv2D(3, 1, name="up")(inputs)
    return lib.Model(inputs, scale_layer(0.17, name="scaled")([inputs, branch]))


@pytest.mark.parity
def test_custom_scale_layer_keras_files_go_both_ways(tmp_path):
    keras = keras_or_skip()
    from keras.src.applications.inception_resnet_v2 import CustomScaleLayer as KerasScale

    x = np.random.default_rng(0).normal(size=(2, 4, 4, 3)).astype("float32")
    theirs = _scaled_residual(keras, KerasScale)
    theirs.save(str(tmp_path / "theirs.keras"))
    ours = kerastorch.saving.load_model(str(tmp_path / "theirs.keras"))
    assert type(ours.get_layer("scaled")) is inception_resnet_v2.CustomScaleLayer
    assert_close(ours.predict(x, verbose=0), theirs.predict(x, verbose=0))
    mine = _scaled_residual(kerastorch, inception_resnet_v2.CustomScaleLayer)
    mine.save(str(tmp_path / "ours.keras"))
    loaded = keras.saving.load_model(str(tmp_path / "ours.keras"))
    assert type(loaded.get_layer("scaled")) is KerasScale
    assert_close(loaded.predict(x, verbose=0), mine.predict(x, verbose=0))


def test_top_input_tensor_and_pooling():
    inputs = kerastorch.Input(SMALL)
    model = inception_resnet_v2.InceptionResNetV2(
        weights=None, input_tensor=inputs, classes=7, classifier_activation="relu"
    )
    assert model.inputs[0] is inputs
    assert checks.layer_list(model)[-2:] == [
        ("avg_pool", "GlobalAveragePooling2D"),
        ("predictions", "Dense"),
    ]
    assert model.layers[-1].get_config()["activation"] == "relu"
    assert tuple(model.output.shape) == (None, 7)
    with pytest.raises(ValueError, match='Expects "block35", "block17" or "block8"'):
        inception_resnet_v2.inception_resnet_block(inputs, 0.1, "block9", 1)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "should be 1000"),
        ({"weights": None, "include_top": False, "input_shape": (74, 75, 3)}, "at least 75"),
        ({"weights": "/no/such/file.h5"}, "The `weights` argument should be either"),
        ({"weights": "imagenet", "input_shape": SMALL}, r"should be \(299, 299, 3\)"),
    ],
)
def test_errors_match_keras(kwargs, match):
    keras = keras_or_skip()
    family.assert_same_error(
        inception_resnet_v2.InceptionResNetV2, keras.applications.InceptionResNetV2, match,
        **kwargs,
    )  # fmt: skip


@pytest.mark.parity
def test_loads_keras_imagenet_file(pair, tmp_path, monkeypatch):
    family.assert_loads_imagenet_file(
        inception_resnet_v2.InceptionResNetV2,
        pair[1],
        "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
        lambda digest: monkeypatch.setattr(inception_resnet_v2, "WEIGHTS_HASH_NO_TOP", digest),
        monkeypatch,
        tmp_path,
        **NOTOP,
    )


@pytest.mark.parity
def test_preprocess_input_is_tf_mode():
    keras = keras_or_skip()
    family.assert_tf_mode_preprocessing(
        inception_resnet_v2.preprocess_input,
        keras.applications.inception_resnet_v2.preprocess_input,
    )


@pytest.mark.parity
@pytest.mark.parametrize("name", ["InceptionResNetV2"])
def test_signature_matches_keras(name):
    keras = keras_or_skip()
    ours = inspect.signature(getattr(inception_resnet_v2, name)).parameters.values()
    theirs = inspect.signature(getattr(keras.applications, name)).parameters.values()
    assert [(p.name, p.default) for p in ours] == [(p.name, p.default) for p in theirs]
