"""int4 quantization of Dense, EinsumDense and Embedding (per channel and sub-channel), vs Keras."""

import warnings

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch.layers.core.dense import Dense
from kerastorch.layers.core.einsum_dense import EinsumDense
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.kernel_int4 import int4_block_size
from kerastorch.quantizers import Int4QuantizationConfig, Int8QuantizationConfig
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

RNG = np.random.default_rng(0)
LAYERS = {  # name -> (constructor arguments, input builder)
    "dense": (("Dense", (5,), {}), lambda: RNG.normal(size=(3, 2, 8)).astype("float32")),
    "einsum_matmul": (
        ("EinsumDense", ("ab,bc->ac",), {"output_shape": 5, "bias_axes": "c"}),
        lambda: RNG.normal(size=(3, 8)).astype("float32"),
    ),
    "einsum_heads": (
        ("EinsumDense", ("abc,cde->abde",), {"output_shape": (2, 3, 4), "bias_axes": "de"}),
        lambda: RNG.normal(size=(3, 2, 8)).astype("float32"),
    ),
    "embedding": (("Embedding", (10, 7), {}), lambda: RNG.integers(0, 10, size=(3, 4))),
}
OURS = {"Dense": Dense, "EinsumDense": EinsumDense, "Embedding": Embedding}
BLOCKS = [None, -1, 3]  # None: the default config (block_size=128); -1: per channel


def _pair(keras, name):
    (cls, args, kwargs), make = LAYERS[name]
    x = make()
    ref, ours = getattr(keras.layers, cls)(*args, **kwargs), OURS[cls](*args, **kwargs)
    ref(x)
    ours(torch.from_numpy(x))
    values = [RNG.normal(size=tuple(w.shape)).astype(w.dtype) for w in ref.weights]
    ref.set_weights(values)
    ours.set_weights(values)
    return ref, ours, x


def _quantize(keras, ref, ours, block_size):
    if block_size is None:
        ref.quantize("int4")
        ours.quantize("int4")
    else:
        ref.quantize("int4", config=keras.quantizers.Int4QuantizationConfig(block_size=block_size))
        ours.quantize("int4", config=Int4QuantizationConfig(block_size=block_size))


def _check_same(ref, ours, x, exact=True):
    assert [(w.name, w.dtype, w.shape, w.trainable) for w in ours.weights] == [
        (w.name, w.dtype, tuple(w.shape), w.trainable) for w in ref.weights
    ]
    for got, want in zip(ours.get_weights(), ref.get_weights(), strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    tol = 0 if exact else 1e-5
    assert_close(ours(torch.from_numpy(x)), ref(x), atol=tol, rtol=tol)
    config = {k: v for k, v in ours.get_config().items() if k != "name"}
    assert config == {k: v for k, v in ref.get_config().items() if k != "name"}


@pytest.mark.parity
@pytest.mark.parametrize("block_size", BLOCKS)
@pytest.mark.parametrize("name", list(LAYERS))
def test_int4_quantize_gives_keras_weights_outputs_and_config(name, block_size):
    keras = keras_or_skip()
    ref, ours, x = _pair(keras, name)
    _quantize(keras, ref, ours, block_size)
    assert ours.quantization_mode == "int4"
    assert ours.dtype_policy.name == ref.dtype_policy.name
    _check_same(ref, ours, x, exact=not name.startswith("einsum"))  # matmul vs Keras einsum
    weight = "embeddings" if name == "embedding" else "kernel"
    np.testing.assert_array_equal(np.asarray(getattr(ours, weight)), getattr(ref, weight).numpy())
    clone = type(ours).from_config(ours.get_config())  # built quantized from the policy
    clone(torch.from_numpy(x))
    clone.set_weights(ours.get_weights())
    assert_close(clone(torch.from_numpy(x)), ours(torch.from_numpy(x)), atol=0, rtol=0)


def test_int4_weights_really_take_an_eighth_of_the_memory():
    layer = Dense(64)
    layer.build((None, 128))
    float_bytes = layer._kernel.tensor.nbytes
    layer.quantize("int4", config=Int4QuantizationConfig(block_size=-1))
    kernel = layer._kernel.tensor
    assert (kernel.dtype, tuple(kernel.shape)) == (torch.int8, (128, 32))
    assert kernel.nbytes * 8 == float_bytes
    stored = sum(t.nbytes for t in layer.state_dict().values())
    assert stored == float_bytes / 8 + 64 * 4 * 2  # the packed kernel, its scale and the bias
    grouped = Embedding(100, 33)
    grouped.build()
    grouped.quantize("int4", config=Int4QuantizationConfig(block_size=16))
    shapes = [(w.name, tuple(w.shape)) for w in grouped.weights]
    assert shapes == [("embeddings", (100, 17)), ("embeddings_scale", (100, 3)),
                      ("embeddings_zero", (100, 3)), ("g_idx", (33,))]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "block_size"), [("dense", -1), ("dense", 3), ("einsum_heads", -1)]
)
def test_int4_inputs_gradient_matches_keras(name, block_size):
    keras = keras_or_skip()
    ref, ours, x = _pair(keras, name)
    _quantize(keras, ref, ours, block_size)
    ours_x = torch.from_numpy(x).requires_grad_(True)
    ref_x = torch.from_numpy(x).requires_grad_(True)
    ours(ours_x).square().sum().backward()
    ref(ref_x).square().sum().backward()
    assert_close(ours_x.grad, ref_x.grad, atol=1e-5, rtol=1e-5)
    assert not any(w.trainable for w in ours.weights if w.name != "bias")


