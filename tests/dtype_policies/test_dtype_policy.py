import pytest

from kerastorch import dtype_policies
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "name", ["int8_from_float32", "int8_from_mixed_bfloat16", "float8_from_float32"]
)
def test_quantized_policies_match_keras(name):
    keras = keras_or_skip()
    ours, theirs = dtype_policies.get(name), keras.dtype_policies.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    assert (ours.name, ours.quantization_mode) == (theirs.name, theirs.quantization_mode)
    assert (ours.compute_dtype, ours.variable_dtype) == (
        theirs.compute_dtype,
        theirs.variable_dtype,
    )
    config = dtype_policies.serialize(ours)
    assert config == keras.dtype_policies.serialize(theirs)
    assert dtype_policies.deserialize(config) == ours


def test_bad_policies_raise_clear_errors():
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        dtype_policies.QuantizedDTypePolicy("int3", "float32")
    with pytest.raises(ValueError, match="doesn't work well with compute_dtype='float16'"):
        dtype_policies.get("int8_from_float16")
    with pytest.raises(ValueError, match="Cannot convert `policy`"):
        dtype_policies.get("int8_float32")
    with pytest.raises(NotImplementedError, match="not available in kerastorch"):
        dtype_policies.get("gptq/4/128_from_float32")
    with pytest.raises(ValueError, match="Cannot interpret `dtype` argument"):
        dtype_policies.get(3.5)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["float32", "mixed_float16", "int4/128_from_float32"])
def test_other_policies_serialize_like_keras(name):
    keras = keras_or_skip()
    ours, theirs = dtype_policies.get(name), keras.dtype_policies.get(name)
    assert ours.name == theirs.name
    config = dtype_policies.serialize(ours)
    assert config == keras.dtype_policies.serialize(theirs)
    assert dtype_policies.deserialize(config) == ours
