import pytest

from kerastorch import quantizers
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "make",
    [
        lambda q: q.Int8QuantizationConfig(),
        lambda q: q.Int8QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(axis=0)),
        lambda q: q.Int4QuantizationConfig(block_size=-1),
        lambda q: q.Float8QuantizationConfig(),
    ],
)
def test_quantization_configs_serialize_like_keras(make):
    keras = keras_or_skip()
    ours, theirs = make(quantizers), make(keras.quantizers)
    assert ours.mode == theirs.mode
    config = quantizers.serialize(ours)
    assert config == keras.quantizers.serialize(theirs)
    back = quantizers.deserialize(keras.quantizers.serialize(theirs))
    assert type(back) is type(ours)
    assert quantizers.serialize(back) == config


def test_calibration_configs_raise_clearly():
    for cls in (quantizers.GPTQConfig, quantizers.AWQConfig):
        with pytest.raises(NotImplementedError, match="not available in kerastorch"):
            cls()


@pytest.mark.parity
@pytest.mark.parametrize(
    "make",
    [
        lambda q: q.Int4QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(axis=0)),
        lambda q: q.Int4QuantizationConfig(
            weight_quantizer=q.AbsMaxQuantizer(axis=0, value_range=(-127, 127)), block_size=-1
        ),
        lambda q: q.Int4QuantizationConfig(block_size=0),
    ],
)
def test_int4_config_errors_match_keras(make):
    keras = keras_or_skip()
    with pytest.raises(ValueError) as theirs:
        make(keras.quantizers)
    with pytest.raises(ValueError, match=r"block_size|value_range") as ours:
        make(quantizers)
    assert str(ours.value) == str(theirs.value)