@pytest.mark.parity
@pytest.mark.parametrize("name", ["dense", "einsum_heads", "embedding"])
def test_lora_on_int4_matches_keras(name):
    keras = keras_or_skip()
    ref, ours, x = _pair(keras, name)
    _quantize(keras, ref, ours, 3)
    ref.enable_lora(2, lora_alpha=3.0)
    ours.enable_lora(2, lora_alpha=3.0)
    lora = [RNG.normal(size=tuple(w.shape)).astype(w.dtype) if "lora" in w.name else w.numpy()
            for w in ref.weights]  # fmt: skip
    ref.set_weights(lora)
    ours.set_weights(lora)
    _check_same(ref, ours, x, exact=False)
    weight = "embeddings" if name == "embedding" else "kernel"
    assert_close(getattr(ours, weight), getattr(ref, weight))


def test_int4_activation_quantizer_and_block_size_resolution():
    layer = Dense(3)
    layer.build((None, 6))
    quantizer = kt.quantizers.AbsMaxQuantizer()
    layer.quantize("int4", config=Int4QuantizationConfig(activation_quantizer=quantizer,
                                                         block_size=None))  # fmt: skip
    assert layer.inputs_quantizer is quantizer
    assert layer.get_config()["dtype"]["config"]["mode"] == "int4/-1"
    x = torch.randn(4, 6)
    reference = x @ layer._float_weight() + layer.bias.value
    assert_close(layer(x), reference, atol=0.05, rtol=0.05)  # the inputs quantized to int8
    assert int4_block_size(None, "int4/64") == 64
    assert int4_block_size(Int4QuantizationConfig(block_size=8), "int4/64") == 8
    assert int4_block_size(None, "int4") is None
    legacy = Dense(3, dtype="int4_from_float32")  # Keras's legacy policy: per channel
    legacy.build((None, 6))
    assert [tuple(w.shape) for w in legacy.weights] == [(3,), (6, 2), (3,)]
    assert legacy.get_config()["dtype"]["config"]["mode"] == "int4"


def test_unsupported_modes_and_layers_raise_clearly():
    layer = Embedding(5, 2)
    layer.build()
    with pytest.raises(NotImplementedError, match="Invalid quantization mode for Embedding"):
        layer.quantize("float8")
    with pytest.raises(ValueError, match="Contradictory arguments"):
        layer.quantize("int4", config=Int8QuantizationConfig())

    class Custom(Dense):
        pass

    custom = Custom(2)
    custom.build((None, 3))
    with pytest.raises(NotImplementedError, match="does not have a `quantize\\(\\)` method"):
        custom.quantize("int4")
    custom.quantize("int4", type_check=False)
    assert custom.quantization_mode == "int4"
    half = Dense(2, dtype="float16")  # Keras refuses float16 for int8 only
    half.build((None, 3))
    half.quantize("int4")
    assert half(torch.ones(1, 3, dtype=torch.float16)).dtype == torch.float16


def _models(keras):
    def build(lib, einsum):
        inputs = lib.Input((4,), dtype="int32")
        x = lib.layers.Embedding(10, 8)(inputs)
        x = lib.layers.Dense(6, activation="relu")(x)
        x = einsum("abc,cd->abd", output_shape=(4, 3), bias_axes="d")(x)
        return lib.Model(inputs, x)

    return build(keras, keras.layers.EinsumDense), build(kt, EinsumDense)


