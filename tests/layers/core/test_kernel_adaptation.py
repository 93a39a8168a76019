"""LoRA and int8 quantization of Dense, EinsumDense and Embedding, against Keras."""

import warnings

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.einsum_dense import EinsumDense
from kerastorch.layers.core.embedding import Embedding
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

RNG = np.random.default_rng(0)
LAYERS = {  # name -> (constructor arguments, input builder)
    "dense": (("Dense", (6,), {}), lambda: RNG.normal(size=(3, 2, 8)).astype("float32")),
    "einsum_matmul": (
        ("EinsumDense", ("abc,cd->abd",), {"output_shape": (2, 6), "bias_axes": "d"}),
        lambda: RNG.normal(size=(3, 2, 8)).astype("float32"),
    ),
    "einsum_heads": (
        ("EinsumDense", ("abc,cde->abde",), {"output_shape": (2, 3, 4), "bias_axes": "de"}),
        lambda: RNG.normal(size=(3, 2, 8)).astype("float32"),
    ),
    "embedding": (("Embedding", (10, 6), {}), lambda: RNG.integers(0, 10, size=(3, 4))),
}
OURS = {"Dense": Dense, "EinsumDense": EinsumDense, "Embedding": Embedding}


def _pair(keras, name):
    (cls, args, kwargs), make = LAYERS[name]
    x = make()
    ref, ours = getattr(keras.layers, cls)(*args, **kwargs), OURS[cls](*args, **kwargs)
    ref(x)
    ours(torch.from_numpy(x))
    return ref, ours, x


def _copy_random_weights(ref, ours):
    values = [RNG.normal(size=tuple(w.shape)).astype(w.dtype) for w in ref.weights]
    ref.set_weights(values)
    ours.set_weights(values)


