"""`keras.quantizers`: quantizers, quantization configs and their helpers.

GPTQ and AWQ (calibration-based quantization) are not available in kerastorch: `GPTQConfig`,
`AWQConfig` and `quantize("gptq")` / `quantize("awq")` raise `NotImplementedError`. `Dense`,
`EinsumDense`, `Embedding` and `ReversibleEmbedding` quantize to int8 and int4
(`Int4QuantizationConfig(block_size=...)`: per channel or sub-channel with zero points), as
Keras 3.15 does.

Example:
    >>> from kerastorch import quantizers
    >>> quantizers.get("AbsMaxQuantizer").value_range
    (-127, 127)
"""

import inspect
from typing import Any

from kerastorch.common import naming, serialization
from kerastorch.quantizers.fake_quant import fake_quant_with_min_max_vars
from kerastorch.quantizers.quantization_config import (
    CONFIG_CLASSES,
    AWQConfig,
    Float8QuantizationConfig,
    GPTQConfig,
    Int4QuantizationConfig,
    Int8QuantizationConfig,
    QuantizationConfig,
)
from kerastorch.quantizers.quantizers import (
    AbsMaxQuantizer,
    Quantizer,
    abs_max_quantize,
    abs_max_quantize_grouped_with_zero_point,
    compute_float8_amax_history,
    compute_float8_scale,
    pack_int4,
    quantize_and_dequantize,
    unpack_int4,
)

ALL_OBJECTS_DICT = {**CONFIG_CLASSES}
ALL_OBJECTS_DICT.update({naming.to_snake_case(k): v for k, v in CONFIG_CLASSES.items()})


def serialize(quantizer: Any) -> Any:
    """The Keras config of a quantizer or quantization config."""
    return serialization.serialize_keras_object(quantizer)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """A quantizer or quantization config from its Keras config."""
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


def get(identifier: Any, **kwargs: Any) -> Any:
    """A quantizer from a name, a config dict or an instance (`None` stays `None`)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj(**kwargs) if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")


__all__ = [
    "AWQConfig",
    "AbsMaxQuantizer",
    "Float8QuantizationConfig",
    "GPTQConfig",
    "Int4QuantizationConfig",
    "Int8QuantizationConfig",
    "QuantizationConfig",
    "Quantizer",
    "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point",
    "compute_float8_amax_history",
    "compute_float8_scale",
    "deserialize",
    "fake_quant_with_min_max_vars",
    "get",
    "pack_int4",
    "quantize_and_dequantize",
    "serialize",
    "unpack_int4",
]
