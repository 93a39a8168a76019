"""Quantized dtype policies: `"int8_from_float32"` & co, extending `mixed_precision`'s policy.

A quantized policy names the quantization mode and the float policy it came from
(`source_name`): weights are stored quantized, computations run in the source's dtype.

Example:
    >>> policy = get_quantized_policy("int8_from_mixed_bfloat16")
    >>> policy.quantization_mode, policy.compute_dtype, policy.variable_dtype
    ('int8', 'bfloat16', 'float32')
"""

from __future__ import annotations

from typing import Any

from kerastorch import mixed_precision
from kerastorch.mixed_precision import DTypePolicy
from kerastorch.quantizers.quantization_config import QUANTIZATION_MODES


class FloatDTypePolicy(DTypePolicy):
    """Keras's alias of `DTypePolicy`."""

    _keras_module = "keras.dtype_policies"


class QuantizedDTypePolicy(DTypePolicy):
    """The policy of a quantized layer: `f"{mode}_from_{source_name}"`.

    Args:
        mode: the quantization mode (`"int8"`, `"int4"`, `"float8"`).
        source_name: the float policy name (default: the global policy's).
    """

    _keras_module = "keras.dtype_policies"

    def __init__(self, mode: str, source_name: str | None = None):
        source_name = source_name or mixed_precision.global_policy_name()
        self._source = DTypePolicy(source_name)
        if mode not in QUANTIZATION_MODES:
            raise ValueError(
                f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
                f"Received: mode={mode}"
            )
        if self._source.compute_dtype == "float16" and mode == "int8":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'."
            )
        self.name = f"{mode}_from_{source_name}"
        self.source_name = source_name
        self._quantization_mode = mode

    @property
    def quantization_mode(self) -> str:
        return self._quantization_mode

    @property
    def variable_dtype(self) -> str:
        return self._source.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._source.compute_dtype

    def get_config(self) -> dict[str, Any]:
        return {"mode": self._quantization_mode, "source_name": self.source_name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> QuantizedDTypePolicy:
        return cls(**config)

    def __repr__(self) -> str:
        return f'<{type(self).__name__} "{self.name}">'


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """The float8 policy, with the length of the amax history window.

    Args:
        mode: `"float8"`.
        source_name: the float policy name.
        amax_history_length: the length of the amax history used for the scales.
    """

    default_amax_history_length = 1024

    def __init__(self, mode: str, source_name: str | None = None, amax_history_length: int = 1024):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int):
            raise TypeError(
                "`amax_history_length` must be an integer. "
                f"Received: amax_history_length={amax_history_length}"
            )
        self.amax_history_length = amax_history_length

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "amax_history_length": self.amax_history_length}

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.amax_history_length == getattr(
            other, "amax_history_length", None
        )

    def __hash__(self) -> int:
        return hash((self.name, self.amax_history_length))


class Int4DTypePolicy(QuantizedDTypePolicy):
    """The int4 policy with its block size: mode `"int4/<block_size>"` (-1: per channel).

    Example:
        >>> Int4DTypePolicy("int4/128", "float32").block_size
        128
    """

    def __init__(self, mode: str, source_name: str | None = None):
        parts = mode.split("/")
        expected = "'int4/<block_size>'"
        if len(parts) != 2 or parts[0] != "int4":
            raise ValueError(
                f"Invalid mode for Int4DTypePolicy. Expected format {expected}, but got '{mode}'."
            )
        try:
            block_size = int(parts[1])
        except ValueError as error:
            raise ValueError(
                "Invalid mode for Int4DTypePolicy. <block_size> must be an integer. Expected "
                f"format {expected}, but got '{mode}'."
            ) from error
        if block_size < -1 or block_size == 0:
            raise ValueError(
                "Invalid block_size in mode. Supported values are -1 (per-channel) or a "
                f"positive integer (sub-channel), but got {block_size} from '{mode}'."
            )
        super().__init__("int4", source_name)
        self.name = f"{mode}_from_{self.source_name}"
        self.block_size = block_size

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mode": f"int4/{self.block_size}"}


class _CalibratedPolicy(QuantizedDTypePolicy):
    """GPTQ / AWQ policies: not available in kerastorch (constructing one raises)."""

    def __init__(self, mode: str, source_name: str | None = None, *args: Any, **kwargs: Any):
        raise NotImplementedError(
            f"{type(self).__name__} ('{mode}'): calibration-based quantization is not "
            "available in kerastorch; use int8."
        )


class GPTQDTypePolicy(_CalibratedPolicy):
    """GPTQ policy: not available in kerastorch (raises NotImplementedError)."""


class AWQDTypePolicy(_CalibratedPolicy):
    """AWQ policy: not available in kerastorch (raises NotImplementedError)."""


def get_quantized_policy(name: str) -> QuantizedDTypePolicy:
    """`"int8_from_float32"` -> `QuantizedDTypePolicy("int8", "float32")` (float8: its class)."""
    if not isinstance(name, str):
        raise TypeError(f"`policy` must be a string. Received: policy={name}")
    if not name.startswith(QUANTIZATION_MODES):
        raise ValueError("`policy` is incompatible with the current supported quantization.")
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError(
            "Cannot convert `policy` into a valid pair (`mode`, `source_name`) to instantiate "
            f"`QuantizedDTypePolicy`. Received: policy={name}"
        )
    mode, source_name = parts
    if mode.startswith("float8"):
        return QuantizedFloat8DTypePolicy(mode, source_name)
    if mode.startswith("gptq"):
        return GPTQDTypePolicy(mode, source_name)
    if mode.startswith("awq"):
        return AWQDTypePolicy(mode, source_name)
    if "/" in mode:
        return Int4DTypePolicy(mode, source_name)
    return QuantizedDTypePolicy(mode, source_name)


__all__ = [
    "AWQDTypePolicy",
    "FloatDTypePolicy",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
]
