"""`OptimizerMap`: which optimizer updates which variable, by path (for `MultiOptimizer`).

Example:
    >>> from kerastorch.optimizers import SGD, Adam, RMSprop
    >>> optimizer_map = OptimizerMap(RMSprop(name="rmsprop"))
    >>> optimizer_map["encoder/.*"] = SGD(name="sgd")
    >>> optimizer_map["decoder"] = Adam(name="adam")
    >>> [optimizer_map[k].name for k in ("decoder", "encoder/dense/kernel", "decoder/kernel")]
    ['adam', 'sgd', 'rmsprop']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from typing import Any

from kerastorch.common import serialization
from kerastorch.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kerastorch.optimizers.multi_optimizer import MultiOptimizer
from kerastorch.optimizers.optimizer import Optimizer

__all__ = ["OptimizerMap"]


class OptimizerMap(MutableMapping):
    """A mapping from variable paths (exact, else regular expressions matched in full) to
    optimizers, with a default for unmapped variables. Calling it on a variable returns
    the optimizer for `variable.path`.

    Args:
        default_optimizer: the `Optimizer` of variables that no key matches.
        optimizer_map: an initial `{path or pattern: Optimizer}` dict.
    """

    _keras_module = "keras.optimizers"

    def __init__(self, default_optimizer: Optimizer, optimizer_map: dict | None = None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                f"default_optimizer must be a Keras Optimizer instance. Received: "
                f"{default_optimizer}"
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self) -> Optimizer:
        """The optimizer of unmapped variables."""
        return self._default_optimizer

    def __getitem__(self, key: str) -> Optimizer:
        """The optimizer of `key`: an exact key, else the one pattern that fully matches it,
        else the default. Several matching patterns are an error."""
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}.")
        if matching:
            return self._optimizer_map[matching[0]]
        return self._default_optimizer

    def __setitem__(self, key: str, optimizer: Optimizer) -> None:
        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"optimizer must be a Keras Optimizer instance. Received: {optimizer}")
        if isinstance(optimizer, (LossScaleOptimizer, MultiOptimizer)):
            raise ValueError(f"optimizer cannot be {type(optimizer).__name__}.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key: str) -> None:
        del self._optimizer_map[key]

    def __len__(self) -> int:
        return len(self._optimizer_map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._optimizer_map)

    def __call__(self, variable: Any) -> Optimizer:
        """The optimizer of `variable` (by its `path`)."""
        path = getattr(variable, "path", None)
        if not isinstance(path, str):
            raise TypeError(
                "OptimizerMap maps variables by their `path`; pass kerastorch Variables (e.g. "
                f"`model.trainable_variables`). Received: {type(variable).__name__}"
            )
        return self[path]

    def get_config(self) -> dict[str, Any]:
        """The default optimizer and the map, serialized as Keras does."""
        return {
            "default_optimizer": serialization.serialize_keras_object(self._default_optimizer),
            "optimizer_map": serialization.serialize_keras_object(self._optimizer_map),
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict | None = None
    ) -> OptimizerMap:
        """An `OptimizerMap` from `get_config()`'s output (here or Keras's)."""
        default = serialization.deserialize_keras_object(
            config["default_optimizer"], custom_objects=custom_objects
        )
        optimizer_map = serialization.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(default, optimizer_map)
