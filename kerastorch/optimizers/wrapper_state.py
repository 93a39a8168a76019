"""`WrapperState`: the saved state of optimizers that wrap others (`LossScaleOptimizer`,
`MultiOptimizer`): their own variables, then their inner optimizers', as Keras saves them.

Example:
    >>> import torch
    >>> from kerastorch.optimizers import SGD, LossScaleOptimizer
    >>> opt = LossScaleOptimizer(SGD(momentum=0.5))
    >>> opt.build([torch.nn.Parameter(torch.zeros(2))])
    >>> store = {}
    >>> opt.save_own_variables(store)
    >>> len(store)  # 4 own variables, then SGD's iteration, learning rate and momentum
    7
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from kerastorch.variables import Variable

__all__ = ["WrapperState"]


class WrapperState:
    """Mixin (before `Optimizer`): `set_weights` and `.keras` state over `self.variables`,
    which a wrapper defines as its own variables followed by its inner optimizers'."""

    name: str
    built: bool
    variables: list[Variable]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set the state from arrays, in the order of `variables`."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`."
            )
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(
                f"Optimizer '{self.name}' has {len(variables)} variables; received "
                f"{len(weights)} weights."
            )
        for variable, weight in zip(variables, weights, strict=True):
            variable.assign(weight)

    def save_own_variables(self, store: Any) -> None:
        """Write the state to `store["0"]`, `store["1"]`, ... (Keras's `.keras` layout)."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store: Any) -> None:
        """Read the state written by `save_own_variables` (here or by Keras)."""
        variables = self.variables
        if len(store.keys()) != len(variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables. ",
                stacklevel=2,
            )
            return
        for i, variable in enumerate(variables):
            variable.assign(np.asarray(store[str(i)]))
