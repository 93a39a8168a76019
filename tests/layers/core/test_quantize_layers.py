import warnings

import numpy as np
import pytest
import torch

import kerastorch as kt
from tests.oracle import assert_close, keras_or_skip


def _model(lib):
    return lib.Sequential([lib.Input((5,)), lib.layers.Dense(4, name="hidden"),
                           lib.layers.ReLU(), lib.layers.Dense(2, name="head")])  # fmt: skip


@pytest.mark.parity
def test_model_quantize_matches_keras_and_warns_like_keras():
    keras = keras_or_skip()
    ref, ours = _model(keras), _model(kt)
    ours.set_weights(ref.get_weights())
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        ref.quantize("int8")
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        ours.quantize("int8")
    keras_messages = {str(w.message) for w in theirs_warned if "quantize" in str(w.message)}
    assert {str(w.message) for w in ours_warned} == keras_messages
    for got, want in zip(ours.get_weights(), ref.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    x = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    assert_close(ours(torch.from_numpy(x)), ref(x))


def test_model_quantize_filters_and_argument_errors():
    model = _model(kt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize("int8", filters=["head"])
    assert model.get_layer("head").quantization_mode == "int8"
    assert model.get_layer("hidden").quantization_mode is None
    model.quantize("int8", filters=lambda layer: layer.name == "hidden")
    assert model.get_layer("hidden").quantization_mode == "int8"
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        model.quantize("int8", colour="red")
    with pytest.raises(ValueError, match="`filters` argument must be"):
        model.quantize("int8", filters=3)
    with pytest.raises(ValueError, match="provide either `mode` or `config`"):
        model.quantize()


@pytest.mark.parametrize("mode", ["gptq", "awq"])
def test_model_quantize_unavailable_modes_raise_before_changing_anything(mode):
    model = _model(kt)
    with pytest.raises(NotImplementedError, match="not available in kerastorch"):
        model.quantize(mode)
    assert model.get_layer("head").quantization_mode is None


@pytest.mark.parity
def test_model_quantize_int4_with_filters_matches_keras():
    keras = keras_or_skip()
    ref, ours = _model(keras), _model(kt)
    ours.set_weights(ref.get_weights())
    for model in (ref, ours):
        model.quantize("int4", filters="head")
    assert ours.get_layer("head").quantization_mode == "int4"
    assert ours.get_layer("hidden").quantization_mode is None
    for got, want in zip(ours.get_weights(), ref.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    x = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    assert_close(ours(torch.from_numpy(x)), ref(x))  # the float layer: F.linear vs matmul


def test_model_quantize_warns_for_a_layer_without_the_mode():
    model = kt.Sequential([kt.Input((3,), dtype="int32"), kt.layers.Embedding(5, 4),
                           kt.layers.Dense(2)])  # fmt: skip
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        model.quantize("float8")
    assert any("Invalid quantization mode for Embedding" in str(w.message) for w in warned)
    assert [layer.quantization_mode for layer in model.layers] == [None, "float8"]


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["int8", "int4", "float8", "lora"])
def test_weights_added_after_build_keep_keras_paths(mode):
    """Weights made by `quantize` / `enable_lora` after the model is built go under the path
    where the layer was built (`inner/d/...`), as Keras records it."""
    keras = keras_or_skip()
    paths = []
    for lib in (keras, kt):
        inner = lib.Sequential([lib.Input((4,)), lib.layers.Dense(8, name="d")], name="inner")
        x = lib.Input((4,))
        model = lib.Model(x, lib.layers.Dense(2, name="head")(inner(x)), name="outer")
        with warnings.catch_warnings():  # InputLayers cannot be quantized (both warn)
            warnings.simplefilter("ignore")
            if mode == "lora":
                inner.layers[0].enable_lora(2)
            else:
                model.quantize(mode)
        paths.append(sorted(w.path for w in model.weights))
    assert paths[1] == paths[0]
