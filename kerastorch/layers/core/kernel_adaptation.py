"""LoRA and int8 / int4 quantization of one weight: shared by `Dense`, `EinsumDense`, `Embedding`.

A layer mixes in `KernelAdaptation` and describes its weight (`_weight_name`: `"kernel"` or
`"embeddings"`) with a few hooks; the mixin gives it Keras 3.15's `enable_lora`,
`quantize("int8")` / `quantize("int4")` (`"float8"` where the layer also mixes in
`Float8Training`; other modes raise `NotImplementedError`, which `Model.quantize` turns into a
warning), `quantization_mode`, quantized dtype policies in `get_config`, and
`save_own_variables` / `load_own_variables` in Keras's variable order (LoRA merged into the
saved weight, re-quantized when the layer is quantized).

- LoRA: the base weight is frozen; trainable `lora_<weight>_a` `(d_in, rank)` and
  `lora_<weight>_b` `(rank, d_out)` (float32) add `(lora_alpha / rank) * a @ b`.
- int8: the weight is stored as an int8 buffer (1 byte a value) with a float scale per
  output channel (`<weight>_scale`), made with `AbsMaxQuantizer`; inputs are quantized too
  (the default `Int8QuantizationConfig`) and the integer product runs through
  `torch._int_mm` on CUDA where its shape rules allow, else as a float matmul of the
  integer values (exact below 2**24 per sum).
- int4 (`kernel_int4.py`): two values a byte (an eighth of float32's memory), per channel
  (`Int4QuantizationConfig(block_size=None or -1)`) or in groups of `block_size` with zero
  points (the default config: 128), weight-only unless the config has an activation
  quantizer; gradients reach the inputs through the dequantized weight, as Keras's custom
  gradient does.

Example:
    >>> import torch
    >>> from kerastorch.layers.core.dense import Dense
    >>> layer = Dense(4)
    >>> layer.build((None, 8))
    >>> layer.quantize("int8")
    >>> [(w.name, w.dtype) for w in layer.weights]
    [('bias', 'float32'), ('kernel', 'int8'), ('kernel_scale', 'float32')]
    >>> layer(torch.ones(2, 8)).shape
    torch.Size([2, 4])
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch

from kerastorch import initializers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.dtype_policies import QuantizedDTypePolicy, get, serialize
from kerastorch.layers.core.kernel_int4 import (
    Int4Weight,
    build_int4,
    dequantized_int4,
    int4_block_size,
    unpacked_int4,
)
from kerastorch.layers.core.quantized_matmul import int8_matmul, straight_through
from kerastorch.quantizers import AbsMaxQuantizer
from kerastorch.quantizers import deserialize as deserialize_quantizer
from kerastorch.quantizers import serialize as serialize_quantizer
from kerastorch.quantizers.quantization_config import (
    QUANTIZATION_MODES,
    QuantizationConfig,
    validate_and_resolve_config,
)
from kerastorch.variables import Variable

Tensor = torch.Tensor

__all__ = ["KernelAdaptation", "int8_matmul", "split_quantized_dtype", "straight_through"]


_QUANTIZABLE = ("Dense", "EinsumDense", "Embedding", "ReversibleEmbedding")


def _is_quantized_policy_config(dtype: Any) -> bool:
    """Whether `dtype` is the Keras config of a quantized policy (`Int4DTypePolicy` too)."""
    name = dtype.get("class_name", "") if isinstance(dtype, dict) else ""
    return name.startswith("Quantized") or name == "Int4DTypePolicy"


def split_quantized_dtype(dtype: Any) -> tuple[Any, str | None]:
    """A layer's `dtype` argument -> (the float policy for `Layer`, the quantization mode)."""
    if _is_quantized_policy_config(dtype):
        dtype = get(dtype)
    if isinstance(dtype, str) and dtype.startswith(QUANTIZATION_MODES):
        dtype = get(dtype)
    if isinstance(dtype, QuantizedDTypePolicy):  # the mode as the policy names it: "int4/128"
        return dtype.source_name, dtype.name.split("_from_")[0]
    return dtype, None


