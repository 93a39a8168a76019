"""ConvNeXt Tiny..XLarge against Keras: architecture, numbers, pooling, errors, weight files,
and the family's own layers (LayerScale, StochasticDepth)."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.applications import convnext
from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close, keras_or_skip

SMALL = (32, 32, 3)
NAMES = ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"]
WIDTH = {"Tiny": 768, "Small": 768, "Base": 1024, "Large": 1536, "XLarge": 2048}


def _perturbed(theirs):
    rng = np.random.default_rng(0)
    weights = theirs.get_weights()
    theirs.set_weights([w + rng.uniform(0, 0.05, w.shape).astype(w.dtype) for w in weights])
    return theirs


@pytest.mark.parity
@pytest.mark.parametrize("name", NAMES)
def test_architecture_matches_keras(name):
    ours, theirs = checks.build_pair(name, "convnext", include_top=False, input_shape=SMALL)
    assert ours.name == theirs.name
    assert tuple(ours.output.shape) == (None, 1, 1, WIDTH[name.removeprefix("ConvNeXt")])


@pytest.mark.parity
@pytest.mark.parametrize("include_preprocessing", [True, False])
def test_tiny_with_top_predicts_like_keras(include_preprocessing):
    # atol 1e-4 / rtol 1e-3 on a 7-class softmax, weights copied from Keras.
    ours, theirs = checks.build_pair(
        "ConvNeXtTiny",
        "convnext",
        input_shape=SMALL,
        classes=7,
        include_preprocessing=include_preprocessing,
    )
    checks.assert_same_predictions(ours, _perturbed(theirs), (2, *SMALL), scale=255.0)


@pytest.mark.parity
@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_pooling_matches_keras(pooling):
    ours, _ = checks.build_pair(
        "ConvNeXtTiny", "convnext", include_top=False, input_shape=SMALL, pooling=pooling
    )
    assert tuple(ours.output.shape) == (None, 768)
    assert type(ours.layers[-1]).__name__ == "LayerNormalization"


def test_input_tensor():
    inputs = kerastorch.Input(SMALL)
    model = convnext.ConvNeXtTiny(weights=None, include_top=False, input_tensor=inputs)
    assert model.inputs[0] is inputs
    x = np.ones((1, *SMALL), "float32")
    assert convnext.preprocess_input(x) is x


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": "imagenet", "classes": 10}, "should be 1000"),
        ({"weights": None, "include_top": False, "input_shape": (16, 16, 3)}, "at least 32"),
        ({"weights": "/no/such/file.h5"}, "The `weights` argument should be either"),
        ({"weights": "imagenet", "name": "my_model"}, "does not match weights variant"),
    ],
)
def test_errors_match_keras(kwargs, match, tmp_path, monkeypatch):
    keras = keras_or_skip()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # never reaches a download
    with pytest.raises(ValueError, match=match) as ours:
        convnext.ConvNeXtTiny(include_top=False, **kwargs) if "name" in kwargs else (
            convnext.ConvNeXtTiny(**kwargs)
        )
    with pytest.raises(ValueError) as theirs:
        keras.applications.ConvNeXtTiny(include_top=False, **kwargs) if "name" in kwargs else (
            keras.applications.ConvNeXtTiny(**kwargs)
        )
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_channels_first_is_refused_like_keras():
    keras = keras_or_skip()
    kerastorch.backend.set_image_data_format("channels_first")
    keras.backend.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="channels_first") as ours:
            convnext.ConvNeXtTiny(weights=None)
        with pytest.raises(ValueError) as theirs:
            keras.applications.ConvNeXtTiny(weights=None)
    finally:
        kerastorch.backend.set_image_data_format("channels_last")
        keras.backend.set_image_data_format("channels_last")
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parity
def test_weights_from_keras_files_and_imagenet_cache(tmp_path, monkeypatch):
    keras = keras_or_skip()
    kwargs = {"include_top": False, "input_shape": SMALL}
    theirs = _perturbed(keras.applications.ConvNeXtTiny(weights=None, **kwargs))
    checks.assert_loads_weight_files(convnext.ConvNeXtTiny, theirs, tmp_path, **kwargs)
    digest = checks.cache_imagenet_file(theirs, "convnext_tiny_notop.h5", monkeypatch, tmp_path)
    monkeypatch.setitem(convnext.WEIGHTS_HASHES, "convnext_tiny", ("unused", digest))
    ours = convnext.ConvNeXtTiny(weights="imagenet", **kwargs)
    checks.assert_same_weights(ours, theirs)


@pytest.mark.parity
def test_base_builder_drop_path_and_layer_scale_match_keras():
    keras = keras_or_skip()
    from keras.src.applications.convnext import ConvNeXt

    kwargs = {"depths": [1, 1, 2, 1], "projection_dims": [8, 8, 16, 16], "input_shape": SMALL}
    kerastorch.backend.clear_session()
    keras.backend.clear_session()
    ours = convnext.ConvNeXt(drop_path_rate=0.3, layer_scale_init_value=None, **kwargs)
    theirs = ConvNeXt(drop_path_rate=0.3, layer_scale_init_value=None, **kwargs)
    checks.assert_same_structure(ours, theirs)
    rates = [
        (layer.name, layer.drop_path_rate) for layer in ours.layers if "stochastic" in layer.name
    ]
    expected = [
        (layer.name, layer.drop_path_rate) for layer in theirs.layers if "stochastic" in layer.name
    ]
    assert rates == expected
    assert len(rates) == 4
    x = np.random.default_rng(0).uniform(0, 255, (2, *SMALL)).astype("float32")
    ours.set_weights(theirs.get_weights())
    assert_close(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-4, rtol=1e-3)


@pytest.mark.parity
def test_layer_scale_and_stochastic_depth_match_keras():
    keras = keras_or_skip()
    from keras.src.applications import convnext as theirs_module

    x = np.random.default_rng(0).normal(size=(4, 3, 5)).astype("float32")
    ours, theirs = convnext.LayerScale(0.5, 5), theirs_module.LayerScale(0.5, 5)
    assert_close(ours(x), theirs(x))
    assert ours.get_config() == {**theirs.get_config(), "name": ours.name}
    drop = convnext.StochasticDepth(0.25)
    assert drop.get_config()["drop_path_rate"] == 0.25
    assert_close(drop(x), x)  # inference: identity
    kept = drop(torch.ones(64, 2), training=True)
    assert set(np.unique(kept.numpy()).tolist()) <= {0.0, float(np.float32(4.0 / 3.0))}
    assert 0 < float(kept[:, 0].mean()) < 2
    assert bool((kept[:, 0] == kept[:, 1]).all())
    assert keras.backend.backend() == "torch"


def test_model_with_family_layers_saves_and_loads(tmp_path):
    inputs = kerastorch.Input((3, 5))
    outputs = convnext.StochasticDepth(0.1)(convnext.LayerScale(0.5, 5)(inputs))
    model = kerastorch.Model(inputs, outputs)
    model.save(str(tmp_path / "m.keras"))
    loaded = kerastorch.saving.load_model(str(tmp_path / "m.keras"))
    assert [type(layer).__name__ for layer in loaded.layers[1:]] == [
        "LayerScale",
        "StochasticDepth",
    ]
    x = np.random.default_rng(0).normal(size=(2, 3, 5)).astype("float32")
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parity
def test_keras_saved_convnext_loads(tmp_path):
    keras = keras_or_skip()
    from keras.src.applications.convnext import ConvNeXt

    kwargs = {"depths": [1, 1, 1, 1], "projection_dims": [8, 8, 8, 8], "input_shape": SMALL}
    theirs = _perturbed(ConvNeXt(drop_path_rate=0.2, **kwargs))
    theirs.save(str(tmp_path / "c.keras"))
    ours = kerastorch.saving.load_model(str(tmp_path / "c.keras"))
    assert checks.layer_list(ours) == checks.layer_list(theirs)
    x = np.random.default_rng(0).uniform(0, 255, (2, *SMALL)).astype("float32")
    assert_close(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-4, rtol=1e-3)
    assert keras.backend.backend() == "torch"


@pytest.mark.parity
def test_our_convnext_file_loads_in_keras(tmp_path):
    keras = keras_or_skip()
    kwargs = {"depths": [1, 1, 1, 1], "projection_dims": [8, 8, 8, 8], "input_shape": SMALL}
    ours = convnext.ConvNeXt(drop_path_rate=0.2, weights=None, **kwargs)
    ours.save(str(tmp_path / "c.keras"))
    theirs = keras.saving.load_model(str(tmp_path / "c.keras"))
    assert checks.layer_list(theirs) == checks.layer_list(ours)
    scales = [layer for layer in theirs.layers if type(layer).__name__ == "LayerScale"]
    assert [type(layer).__module__ for layer in scales[:1]] == ["keras.src.applications.convnext"]
    x = np.random.default_rng(0).uniform(0, 255, (2, *SMALL)).astype("float32")
    assert_close(theirs.predict(x, verbose=0), ours.predict(x, verbose=0), atol=1e-4, rtol=1e-3)
