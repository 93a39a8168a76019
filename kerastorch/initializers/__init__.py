"""Keras 3's weight initializers, producing torch tensors in Keras layout.

An initializer is called with a Keras-layout shape (`(in, out)` for a Dense kernel,
`(kh, kw, in, out)` for a Conv2D kernel) and returns a new tensor of that shape; fans are
computed from that layout exactly as Keras does (`compute_fans`). Layers store the result in
torch's layout afterwards.

`get("glorot_uniform")`, `serialize(initializer)` and `deserialize(config)` speak Keras's
names (class names, snake-case and legacy aliases) and config dicts.

Example:
    >>> from kerastorch import initializers
    >>> init = initializers.get("glorot_uniform")
    >>> init((3, 4)).shape
    torch.Size([3, 4])
    >>> initializers.serialize(initializers.Ones())["class_name"]
    'Ones'
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from kerastorch.common import registry, serialization
from kerastorch.common.naming import to_snake_case
from kerastorch.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from kerastorch.initializers.initializer import Initializer, Shape, as_shape, torch_dtype
from kerastorch.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)
from kerastorch.initializers.random_initializers import (
    RandomInitializer as RandomInitializer,
)
from kerastorch.initializers.random_initializers import (
    compute_fans as compute_fans,
)
from kerastorch.initializers.stft import STFT

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFT",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]


# Keras's snake_case and legacy aliases.
constant = Constant
zeros = Zeros
ones = Ones
identity = IdentityInitializer = Identity
random_normal = RandomNormal
truncated_normal = TruncatedNormal
random_uniform = RandomUniform
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
he_normal = HeNormal
he_uniform = HeUniform
orthogonal = OrthogonalInitializer = Orthogonal
stft = STFTInitializer = STFT

_CLASSES = (
    Initializer, Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform, HeNormal,
    HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform,
    TruncatedNormal, VarianceScaling, STFT,
)  # fmt: skip
ALL_OBJECTS_DICT: dict[str, type[Initializer]] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update(
    {
        "IdentityInitializer": Identity,
        "normal": RandomNormal,
        "one": Ones,
        "OrthogonalInitializer": Orthogonal,
        "STFTInitializer": STFT,
        "uniform": RandomUniform,
        "zero": Zeros,
    }
)


def serialize(initializer: Initializer) -> dict[str, Any]:
    """The Keras config dict of an initializer."""
    return serialization.serialize_keras_object(initializer)


def deserialize(
    config: str | dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> Initializer:
    """The initializer a Keras config (or a bare name) describes."""
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier: Any) -> Callable[..., torch.Tensor] | None:
    """Resolve an initializer from a name, a config dict, a class, a callable or a tensor.

    A tensor or array becomes an initializer that returns it (the shape must match).

    Example:
        >>> type(get("he_normal")).__name__, get(None)
        ('HeNormal', None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": str(identifier), "config": {}})
    elif isinstance(identifier, (torch.Tensor, np.ndarray, np.generic)):
        obj = _tensor_initializer(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


def _tensor_initializer(value: torch.Tensor | np.ndarray | np.generic) -> Callable[..., Any]:
    value = torch.as_tensor(value)

    def initialize_fn(shape: Shape, dtype: Any = None) -> torch.Tensor:
        if as_shape(shape) != tuple(value.shape):
            raise ValueError(
                f"Expected `shape` to be {tuple(value.shape)} for direct tensor as initializer. "
                f"Received shape={tuple(shape)}"
            )
        return value.to(torch_dtype(dtype)).clone()

    return initialize_fn


registry.register_namespace("initializers", globals(), __all__)
