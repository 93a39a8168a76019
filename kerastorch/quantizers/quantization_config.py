"""Quantization configs: which quantizers `quantize(mode, config=...)` uses for each mode.

Example:
    >>> config = validate_and_resolve_config("int8", None)
    >>> type(config).__name__, config.mode, type(config.activation_quantizer).__name__
    ('Int8QuantizationConfig', 'int8', 'AbsMaxQuantizer')
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import serialization
from kerastorch.quantizers.quantizers import AbsMaxQuantizer, Quantizer

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


class QuantizationConfig:
    """Base class of quantization configs.

    Args:
        weight_quantizer: the quantizer of the weights (`None`: the layer's default).
        activation_quantizer: the quantizer of the inputs (`None`: weight-only).
    """

    _keras_module = "keras.quantizers"

    def __init__(self, weight_quantizer: Any = None, activation_quantizer: Any = None):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self) -> str:
        raise NotImplementedError(
            "Subclasses must implement this property. Do not instantiate QuantizationConfig "
            "directly."
        )

    def get_config(self) -> dict[str, Any]:
        return {
            "weight_quantizer": serialization.serialize_keras_object(self.weight_quantizer),
            "activation_quantizer": serialization.serialize_keras_object(self.activation_quantizer),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> QuantizationConfig:
        return cls(
            weight_quantizer=_quantizer(config.get("weight_quantizer")),
            activation_quantizer=_quantizer(config.get("activation_quantizer")),
        )

    @staticmethod
    def weight_quantizer_or_default(config: Any, default: Any) -> Any:
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config: Any, default: Any) -> Any:
        return config.activation_quantizer if config is not None else default


class Int8QuantizationConfig(QuantizationConfig):
    """Int8 config: weights and (by default, `AbsMaxQuantizer()`) inputs quantized to int8."""

    def __init__(self, weight_quantizer: Any = None, activation_quantizer: Any = "default"):
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if weight_quantizer is not None and weight_quantizer.output_dtype != "int8":
            raise ValueError(
                "Int8QuantizationConfig requires a weight_quantizer with output_dtype='int8'. "
                f"Received: output_dtype={weight_quantizer.output_dtype}"
            )

    @property
    def mode(self) -> str:
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """Int4 config (weight-only by default); `block_size` groups the input dimension.

    Args:
        weight_quantizer: a per-channel weight quantizer (`value_range=(-8, 7)`, int8 output).
        activation_quantizer: an inputs quantizer (`"default"`: None, weight-only).
        block_size: groups of this many input positions get their own scale and zero point
            (sub-channel, the default 128; no custom quantizers then); `None` or -1: one
            scale per output channel.
    """

    def __init__(
        self,
        weight_quantizer: Any = None,
        activation_quantizer: Any = "default",
        block_size: int | None = 128,
    ):
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError(
                "block_size must be None, -1, or a positive integer. "
                f"Received: block_size={block_size}"
            )
        self.block_size = block_size
        if (
            block_size is not None
            and block_size > 0
            and (self.weight_quantizer is not None or self.activation_quantizer is not None)
        ):
            raise ValueError(
                "Int4 sub-channel quantization (block_size > 0) does not support custom "
                "quantizers. Either set block_size to None or -1 for per-channel quantization, "
                f"or remove the custom quantizer arguments. Received: block_size={block_size}"
            )
        if self.weight_quantizer is not None:
            if tuple(self.weight_quantizer.value_range) != (-8, 7):
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with value_range=(-8, 7)."
                    f" Received: value_range={self.weight_quantizer.value_range}"
                )
            if self.weight_quantizer.output_dtype != "int8":
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with output_dtype='int8'. "
                    f"Received: output_dtype={self.weight_quantizer.output_dtype}"
                )

    @property
    def mode(self) -> str:
        return "int4"

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "block_size": self.block_size}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Int4QuantizationConfig:
        return cls(
            weight_quantizer=_quantizer(config.get("weight_quantizer")),
            activation_quantizer=_quantizer(config.get("activation_quantizer")),
            block_size=config.get("block_size"),
        )


class Float8QuantizationConfig(QuantizationConfig):
    """Float8 training config (no user quantizers)."""

    def __init__(self) -> None:
        super().__init__(None, None)

    @property
    def mode(self) -> str:
        return "float8"

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Float8QuantizationConfig:
        return cls()


class _Unavailable(QuantizationConfig):
    """Calibration-based quantization (GPTQ, AWQ): not available in kerastorch.

    These methods calibrate on a dataset with Keras's layer-by-layer machinery (Hessian or
    activation statistics, then packed 4-bit weights); kerastorch does not implement it.
    Constructing the config raises `NotImplementedError`.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        raise NotImplementedError(
            f"{type(self).__name__}: {self.mode.upper()} (calibration-based quantization) is "
            "not available in kerastorch; use `quantize('int8')`."
        )


class GPTQConfig(_Unavailable):
    """GPTQ quantization config: not available in kerastorch (raises NotImplementedError)."""

    mode = "gptq"  # type: ignore[assignment]


class AWQConfig(_Unavailable):
    """AWQ quantization config: not available in kerastorch (raises NotImplementedError)."""

    mode = "awq"  # type: ignore[assignment]


_CONFIGS = {"int8": Int8QuantizationConfig, "int4": Int4QuantizationConfig}
_CONFIGS["float8"] = Float8QuantizationConfig
CONFIG_CLASSES = {
    cls.__name__: cls
    for cls in (
        Quantizer,
        AbsMaxQuantizer,
        QuantizationConfig,
        Int8QuantizationConfig,
        Int4QuantizationConfig,
        Float8QuantizationConfig,
    )
}


def _quantizer(config: Any) -> Any:
    if config is None or isinstance(config, Quantizer):
        return config
    return serialization.deserialize_keras_object(config, module_objects=CONFIG_CLASSES)


def validate_and_resolve_config(mode: str | None, config: Any) -> QuantizationConfig:
    """The config `quantize(mode, config)` uses: the mode's default config when `None`.

    Raises:
        ValueError: an unknown mode, a config that is not a `QuantizationConfig`, a mode that
            contradicts the config's, or GPTQ / AWQ (not available in kerastorch).
    """
    if isinstance(config, str):
        mode, config = config, None
    if mode is not None and mode not in QUANTIZATION_MODES:
        raise ValueError(
            f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. Received: "
            f"mode={mode}"
        )
    if mode in ("gptq", "awq"):
        raise NotImplementedError(
            f"quantize: mode='{mode}' (calibration-based quantization) is not available in "
            "kerastorch; use 'int8', 'int4' or 'float8'."
        )
    if config is None:
        if mode is None:
            raise ValueError("You must provide either `mode` or `config` to `quantize`.")
        return _CONFIGS[mode]()
    if not isinstance(config, QuantizationConfig):
        raise ValueError(
            "Argument `config` must be an instance of `QuantizationConfig`. "
            f"Received: config={config} (of type {type(config)})"
        )
    if mode is not None and config.mode != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'")
    return config


__all__ = [
    "AWQConfig",
    "Float8QuantizationConfig",
    "GPTQConfig",
    "Int4QuantizationConfig",
    "Int8QuantizationConfig",
    "QuantizationConfig",
]
