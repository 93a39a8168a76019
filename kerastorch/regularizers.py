"""Keras 3's weight regularizers: callables `regularizer(weight) -> scalar penalty tensor`.

Layers add the penalties of their weights (in Keras layout) to `model.losses`.

Example:
    >>> import torch
    >>> from kerastorch import regularizers
    >>> regularizers.get("l2")(torch.ones(2, 3))
    tensor(0.0600)
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import torch

from kerastorch import config
from kerastorch.common import registry, serialization
from kerastorch.common.naming import to_snake_case

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]


def _tensor(x: Any) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(getattr(x, "value", None), torch.Tensor):  # a kerastorch Variable
        return x.value
    return torch.as_tensor(np.asarray(x))


def _float32(value: float) -> float:
    """`value` rounded to float32, as Keras stores `L1.l1` and `OrthogonalRegularizer.factor`
    (in a tensor), so that configs match Keras's to the last digit."""
    return float(np.float32(value))


def validate_float_arg(value: Any, name: str) -> float:
    """Check that a penalty factor is a finite, non-negative number; return it as a float."""
    if (
        not isinstance(value, (float, int))
        or isinstance(value, bool)
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. "
            f"Received: {name}={value}"
        )
    return float(value)


class Regularizer:
    """Base class of regularizers: `__call__(x)` returns a scalar penalty.

    Subclasses implement `__call__` and `get_config`.

    Example:
        >>> class Sum(Regularizer):
        ...     def __call__(self, x):
        ...         return x.sum()
        ...     def get_config(self):
        ...         return {}
        >>> Sum()(torch.ones(3))
        tensor(3.)
    """

    _keras_module: ClassVar[str] = "keras.regularizers"

    def __call__(self, x: torch.Tensor) -> torch.Tensor | float:
        """The penalty for `x` (the base class penalizes nothing)."""
        return 0.0

    def get_config(self) -> dict[str, Any]:
        """The regularizer's arguments as a JSON-serializable dict."""
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Regularizer:
        """Rebuild a regularizer from the output of `get_config()`."""
        return cls(**config)

    def __repr__(self) -> str:
        try:
            config = self.get_config()
        except NotImplementedError:
            return object.__repr__(self)
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in config.items())})"


class L1L2(Regularizer):
    """`l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Both factors default to `0.0` (Keras 3's class defaults); the string `"l1_l2"` (the
    tf.keras spelling) gives `l1=0.01, l2=0.01`.
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = _tensor(x)
        penalty = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1 != 0.0:
            penalty = penalty + self.l1 * x.abs().sum()
        if self.l2 != 0.0:
            penalty = penalty + self.l2 * x.square().sum()
        return penalty

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """`l1 * sum(abs(x))`, `l1` defaulting to `0.01`.

    Example:
        >>> L1(0.5)(torch.tensor([1.0, -2.0]))
        tensor(1.5000)
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = _float32(validate_float_arg(0.01 if l1 is None else l1, name="l1"))

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l1 * _tensor(x).abs().sum()

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1}


class L2(Regularizer):
    """`l2 * sum(square(x))`, `l2` defaulting to `0.01`."""

    def __init__(self, l2: float = 0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l2 * _tensor(x).square().sum()

    def get_config(self) -> dict[str, Any]:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Push the rows (or columns) of a matrix towards being mutually orthogonal.

    The penalty is `factor * 0.5 * sum(|off-diagonal cosines|) / num_pairs`, over the
    L2-normalized rows (`mode="rows"`) or columns (`mode="columns"`) of a rank-2 input.

    Args:
        factor: Regularization factor. Defaults to `0.01`.
        mode: `"rows"` or `"columns"`. Defaults to `"rows"`.
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = _float32(validate_float_arg(factor, name="factor"))
        if mode not in {"rows", "columns"}:
            raise ValueError(
                'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                f"Received: mode={mode}"
            )
        self.mode = mode

    def __call__(self, inputs: torch.Tensor) -> torch.Tensor:
        x = _tensor(inputs)
        if x.ndim != 2:
            raise ValueError(
                f"Inputs to OrthogonalRegularizer must have rank 2. Received: "
                f"inputs.shape={tuple(x.shape)}"
            )
        if self.mode == "columns":
            x = x.T
        # Keras's L2 normalization: x * min(rsqrt(sum(x**2)), 1 / epsilon).
        inv_norm = torch.rsqrt(x.square().sum(dim=1, keepdim=True))
        x = x * torch.clamp(inv_norm, max=1.0 / config.epsilon())
        size = x.shape[0]
        product = x @ x.T  # (size, size) cosines
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * off_diagonal.abs().sum() / num_pairs

    def get_config(self) -> dict[str, Any]:
        return {"factor": self.factor, "mode": self.mode}


# Keras's snake_case aliases.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_CLASSES = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS_DICT: dict[str, type[Regularizer]] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT["l1l2"] = L1L2  # Keras 3's snake_case of "L1L2"


def serialize(regularizer: Regularizer) -> dict[str, Any]:
    """The Keras config dict of a regularizer."""
    return serialization.serialize_keras_object(regularizer)


def deserialize(
    config: str | dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> Regularizer:
    """The regularizer a Keras config (or a bare name) describes."""
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier: Any) -> Callable[..., Any] | None:
    """Resolve a regularizer from a name (`"l1"`, `"l2"`, `"l1_l2"`, ...), a config dict, a
    class or a callable.

    Example:
        >>> get("l1_l2").get_config(), get(None)
        ({'l1': 0.01, 'l2': 0.01}, None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif identifier == "l1_l2":  # tf.keras's string; Keras 3 only knows "l1l2" (0, 0)
        obj = L1L2(l1=0.01, l2=0.01)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")


registry.register_namespace("regularizers", globals(), __all__)
