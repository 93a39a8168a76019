"""The pieces of `FeatureSpace`: feature and cross specifications, and its helper layers.

`Feature` (a dtype, a preprocessing layer and an output mode) and `Cross` (features hashed
together) are the specifications `FeatureSpace` holds; `TFDIdentity` and `TFDConcat` are the
identity preprocessor of `"float"` features and the concatenation of `output_mode="concat"`.
All four keep Keras's names and configs, and are saved under Keras's private module
`keras.src.layers.preprocessing.feature_space`, so `.keras` files move both ways.

`float_feature`, `integer_categorical_feature`, ... build the feature types that
`FeatureSpace.float`, `FeatureSpace.integer_categorical`, ... return. `IntegerTable` is the
device-side path of an `IntegerLookup` preprocessor (the layer itself runs on the host): a
sorted vocabulary and `torch.searchsorted`, no host sync.

Example:
    >>> feature = Feature("float32", TFDIdentity(name="x_preprocessor"), "float")
    >>> feature.get_config()["preprocessor"]["class_name"]
    'TFDIdentity'
    >>> Cross(("a", "b"), crossing_dim=8).name
    'a_X_b'
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common import naming
from kerastorch.common.serialization import deserialize_keras_object, serialize_keras_object
from kerastorch.layers import (
    Discretization,
    Hashing,
    IntegerLookup,
    Layer,
    Normalization,
    Rescaling,
    StringLookup,
)
from kerastorch.saving import get_custom_objects

_KERAS_MODULE = "keras.src.layers.preprocessing.feature_space"  # where Keras defines them


class Cross:
    """Features crossed by hashing their combined values into `crossing_dim` bins.

    Args:
        feature_names: the names of the crossed features (at least two).
        crossing_dim: the number of hash bins.
        output_mode: `"one_hot"` (default; multi-hot vectors of size `crossing_dim`) or
            `"int"` (the bin indices).
    """

    _keras_module = _KERAS_MODULE
    _keras_private_name = "Cross"

    def __init__(self, feature_names: Any, crossing_dim: int, output_mode: str = "one_hot") -> None:
        if output_mode not in {"int", "one_hot"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'int', "
                f"'one_hot'}}. Received: output_mode={output_mode}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        """The cross's name: the feature names joined by `_X_`."""
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict[str, Any]:
        return {
            "feature_names": self.feature_names,
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Cross:
        return cls(**config)


class Feature:
    """One input feature: its dtype, its preprocessing layer, and how its output is encoded.

    Args:
        dtype: the dtype of the raw values (`"float32"`, `"int32"`, `"string"`, ...).
        preprocessor: a preprocessing layer (or its serialized config).
        output_mode: `"float"` (the preprocessor's output as it is), `"int"` (integer
            indices as they are) or `"one_hot"` (indices multi-hot encoded).
    """

    _keras_module = _KERAS_MODULE
    _keras_private_name = "Feature"

    def __init__(self, dtype: str, preprocessor: Any, output_mode: str) -> None:
        if output_mode not in {"int", "one_hot", "float"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'int', "
                f"'one_hot', 'float'}}. Received: output_mode={output_mode}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict[str, Any]:
        return {
            "dtype": self.dtype,
            "preprocessor": serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Feature:
        return cls(**config)


class TFDIdentity(Layer):
    """The preprocessor of `"float"` features: returns its input."""

    _keras_module = _KERAS_MODULE
    _keras_private_name = "TFDIdentity"

    def call(self, x: Any) -> Any:
        return x

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        return tuple(input_shape)


class TFDConcat(Layer):
    """Concatenates the encoded features along `axis` (`output_mode="concat"`)."""

    _keras_module = _KERAS_MODULE
    _keras_private_name = "TFDConcat"

    def __init__(self, axis: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, xs: list[torch.Tensor]) -> torch.Tensor:
        return torch.cat(list(xs), dim=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def device_lookup_supported(layer: Any) -> bool:
    """Whether `IntegerTable` reproduces `layer` (an `IntegerLookup` in plain int mode)."""
    return (
        isinstance(layer, IntegerLookup)
        and layer.output_mode == "int"
        and not layer.invert
        and layer.mask_token is None
        and layer.num_oov_indices >= 1
        and layer.oov_method == "floormod"
    )


class IntegerTable:
    """The vocabulary of an `IntegerLookup` as sorted tensors, looked up on the device."""

    def __init__(self, layer: IntegerLookup) -> None:
        tokens = layer.get_vocabulary(include_special_tokens=False)
        start = layer.vocabulary_size() - len(tokens)
        keys = torch.tensor(tokens, dtype=torch.int64)
        self.keys, order = torch.sort(keys)
        self.values = order + start
        self.num_oov = layer.num_oov_indices
        self.oov_start = start - self.num_oov
        self._tokens = layer._tokens  # replaced (not mutated) when the vocabulary changes

    def matches(self, layer: IntegerLookup) -> bool:
        """Whether the table still holds `layer`'s vocabulary."""
        return layer._tokens is self._tokens

    def lookup(self, x: torch.Tensor) -> torch.Tensor:
        """int64 indices of `x` (on `x`'s device): vocabulary index, else an OOV bucket."""
        x = x.to(torch.int64)
        if self.keys.device != x.device:
            self.keys, self.values = self.keys.to(x.device), self.values.to(x.device)
        if self.num_oov == 1:
            oov = torch.full_like(x, self.oov_start)
        else:  # floormod buckets, as Keras's IntegerLookup
            oov = self.oov_start + torch.remainder(x, self.num_oov)
        if self.keys.numel() == 0:
            return oov
        position = torch.searchsorted(self.keys, x).clamp_(max=self.keys.numel() - 1)
        found = self.keys[position] == x
        return torch.where(found, self.values[position], oov)


# -- the feature types (FeatureSpace's `float`, `integer_categorical`, ...) -----------------
def float_feature(name: str | None = None) -> Feature:
    """Plain float values, passed as they are."""
    name = name or naming.uniquify("float")
    preprocessor = TFDIdentity(dtype="float32", name=f"{name}_preprocessor")
    return Feature(dtype="float32", preprocessor=preprocessor, output_mode="float")


def float_rescaled_feature(
    scale: float = 1.0, offset: float = 0.0, name: str | None = None
) -> Feature:
    """Float values rescaled as `x * scale + offset` (a `Rescaling` layer)."""
    name = name or naming.uniquify("float_rescaled")
    preprocessor = Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
    return Feature(dtype="float32", preprocessor=preprocessor, output_mode="float")


def float_normalized_feature(name: str | None = None) -> Feature:
    """Float values standardized with the adapted mean and variance (`Normalization`)."""
    name = name or naming.uniquify("float_normalized")
    preprocessor = Normalization(axis=-1, name=f"{name}_preprocessor")
    return Feature(dtype="float32", preprocessor=preprocessor, output_mode="float")


def float_discretized_feature(
    num_bins: int,
    bin_boundaries: list[float] | None = None,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    """Float values bucketed by adapted quantiles (`Discretization`), then one-hot."""
    name = name or naming.uniquify("float_discretized")
    preprocessor = Discretization(
        num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor"
    )
    return Feature(dtype="float32", preprocessor=preprocessor, output_mode=output_mode)


def integer_categorical_feature(
    max_tokens: int | None = None,
    num_oov_indices: int = 1,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    """Integer values indexed by an adapted vocabulary (`IntegerLookup`), then one-hot."""
    name = name or naming.uniquify("integer_categorical")
    preprocessor = IntegerLookup(
        name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
    )
    return Feature(dtype="int32", preprocessor=preprocessor, output_mode=output_mode)


def string_categorical_feature(
    max_tokens: int | None = None,
    num_oov_indices: int = 1,
    output_mode: str = "one_hot",
    name: str | None = None,
) -> Feature:
    """String values indexed by an adapted vocabulary (`StringLookup`), then one-hot."""
    name = name or naming.uniquify("string_categorical")
    preprocessor = StringLookup(
        name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
    )
    return Feature(dtype="string", preprocessor=preprocessor, output_mode=output_mode)


def string_hashed_feature(
    num_bins: int, output_mode: str = "one_hot", name: str | None = None
) -> Feature:
    """String values hashed into `num_bins` bins (`Hashing`), then one-hot."""
    name = name or naming.uniquify("string_hashed")
    preprocessor = Hashing(name=f"{name}_preprocessor", num_bins=num_bins)
    return Feature(dtype="string", preprocessor=preprocessor, output_mode=output_mode)


def integer_hashed_feature(
    num_bins: int, output_mode: str = "one_hot", name: str | None = None
) -> Feature:
    """Integer values hashed into `num_bins` bins (`Hashing`), then one-hot."""
    name = name or naming.uniquify("integer_hashed")
    preprocessor = Hashing(name=f"{name}_preprocessor", num_bins=num_bins)
    return Feature(dtype="int32", preprocessor=preprocessor, output_mode=output_mode)


get_custom_objects().update(
    {"Cross": Cross, "Feature": Feature, "TFDConcat": TFDConcat, "TFDIdentity": TFDIdentity}
)
