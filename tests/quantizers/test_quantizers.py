import numpy as np
import pytest
import torch

from kerastorch import quantizers
from tests.oracle import assert_close, keras_or_skip

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 6, 5)).astype("float32")


@pytest.mark.parity
@pytest.mark.parametrize(
    ("axis", "value_range"), [(-1, (-127, 127)), (0, (-127, 127)), ((0, 2), (-8, 7))]
)
def test_abs_max_quantize_matches_keras(axis, value_range):
    keras = keras_or_skip()
    ours = quantizers.abs_max_quantize(torch.from_numpy(X), axis, value_range)
    for to_numpy in (False, True):
        theirs = keras.quantizers.abs_max_quantize(X, axis, value_range, to_numpy=to_numpy)
        for a, b in zip(ours, theirs, strict=True):
            assert str(a.dtype).removeprefix("torch.") == str(b.dtype).removeprefix("torch.")
            np.testing.assert_array_equal(a.numpy(), b.detach().cpu().numpy())


@pytest.mark.parity
def test_abs_max_quantizer_call_and_config_match_keras():
    keras = keras_or_skip()
    ours = quantizers.AbsMaxQuantizer(axis=1, value_range=(-100, 100))
    theirs = keras.quantizers.AbsMaxQuantizer(axis=1, value_range=(-100, 100))
    assert ours.get_config() == theirs.get_config()
    assert quantizers.serialize(ours) == keras.quantizers.serialize(theirs)
    for a, b in zip(ours(X), theirs(X), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.detach().cpu().numpy())
    with pytest.raises(ValueError, match="within the interval"):
        quantizers.AbsMaxQuantizer(value_range=(-200, 127))


@pytest.mark.parity
@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "float8_e5m2"])
def test_quantize_and_dequantize_matches_keras(dtype):
    keras = keras_or_skip()
    x = (X * 300).astype("float32")
    ours = quantizers.quantize_and_dequantize(torch.from_numpy(x), 1.5, dtype, "float32")
    theirs = keras.quantizers.quantize_and_dequantize(x, 1.5, dtype, "float32")
    assert_close(ours, theirs, atol=0, rtol=0)


@pytest.mark.parity
def test_float8_scale_and_amax_history_match_keras():
    keras = keras_or_skip()
    amax = np.array([0.0, 2.5, np.inf, 7.0], "float32")
    scale = np.array([1.0, 2.0, 0.5, 4.0], "float32")
    ours = quantizers.compute_float8_scale(
        torch.from_numpy(amax), torch.from_numpy(scale), 448.0, 1
    )
    assert_close(ours, keras.quantizers.compute_float8_scale(amax, scale, 448.0, 1))
    history = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    ours = quantizers.compute_float8_amax_history(torch.from_numpy(X), torch.from_numpy(history))
    assert_close(ours, keras.quantizers.compute_float8_amax_history(X, history))


@pytest.mark.parity
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_pack_and_unpack_int4_match_keras(axis):
    keras = keras_or_skip()
    values = RNG.integers(-8, 8, size=(5, 3, 7)).astype("int8")
    packed, shape, n = quantizers.pack_int4(torch.from_numpy(values), axis=axis)
    k_packed, k_shape, k_n = keras.quantizers.pack_int4(values, axis=axis)
    np.testing.assert_array_equal(packed.numpy(), k_packed.detach().cpu().numpy())
    assert (shape, n) == (tuple(k_shape), k_n)
    unpacked = quantizers.unpack_int4(packed, n, axis=axis)
    np.testing.assert_array_equal(unpacked.numpy(), values)
    with pytest.raises(TypeError, match="Expected int8 tensor for packing"):
        quantizers.pack_int4(torch.zeros(2, dtype=torch.int32))


def test_get_resolves_names_and_rejects_junk():
    assert isinstance(quantizers.get("abs_max_quantizer"), quantizers.AbsMaxQuantizer)
    assert quantizers.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret quantizer identifier"):
        quantizers.get(3)


@pytest.mark.parity
@pytest.mark.parametrize("block_size", [2, 3, 128])
def test_grouped_quantize_with_zero_point_matches_keras(block_size):
    keras = keras_or_skip()
    x = RNG.normal(size=(7, 5)).astype("float32")
    ours = quantizers.abs_max_quantize_grouped_with_zero_point(torch.from_numpy(x), block_size)
    theirs = keras.quantizers.abs_max_quantize_grouped_with_zero_point(x, block_size)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a.numpy(), b.detach().cpu().numpy())