def _check_same(ref, ours, x):
    assert [(w.name, w.dtype, w.shape, w.trainable) for w in ours.weights] == [
        (w.name, w.dtype, tuple(w.shape), w.trainable) for w in ref.weights
    ]
    for got, want in zip(ours.get_weights(), ref.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    assert_close(ours(torch.from_numpy(x)), ref(x), atol=1e-5, rtol=1e-5)
    config = {k: v for k, v in ours.get_config().items() if k != "name"}
    ref_config = {k: v for k, v in ref.get_config().items() if k != "name"}
    assert config == ref_config


@pytest.mark.parity
@pytest.mark.parametrize("name", list(LAYERS))
def test_int8_quantize_gives_keras_weights_outputs_and_config(name):
    keras = keras_or_skip()
    ref, ours, x = _pair(keras, name)
    _copy_random_weights(ref, ours)
    ref.quantize("int8")
    ours.quantize("int8")
    assert ours.quantization_mode == "int8"
    _check_same(ref, ours, x)
    clone = type(ours).from_config(ours.get_config())
    clone(torch.from_numpy(x))
    clone.set_weights(ours.get_weights())
    assert_close(clone(torch.from_numpy(x)), ours(torch.from_numpy(x)), atol=0, rtol=0)


@pytest.mark.parity
@pytest.mark.parametrize("name", list(LAYERS))
def test_lora_matches_keras_and_then_quantizes_like_keras(name):
    keras = keras_or_skip()
    ref, ours, x = _pair(keras, name)
    ref.enable_lora(2, lora_alpha=3.0)
    ours.enable_lora(2, lora_alpha=3.0)
    _copy_random_weights(ref, ours)
    _check_same(ref, ours, x)
    weight = "embeddings" if name == "embedding" else "kernel"
    assert_close(getattr(ours, weight), getattr(ref, weight))
    ref.quantize("int8")
    ours.quantize("int8")
    _check_same(ref, ours, x)


def test_lora_trains_only_the_low_rank_factors():
    layer = Dense(4, kernel_regularizer="l2")
    layer.build((None, 8))
    layer.enable_lora(2)
    assert [w.name for w in layer.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
    before = layer(torch.ones(3, 8)).detach()
    layer.lora_kernel_b.assign(torch.ones(2, 4))
    layer(torch.ones(3, 8)).sum().backward()
    assert layer._kernel.tensor.grad is None
    assert layer.lora_kernel_a.grad is not None
    assert not torch.allclose(layer(torch.ones(3, 8)), before)
    assert len(layer.losses) == 2  # the kernel regularizer moves to the LoRA factors


def test_lora_errors_are_clear():
    layer = Dense(4, kernel_constraint="max_norm")
    layer.build((None, 8))
    with pytest.raises(ValueError, match="Lora is incompatible with kernel constraints"):
        layer.enable_lora(2)
    with pytest.raises(ValueError, match="isn't yet built"):
        Embedding(5, 2).enable_lora(2)
    layer = Embedding(5, 2)
    layer.build()
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="lora is already enabled"):
        layer.enable_lora(2)


def test_quantize_errors_are_clear():
    layer = Dense(4)
    with pytest.raises(ValueError, match="isn't yet built"):
        layer.quantize("int8")
    layer.build((None, 8))
    with pytest.raises(NotImplementedError, match="mode='gptq'"):
        layer.quantize("gptq")
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        layer.quantize("int3")
    layer.quantize("int8")
    with pytest.raises(ValueError, match="is already quantized"):
        layer.quantize("int8")
    half = Dense(2, dtype="float16")
    half.build((None, 3))
    with pytest.raises(ValueError, match="doesn't work well with compute_dtype='float16'"):
        half.quantize("int8")


def test_int8_weights_really_take_a_quarter_of_the_memory():
    layer = EinsumDense("ab,bc->ac", 64, bias_axes="c")
    layer.build((None, 128))
    float_bytes = layer._kernel.tensor.nbytes
    layer.quantize("int8")
    kernel = layer._kernel.tensor
    assert kernel.dtype == torch.int8
    assert kernel.nbytes * 4 == float_bytes
    stored = sum(t.nbytes for t in layer.state_dict().values())
    assert stored < float_bytes / 4 + 64 * 4 * 3  # the int8 kernel, its scale and the bias


@pytest.mark.parity
def test_int8_inputs_gradient_matches_keras():
    keras = keras_or_skip()
    ref, ours, x = _pair(keras, "dense")
    _copy_random_weights(ref, ours)
    ref.quantize("int8")
    ours.quantize("int8")
    ours_x = torch.from_numpy(x).requires_grad_(True)
    ref_x = torch.from_numpy(x).requires_grad_(True)
    ours(ours_x).sum().backward()
    ref(ref_x).sum().backward()
    assert_close(ours_x.grad, ref_x.grad)


def _models(keras):
    def build(lib, einsum):
        inputs = lib.Input((4,), dtype="int32")
        x = lib.layers.Embedding(10, 8)(inputs)
        x = lib.layers.Dense(6, activation="relu")(x)
        x = einsum("abc,cd->abd", output_shape=(4, 3), bias_axes="d")(x)
        return lib.Model(inputs, x)

    return build(keras, keras.layers.EinsumDense), build(kt, EinsumDense)


@pytest.mark.parity
@pytest.mark.parametrize("lora", [False, True])
def test_quantized_keras_files_move_both_ways(tmp_path, lora):
    keras = keras_or_skip()
    ref, ours = _models(keras)
    ours.set_weights(ref.get_weights())
    for model in (ref, ours):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "InputLayer does not have a `quantize` method"
            model.quantize("int8")
        if lora:
            for layer in model.layers[1:]:
                layer.enable_lora(2)
    if lora:
        ref.set_weights([RNG.normal(size=tuple(w.shape)).astype(w.dtype) for w in ref.weights])
        ours.set_weights(ref.get_weights())
    x = RNG.integers(0, 10, size=(2, 4)).astype("int32")
    assert_close(ours(torch.from_numpy(x)), ref(x), atol=1e-5, rtol=1e-5)
    ref.save(tmp_path / "keras.keras")
    ours.save(tmp_path / "ours.keras")
    from_keras = kt.saving.load_model(tmp_path / "keras.keras")
    from_ours = keras.saving.load_model(tmp_path / "ours.keras")
    for loaded in (from_keras, from_ours):
        assert [layer.quantization_mode for layer in loaded.layers[1:]] == ["int8"] * 3
    assert_close(from_keras(torch.from_numpy(x)), from_ours(x), atol=1e-5, rtol=1e-5)
    for got, want in zip(from_keras.get_weights(), from_ours.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    if not lora:  # LoRA is merged and re-quantized on save: close, not equal
        assert_close(from_keras(torch.from_numpy(x)), ref(x), atol=1e-5, rtol=1e-5)


@pytest.mark.parity
def test_lora_is_merged_into_the_saved_float_kernel(tmp_path):
    keras = keras_or_skip()
    ours = kt.Sequential([kt.Input((8,)), Dense(4)])
    ours.layers[0].enable_lora(2, lora_alpha=4.0)
    ours.layers[0].lora_kernel_b.assign(torch.ones(2, 4))
    x = RNG.normal(size=(3, 8)).astype("float32")
    ours.save(tmp_path / "lora.keras")
    loaded = keras.saving.load_model(tmp_path / "lora.keras")
    assert [w.name for w in loaded.weights] == ["kernel", "bias", "lora_kernel_a", "lora_kernel_b"]
    assert_close(loaded(x), ours(torch.from_numpy(x)))
    back = kt.saving.load_model(tmp_path / "lora.keras")
    assert back.layers[0].lora_enabled
    assert float(back.layers[0].lora_kernel_b.numpy().sum()) == 0.0
    assert_close(back(torch.from_numpy(x)), ours(torch.from_numpy(x)))


HARNESS_CASES = [  # layers built quantized (from a policy) or with LoRA (from the config)
    (Dense, {"units": 3, "dtype": "int8_from_float32"}, (2, 4), "float32"),
    (Dense, {"units": 3, "lora_rank": 2}, (2, 4), "float32"),
    (
        EinsumDense,
        {"equation": "abc,cde->abde", "output_shape": (3, 2, 4), "bias_axes": "e",
         "dtype": "int8_from_float32"},
        (2, 3, 5),
        "float32",
    ),
    (
        EinsumDense,
        {"equation": "abc,cde->abde", "output_shape": (3, 2, 4), "lora_rank": 2,
         "lora_alpha": 3.0},
        (2, 3, 5),
        "float32",
    ),
    (Embedding, {"input_dim": 5, "output_dim": 3, "dtype": "int8_from_float32"}, (2, 4), "int32"),
    (Embedding, {"input_dim": 5, "output_dim": 3, "lora_rank": 2}, (2, 4), "int32"),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "init", "shape", "dtype"), HARNESS_CASES)
def test_quantized_and_lora_layers_pass_the_layer_harness(cls, init, shape, dtype):
    check_layer(cls, init, shape, input_dtype=dtype, input_range=(0, 5))
