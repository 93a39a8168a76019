"""`MultiOptimizer`: different optimizers for different variables, as Keras 3 does it.

Example:
    >>> import torch
    >>> from kerastorch.optimizers import SGD, Adam
    >>> from kerastorch.variables import Variable
    >>> layer = torch.nn.Linear(2, 2)
    >>> kernel = Variable(layer, "weight", "kernel", path="dense/kernel")
    >>> bias = Variable(layer, "bias", "bias", path="dense/bias")
    >>> opt = MultiOptimizer(lambda v: adam if v.name == "kernel" else sgd)
    >>> adam, sgd = Adam(), SGD()
    >>> opt.build([kernel, bias])
    >>> [o.name for o in opt.optimizers], [len(o.variables) for o in opt.optimizers]
    (['adam', 'sgd'], [4, 2])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from kerastorch.common import serialization
from kerastorch.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.wrapper_state import WrapperState
from kerastorch.variables import Variable

__all__ = ["MultiOptimizer"]

Tensor = torch.Tensor


class MultiOptimizer(WrapperState, Optimizer):
    """Delegates each variable to the optimizer that `optimizer_map` gives for it.

    `optimizer_map` is an `OptimizerMap` (by variable path) or a callable taking a variable
    and returning an `Optimizer`. Each inner optimizer updates only its own variables, with
    its own learning rate, clipping, weight decay and state; `optimizers` lists them.
    `learning_rate` is refused (it differs per inner optimizer), as in Keras.

    The state is Keras's: the own `iteration` and `learning_rate`, then each inner
    optimizer's variables in the order of `optimizers`.

    Args:
        optimizer_map: an `OptimizerMap` or a callable `variable -> Optimizer`.
        loss_scale_factor: set on every inner optimizer (overriding theirs).
        name: the optimizer's name.
    """

    def __init__(
        self,
        optimizer_map: Callable[[Any], Optimizer],
        loss_scale_factor: float | None = None,
        name: str | None = None,
    ):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers: list[Optimizer] = []
        known = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for opt in [*known, *([default] if default is not None else [])]:
            if opt not in self._inner_optimizers:
                opt.loss_scale_factor = loss_scale_factor
                self._inner_optimizers.append(opt)

    def build(self, variables: Sequence[Any]) -> None:
        """Assign each variable to its optimizer, and build those on their variables."""
        if self.built:
            return
        variables = list(variables)
        assigned: list[list[Any]] = [[] for _ in self._inner_optimizers]
        owners = []
        for variable in variables:
            opt = self._optimizer_map(variable)
            if not isinstance(opt, Optimizer):
                raise ValueError(f"Optimizer for variable {variable} is not an Optimizer instance.")
            if isinstance(opt, LossScaleOptimizer):
                raise ValueError("LossScaleOptimizer cannot be used inside an MultiOptimizer.")
            if isinstance(opt, MultiOptimizer):
                raise ValueError("MultiOptimizer cannot be used inside an MultiOptimizer.")
            if opt not in self._inner_optimizers:
                opt.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(opt)
                assigned.append([])
            owner = self._inner_optimizers.index(opt)
            owners.append(owner)
            assigned[owner].append(variable)
        for opt, own in zip(self._inner_optimizers, assigned, strict=True):
            opt.build(own)  # an unused one still holds its iteration and rate, as Keras's
        super().build(variables)
        # Each variable: (its optimizer's position, its index in that optimizer).
        self._routes = [
            (owner, self._inner_optimizers[owner]._variable_index(variable))
            for owner, variable in zip(owners, variables, strict=True)
        ]

    @property
    def optimizers(self) -> list[Optimizer]:
        """The inner optimizers."""
        return self._inner_optimizers

    @property
    def variables(self) -> list[Variable]:
        """The own state (iteration, learning rate), then each inner optimizer's."""
        result = self._variables[:]
        for opt in self._inner_optimizers:
            result.extend(opt.variables)
        return result

    @property
    def learning_rate(self) -> Any:
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate "
            "on the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
            "individual sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self) -> float | None:
        """Set on every inner optimizer, which divide their gradients by it."""
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value: float | None) -> None:
        self._loss_scale_factor = value
        for opt in getattr(self, "_inner_optimizers", ()):
            opt.loss_scale_factor = value

    def _can_compile_step(self) -> bool:
        """Whether every inner optimizer's step can run inside a compiled step."""
        return all(opt._can_compile_step() for opt in self._inner_optimizers)

    def _apply(self, grads: list[Tensor], indices: list[int] | None) -> None:
        """Hand each gradient to its variable's optimizer, then count the step."""
        compiling = torch.compiler.is_compiling()
        if not compiling:
            self._sync_count()
        groups: list[tuple[list[int], list[Tensor]]] = [([], []) for _ in self._inner_optimizers]
        for i, grad in zip(range(len(grads)) if indices is None else indices, grads, strict=True):
            owner, inner = self._routes[i]
            groups[owner][0].append(inner)
            groups[owner][1].append(grad)
        for opt, (inner_indices, inner_grads) in zip(self._inner_optimizers, groups, strict=True):
            if inner_grads:
                full = inner_indices == list(range(len(opt._params)))
                opt._apply(inner_grads, None if full else inner_indices)
        iteration = self._state.iteration
        iteration.add_(1)
        if not compiling:
            self._count += 1
            self._count_version = iteration._version

    def finalize_variable_values(self, var_list: Sequence[Any]) -> None:
        """Each inner optimizer's `finalize_variable_values` on its variables."""
        assigned: list[list[Any]] = [[] for _ in self._inner_optimizers]
        for variable in var_list:
            assigned[self._routes[self._variable_index(variable)][0]].append(variable)
        for opt, own in zip(self._inner_optimizers, assigned, strict=True):
            if own:
                opt.finalize_variable_values(own)

    def get_config(self) -> dict[str, Any]:
        """Keras's config: the serialized map, `loss_scale_factor` and the name."""
        return {
            "optimizer_map": serialization.serialize_keras_object(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict | None = None
    ) -> MultiOptimizer:
        """A `MultiOptimizer` from `get_config()`'s output (here or Keras's)."""
        config = dict(config)
        config["optimizer_map"] = serialization.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)