class KernelAdaptation(Int4Weight):
    """LoRA and int8 / int4 quantization of a layer's main weight (see the module docstring).

    The layer sets `_weight_name` (and `_serialization_spec`, Keras's saved variable order
    per mode) and implements `_weight_shape()`, `_scale_shape()`, `_lora_shapes(rank)`,
    `_quantize_weight(value, config)` -> `(int8 value, scale)`, `_dequantize_weight(q,
    scale)` -> float weight, `_weight_constraint()` and `_weight_regularizer()`; it stores
    its float weight's `Variable` as `self._kernel`, calls `_init_adaptation` in `__init__`
    and, in `build`, `_build_quantized()` instead of creating the float weight when
    `quantization_mode` is set, then `_build_adaptation()` last. For int4 it may override
    `_int4_matrix_shape()`, `_int4_group_axis`, `_int4_weight_quantizer(config)`,
    `_int4_inputs_quantizer()` and `_int4_product(inputs)` (Dense's are the defaults).
    """

    _weight_name: ClassVar[str] = "kernel"
    _serialization_spec: ClassVar[dict[str | None, tuple[str, ...]]] = {
        None: ("kernel", "bias"),
        "int8": ("kernel", "bias", "kernel_scale"),
        "int4": ("kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"),
    }

    # -- construction ------------------------------------------------------------------------
    def _init_adaptation(
        self, mode: str | None, lora_rank: int | None, lora_alpha: float | None, config: Any
    ) -> None:
        base = mode.split("/")[0] if mode is not None else None
        if base not in (None, "int8", "int4") and not (
            base == "float8" and hasattr(self, "_build_float8")
        ):
            raise NotImplementedError(
                f"{type(self).__name__}: quantization mode '{mode}' is not available in "
                "kerastorch for this layer."
            )
        self._quantization_mode = base
        self._policy_mode = mode  # the policy's own mode name: "int4/128", "int4", ...
        self.quantization_config = config
        self._int4_block_size = int4_block_size(config, mode)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.inputs_quantizer: Any = None
        self._kernel: Variable | None = None

    def _build_quantized(self) -> None:
        """Create the quantized variables of `quantization_mode` (Keras's `quantized_build`)."""
        if self._quantization_mode == "float8":
            self._build_float8()
        elif self._quantization_mode == "int4":
            build_int4(self)
        else:
            self._build_int8()

    def _build_int8(self) -> None:
        """Create the int8 weight and its scale (Keras's `_int8_build`)."""
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(
            self.quantization_config, AbsMaxQuantizer()
        )
        self._kernel = self._add_named_weight(
            self._weight_name, shape=self._weight_shape(), initializer="zeros", dtype="int8"
        )
        name = f"{self._weight_name}_scale"
        scale = self._add_named_weight(name, shape=self._scale_shape(), initializer="ones")
        setattr(self, name, scale)

    def _add_named_weight(self, name: str, trainable: bool = False, **kwargs: Any) -> Variable:
        """`add_weight` stored under `<name>_storage` (`name` may be a property of the layer)."""
        variable = self.add_weight(name=f"{name}_storage", trainable=trainable, **kwargs)
        variable.name, variable.path = name, self._scoped_path(name)
        return variable

    def _build_adaptation(self) -> None:
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def quantization_mode(self) -> str | None:
        return self._quantization_mode

    @property
    def dtype_policy(self) -> Any:
        """Keras's: the quantized policy once quantized (`"int4/128_from_float32"` & co)."""
        if getattr(self, "_quantization_mode", None) is None:
            return super().dtype_policy
        return self._quantized_policy()

    def _quantized_policy(self) -> QuantizedDTypePolicy:
        """The layer's quantized dtype policy (`"int8_from_float32"` & co)."""
        return get(f"{self._policy_mode}_from_{self._dtype}")

    def _scale(self) -> Variable:
        return getattr(self, f"{self._weight_name}_scale")

    def _lora_variables(self) -> tuple[Variable, Variable]:
        name = self._weight_name
        return getattr(self, f"lora_{name}_a"), getattr(self, f"lora_{name}_b")

    # -- LoRA --------------------------------------------------------------------------------
    def enable_lora(
        self,
        rank: int,
        lora_alpha: float | None = None,
        a_initializer: Any = "he_uniform",
        b_initializer: Any = "zeros",
    ) -> None:
        """Freeze the weight and add trainable low-rank factors `a` `(d_in, rank)`, `b`."""
        if self._weight_constraint():
            what = "kernel" if self._weight_name == "kernel" else "embedding"
            raise ValueError(
                f"Lora is incompatible with {what} constraints. In order to enable lora on "
                f"this layer, remove the `{what}_constraint` argument."
            )
        if not self.built:
            raise ValueError("Cannot enable lora on a layer that isn't yet built.")
        if self.lora_enabled:
            raise ValueError("lora is already enabled. This can only be done once per layer.")
        a_shape, b_shape = self._lora_shapes(rank)
        for suffix, shape, init in (("a", a_shape, a_initializer), ("b", b_shape, b_initializer)):
            name = f"lora_{self._weight_name}_{suffix}"
            variable = self._add_named_weight(
                name,
                trainable=True,
                shape=shape,
                initializer=initializers.get(init),
                dtype="float32",
                regularizer=self._weight_regularizer(),
            )
            setattr(self, name, variable)
        self._kernel.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def _lora_delta(self) -> Tensor:
        a, b = self._lora_variables()
        return (self.lora_alpha / self.lora_rank) * torch.matmul(a.value, b.value)

    def _effective_weight(self) -> Any:
        """Keras's `kernel` / `embeddings` property: the Variable, or the LoRA-merged tensor."""
        if not self.built or self._kernel is None:
            raise AttributeError(
                f"You must build the layer before accessing `{self._weight_name}`."
            )
        weight = self._kernel
        if self._quantization_mode == "int4":  # Keras unpacks the int4 values
            weight = unpacked_int4(self).reshape(self._weight_shape())
        if not self.lora_enabled:
            return weight
        weight = getattr(weight, "value", weight)
        return (weight + self._lora_delta()).to(to_torch_dtype(self.compute_dtype))

    def _float_weight(self) -> Tensor:
        """The weight in float (dequantized when quantized), without LoRA."""
        if self._quantization_mode == "int8":
            return self._dequantize_weight(self._kernel.value, self._scale().value)
        if self._quantization_mode == "int4":
            weight = dequantized_int4(self).to(to_torch_dtype(self.compute_dtype))
            return weight.reshape(self._weight_shape())
        return self._kernel.value

    def _quantized_product(self, inputs: Tensor) -> Tensor:
        """`inputs` times the quantized weight: the layer's `_int8_product` / `_int4_product`."""
        if self._quantization_mode == "int4":
            x = self._int4_product(inputs)
        else:
            x = self._int8_product(inputs)
        return x.to(to_torch_dtype(self.compute_dtype))

    # -- quantization ------------------------------------------------------------------------
    def quantize(self, mode: str | None = None, type_check: bool = True, config: Any = None):
        """Quantize the weight in place (`"int8"`, `"int4"`; `"float8"` where the layer has
        `_quantize_float8`), as Keras's `layer.quantize`."""
        config = validate_and_resolve_config(mode, config)
        mode = config.mode
        self._check_quantize_args(mode)
        if type_check and type(self).__name__ not in _QUANTIZABLE:
            raise NotImplementedError(
                f"Layer {type(self).__name__} does not have a `quantize()` method implemented."
            )
        if mode in ("int8", "int4"):
            self._quantize_integer(mode, config)
        elif mode == "float8" and hasattr(self, "_quantize_float8"):
            self._quantize_float8(config)
        else:
            modes = (
                ("int8", "int4", "float8")
                if hasattr(self, "_quantize_float8")
                else ("int8", "int4")
            )
            raise NotImplementedError(
                f"Invalid quantization mode for {type(self).__name__}.quantize. Expected one of "
                f"{modes}. Received: quantization_mode={mode}"
            )

    def _check_quantize_args(self, mode: str) -> None:
        """Keras's `Layer._check_quantize_args`: built, not yet quantized, int8 not float16."""
        if not self.built:
            raise ValueError(
                f"Cannot quantize a layer that isn't yet built. Layer '{self.name}' (of type "
                f"'{type(self).__name__}') is not built yet."
            )
        if self._quantization_mode is not None:
            raise ValueError(
                f"Layer '{self.name}' is already quantized with dtype_policy="
                f"'{self._quantized_policy().name}'. Received: mode={mode}"
            )
        if mode == "int8" and self.compute_dtype == "float16":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'. "
                "Consider loading model/layer with another dtype policy such as "
                "'mixed_bfloat16' or 'mixed_float16' before calling `quantize()`."
            )

    def _quantize_integer(self, mode: str, config: Any) -> None:
        """int8 / int4: quantize the float weight, then swap it for the integer variables."""
        self.quantization_config = config
        self._int4_block_size = int4_block_size(config, None)
        device = self._kernel.tensor.device
        with torch.no_grad():
            weight = self._kernel.value.detach()
            if mode == "int4":
                value, scale, zero = self._quantize_int4(weight, config)
            else:
                (value, scale), zero = self._quantize_weight(weight, config), None
        self._drop_float_weight()
        self._quantization_mode = mode
        self._policy_mode = mode
        if mode == "int4":
            self._policy_mode = f"int4/{self._int4_block_size or -1}"
        self._build_quantized()
        self.to(device)  # new weights follow the layer (an Embedding has no other tensor)
        self._kernel.assign(value)
        self._scale().assign(scale)
        if zero is not None:
            getattr(self, f"{self._weight_name}_zero").assign(zero)

    def _drop_float_weight(self) -> None:
        """Untrack the float weight and free its storage."""
        self._untrack(self._kernel)
        self._kernel = None

    def _untrack(self, variable: Variable) -> None:
        """Untrack `variable` (and its regularizer) and free its storage."""
        self._trainable_variables[:] = [v for v in self._trainable_variables if v is not variable]
        self._non_trainable_variables[:] = [
            v for v in self._non_trainable_variables if v is not variable
        ]
        self._weight_regularizers[:] = [
            (v, r) for v, r in self._weight_regularizers if v is not variable
        ]
        owner, attr = variable._owner, variable._attr
        if attr in owner._parameters:
            owner._parameters[attr] = None
        else:
            owner._buffers.pop(attr, None)

    def _requantize(self, weight: Tensor) -> tuple[Tensor, Tensor, Any]:
        """Keras's re-quantization of a LoRA-merged weight (the default quantizers)."""
        if self._quantization_mode == "int4":
            return self._quantize_int4(weight, None)
        return (*self._quantize_weight(weight, None), None)

    # -- saving ------------------------------------------------------------------------------
    def _saved_weight(self) -> dict[str, Any]:
        """The weight to save, LoRA merged (and re-quantized when quantized), its scale and
        zero point (int4 sub-channel), by variable name."""
        name = self._weight_name
        if self._quantization_mode is None:
            return {name: self._effective_weight()}
        names = (name, f"{name}_scale", f"{name}_zero")
        if not self.lora_enabled:
            return {n: getattr(self, n, None) for n in names[1:]} | {name: self._kernel}
        merged = self._requantize(self._float_weight() + self._lora_delta())
        return dict(zip(names, merged, strict=True))

    def save_own_variables(self, store: Any) -> None:
        """Write the variables in Keras's order (LoRA merged into the weight)."""
        if not self.built:
            return
        with torch.no_grad():
            values = self._saved_weight()
        index = 0
        for name in self._serialization_spec[self._quantization_mode]:
            value = values[name] if name in values else getattr(self, name, None)
            if value is None:
                continue
            store[str(index)] = _numpy(value)
            index += 1

    def load_own_variables(self, store: Any) -> None:
        """Read variables saved by `save_own_variables` (here or by Keras)."""
        if not self.built:
            return
        names = self._serialization_spec[self._quantization_mode]
        variables = [
            self._kernel if n == self._weight_name else getattr(self, n, None) for n in names
        ]
        variables = [v for v in variables if v is not None]
        path = getattr(store, "path", None)
        where = f"{type(self).__name__}, at '{path}' in the file" if path else type(self).__name__
        if len(store.keys()) != len(variables):
            raise ValueError(
                f"Layer '{self.name}' ({where}) expected {len(variables)} variables, but "
                f"received {len(store.keys())} variables during loading. Expected: "
                f"{[(v.name, v.shape) for v in variables]}"
            )
        values = [store[str(index)] for index in range(len(variables))]
        for variable, value in zip(variables, values, strict=True):
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Layer '{self.name}' ({where}) weight '{variable.name}': expected shape "
                    f"{tuple(variable.shape)}, found shape {tuple(value.shape)} in the file."
                )
        for variable, value in zip(variables, values, strict=True):
            variable.assign(value)
        if self.lora_enabled:
            for variable in self._lora_variables():
                variable.assign(torch.zeros(variable.shape))

    # -- config ------------------------------------------------------------------------------
    def _adaptation_config(self, config: dict[str, Any]) -> dict[str, Any]:
        """`config` with the quantized policy, `quantization_config` and LoRA entries."""
        config = dict(config)
        if self._quantization_mode is not None:
            config["dtype"] = serialize(self._quantized_policy())
        config["quantization_config"] = serialize_quantizer(self.quantization_config)
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        config = dict(config)
        config["quantization_config"] = deserialize_quantizer(config.get("quantization_config"))
        dtype = config.get("dtype")
        if _is_quantized_policy_config(dtype):
            config["dtype"] = get(dtype).name
        return super().from_config(config)


def _numpy(value: Any) -> Any:
    value = getattr(value, "value", value)
    return value.detach().cpu().numpy() if isinstance(value, Tensor) else value