@pytest.mark.parity
@pytest.mark.parametrize(("block_size", "lora"), [(None, False), (-1, False), (3, True)])
def test_int4_keras_files_move_both_ways(tmp_path, block_size, lora):
    keras = keras_or_skip()
    ref, ours = _models(keras)
    ours.set_weights(ref.get_weights())
    for model, lib in ((ref, keras), (ours, kt)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "InputLayer does not have a `quantize` method"
            if block_size is None:
                model.quantize("int4")
            else:
                model.quantize(config=lib.quantizers.Int4QuantizationConfig(block_size=block_size))
        if lora:
            for layer in model.layers[1:]:
                layer.enable_lora(2)
    if lora:
        ref.set_weights([RNG.normal(size=tuple(w.shape)).astype(w.dtype) if "lora" in w.name
                         else w.numpy() for w in ref.weights])  # fmt: skip
        ours.set_weights(ref.get_weights())
    x = RNG.integers(0, 10, size=(2, 4)).astype("int32")
    assert_close(ours(torch.from_numpy(x)), ref(x), atol=1e-5, rtol=1e-5)
    ref.save(tmp_path / "keras.keras")
    ours.save(tmp_path / "ours.keras")
    from_keras = kt.saving.load_model(tmp_path / "keras.keras")
    from_ours = keras.saving.load_model(tmp_path / "ours.keras")
    for loaded in (from_keras, from_ours):
        assert [layer.quantization_mode for layer in loaded.layers[1:]] == ["int4"] * 3
    assert_close(from_keras(torch.from_numpy(x)), from_ours(x), atol=1e-5, rtol=1e-5)
    for got, want in zip(from_keras.get_weights(), from_ours.get_weights(), strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    if not lora:  # LoRA is merged and re-quantized on save: close, not equal
        assert_close(from_keras(torch.from_numpy(x)), ref(x), atol=1e-5, rtol=1e-5)


HARNESS_CASES = [  # layers built int4-quantized from a policy
    (Dense, {"units": 3, "dtype": "int4/2_from_float32"}, (2, 4), "float32"),
    (
        EinsumDense,
        {"equation": "abc,cde->abde", "output_shape": (3, 2, 4), "bias_axes": "e",
         "dtype": "int4/-1_from_float32"},
        (2, 3, 5),
        "float32",
    ),
    (Embedding, {"input_dim": 5, "output_dim": 3, "dtype": "int4/2_from_float32"}, (2, 4), "int32"),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "init", "shape", "dtype"), HARNESS_CASES)
def test_int4_layers_pass_the_layer_harness(cls, init, shape, dtype):
    check_layer(cls, init, shape, input_dtype=dtype, input_range=(0, 5))


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["int8", "int4"])
def test_quantized_layers_compute_in_the_mixed_policy_dtype_like_keras(mode):
    keras = keras_or_skip()
    x = RNG.normal(size=(3, 8)).astype("float32")
    for cls in ("Dense", "EinsumDense"):
        args = (5,) if cls == "Dense" else ("ab,bc->ac", 5)
        kwargs = {"dtype": "mixed_bfloat16"} | ({} if cls == "Dense" else {"bias_axes": "c"})
        ref, ours = getattr(keras.layers, cls)(*args, **kwargs), OURS[cls](*args, **kwargs)
        ref(x)
        ours(torch.from_numpy(x))
        ours.set_weights(ref.get_weights())
        ref.quantize(mode)
        ours.quantize(mode)
        got, want = ours(torch.from_numpy(x)), ref(x)
        assert got.dtype == want.dtype == torch.bfloat16
        assert_close(got.float(), want.float(), atol=0.07, rtol=0.02)  # bfloat16 rounding


@pytest.mark.parity
@pytest.mark.parametrize("name", ["dense", "einsum_heads"])
def test_int4_with_an_activation_quantizer_matches_keras(name):
    keras = keras_or_skip()
    ref, ours, x = _pair(keras, name)
    for layer, lib in ((ref, keras), (ours, kt)):
        config = lib.quantizers.Int4QuantizationConfig(
            activation_quantizer=lib.quantizers.AbsMaxQuantizer(), block_size=-1
        )
        layer.quantize("int4", config=config)
    _check_same(ref, ours, x)
