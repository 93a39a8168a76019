"""`keras.dtype_policies`: float, mixed and quantized dtype policies, and policy maps.

`DTypePolicy` is `kerastorch.mixed_precision.DTypePolicy`; quantized policies extend it.
`GPTQDTypePolicy` and `AWQDTypePolicy` (calibration-based quantization) raise
`NotImplementedError`: kerastorch does not implement GPTQ or AWQ.

Example:
    >>> from kerastorch import dtype_policies
    >>> dtype_policies.get("int8_from_float32")
    <QuantizedDTypePolicy "int8_from_float32">
    >>> dtype_policies.serialize(dtype_policies.get("int8_from_float32"))["config"]
    {'mode': 'int8', 'source_name': 'float32'}
"""

from typing import Any

from kerastorch import mixed_precision
from kerastorch.common import serialization
from kerastorch.dtype_policies.dtype_policy import (
    AWQDTypePolicy,
    FloatDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
    get_quantized_policy,
)
from kerastorch.dtype_policies.dtype_policy_map import DTypePolicyMap
from kerastorch.mixed_precision import DTypePolicy
from kerastorch.quantizers.quantization_config import QUANTIZATION_MODES

ALL_OBJECTS_DICT = {
    cls.__name__: cls
    for cls in (
        AWQDTypePolicy,
        DTypePolicy,
        GPTQDTypePolicy,
        Int4DTypePolicy,
        FloatDTypePolicy,
        QuantizedDTypePolicy,
        QuantizedFloat8DTypePolicy,
        DTypePolicyMap,
    )
}


def serialize(dtype_policy: DTypePolicy) -> dict[str, Any]:
    """The Keras config of a dtype policy."""
    if type(dtype_policy) is DTypePolicy:  # `mixed_precision`'s class, saved as Keras's
        return {
            "module": "keras",
            "class_name": "DTypePolicy",
            "config": dtype_policy.get_config(),
            "registered_name": None,
        }
    return serialization.serialize_keras_object(dtype_policy)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> DTypePolicy:
    """A dtype policy from its Keras config."""
    if isinstance(config, dict) and config.get("class_name") == "DTypePolicy":
        return DTypePolicy(**config.get("config", {}))
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


def get(identifier: Any) -> DTypePolicy:
    """A dtype policy from `None` (the global one), a name, a config dict or a policy."""
    if identifier is None:
        return mixed_precision.global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier.startswith(QUANTIZATION_MODES):
        return get_quantized_policy(identifier)
    try:
        return DTypePolicy(mixed_precision.policy_name(identifier))
    except (ValueError, TypeError) as error:
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an instance of "
            f"DTypePolicy. Received: dtype={identifier}"
        ) from error


DTypePolicyMap._get = staticmethod(get)
DTypePolicyMap._serialize = staticmethod(serialize)

__all__ = [
    "AWQDTypePolicy",
    "DTypePolicy",
    "DTypePolicyMap",
    "FloatDTypePolicy",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
    "deserialize",
    "get",
    "serialize",
]
