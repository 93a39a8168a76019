"""`BaseOptimizer`: what an optimizer holds: its state variables, learning rate and config.

All optimizer state (the step counter, the learning rate, the per-variable slots) lives in
the buffers of one private `nn.Module`, so that one `.to(device)` moves it, and each buffer is
exposed as a Keras `Variable` in Keras's order (`variables`), which is the order of Keras's
saved optimizer state. `Optimizer` (optimizer.py) adds the update step on top.

Example:
    >>> import torch
    >>> from kerastorch.optimizers import Adam
    >>> opt = Adam()
    >>> opt.build([torch.nn.Parameter(torch.zeros(2))])
    >>> [v.name for v in opt.variables]
    ['iteration', 'learning_rate', 'variable_momentum', 'variable_velocity']
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from kerastorch.optimizers import schedules
from kerastorch.optimizers.arguments import (
    as_float,
    auto_name,
    check_common_arguments,
    is_learning_rate_function,
    resolve_legacy_arguments,
)
from kerastorch.optimizers.tensor_utils import storage
from kerastorch.variables import Variable

__all__ = ["BaseOptimizer"]

Tensor = torch.Tensor


class BaseOptimizer:
    """The state of a Keras optimizer: variables, learning rate, slots, saving and config.

    Subclasses declare their per-variable state in `_slot_specs()`; see `Optimizer` for the
    constructor arguments and the update step.
    """

    _keras_module = "keras.optimizers"

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        learning_rate = resolve_legacy_arguments(type(self), learning_rate, kwargs)
        self.name = name if name is not None else auto_name(type(self).__name__)
        check_common_arguments(
            clipnorm,
            clipvalue,
            global_clipnorm,
            use_ema,
            ema_momentum,
            ema_overwrite_frequency,
            gradient_accumulation_steps,
        )
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self.built = False

        # All optimizer state lives in the buffers of one private module, so that
        # `self._state.to(device)` moves it and `variables` can expose it as Variables.
        self._state = nn.Module()
        self._variables: list[Variable] = []
        self._state.register_buffer("iteration", torch.zeros((), dtype=torch.int64))
        self._iterations = self._track("iteration", "iteration")
        self._count = 0  # host copy of `iteration`, valid while its `_version` is unchanged
        self._count_version = self._state.iteration._version
        self._learning_rate: Any = None
        self._set_initial_learning_rate(learning_rate)
        self._trainable_variables: list[Any] = []
        self._params: list[Tensor] = []
        self._index: dict[int, int] = {}
        self._slots: dict[str, list[Variable]] = {}
        self._slot_tensors: dict[str, list[Tensor]] = {}
        self._exclude_from_weight_decay: set[int] = set()
        self._exclude_from_weight_decay_pattern: re.Pattern | None = None

    # -- construction helpers --------------------------------------------------------------
    def _set_initial_learning_rate(self, learning_rate: Any) -> None:
        if is_learning_rate_function(learning_rate):
            self._learning_rate = learning_rate
            return
        if isinstance(learning_rate, Variable):
            learning_rate = learning_rate.value
        value = as_float(learning_rate)
        if value is None:
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration "
                "value and returns the corresponding learning rate value). Received instead: "
                f"learning_rate={learning_rate!r}"
            )
        self._state.register_buffer("learning_rate", torch.tensor(value, dtype=torch.float32))
        self._learning_rate = self._track("learning_rate", "learning_rate")

    def _track(self, attr: str, name: str, reference: Any = None, listed: bool = True) -> Variable:
        """Wrap the state buffer `attr` as a Keras Variable (in the reference's layout); one
        not `listed` is left out of `variables` (and so of saved files)."""
        variable = Variable(
            self._state,
            attr,
            name,
            path=f"{self.name}/{name}",
            trainable=False,
            to_keras=getattr(reference, "_to_keras", None),
            from_keras=getattr(reference, "_from_keras", None),
        )
        if listed:
            self._variables.append(variable)
        return variable

    # -- properties ------------------------------------------------------------------------
    @property
    def variables(self) -> list[Variable]:
        """The optimizer state, in Keras's order: iteration, learning rate, then slots."""
        return self._variables[:]

    @property
    def iterations(self) -> Any:
        """The number of optimizer steps taken (a Variable; divided by the accumulation steps
        when `gradient_accumulation_steps` is set, as in Keras)."""
        if self.gradient_accumulation_steps:
            return torch.div(
                self._state.iteration, self.gradient_accumulation_steps, rounding_mode="floor"
            )
        return self._iterations

    @property
    def learning_rate(self) -> Any:
        """The current learning rate: a Variable, or the schedule's value at this step."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        return self._current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        if is_learning_rate_function(learning_rate):
            if isinstance(self._learning_rate, Variable):
                self._variables.remove(self._learning_rate)
            self._learning_rate = learning_rate
            return
        if not isinstance(self._learning_rate, Variable):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. "
                "If you need the learning rate to be settable, you should instantiate the "
                "optimizer with a float `learning_rate` argument."
            )
        if isinstance(learning_rate, Variable):
            learning_rate = learning_rate.value
        with torch.no_grad():  # in place: no host sync, and captured references stay valid
            if isinstance(learning_rate, Tensor):
                self._state.learning_rate.copy_(learning_rate.detach())
            else:
                self._state.learning_rate.fill_(float(learning_rate))

    def _current_learning_rate(self) -> Tensor:
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return self._state.learning_rate
        value = (
            lr(self._state.iteration) if isinstance(lr, schedules.LearningRateSchedule) else lr()
        )
        if isinstance(value, Variable):
            value = value.value
        device = self._state.iteration.device
        if not isinstance(value, Tensor):
            return torch.tensor(float(value), dtype=torch.float32, device=device)
        return value.to(device=device, dtype=torch.float32)

    # -- building --------------------------------------------------------------------------
    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        """Per-variable state as groups of `(Keras name, initial value)`.

        Each group is one Keras `add_optimizer_variables` call: its slots are interleaved
        per variable, and groups follow each other. This fixes the order of `variables`,
        which is the order of Keras's saved optimizer state.
        """
        return []

    def build(self, variables: Sequence[Any]) -> None:
        """Create the optimizer state for `variables` (on their device).

        Args:
            variables: `kerastorch.variables.Variable`s or torch tensors (Parameters).
        """
        if self.built:
            return
        variables = list(variables)
        params = [storage(v, self.name) for v in variables]
        if params:
            self._state.to(params[0].device)
            self._count_version = self._state.iteration._version
        self._trainable_variables = variables[:]
        self._params = params
        self._index = {}
        for i, (variable, param) in enumerate(zip(variables, params, strict=True)):
            self._index[id(variable)] = i
            self._index.setdefault(id(param), i)
        if self.use_ema:
            self._model_variables_moving_average = self._add_slots("average", 0.0)
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self._add_slots("gradient_accumulator", 0.0)
        self._slots = {}
        for group in self._slot_specs():
            for name, _ in group:
                self._slots[name] = []
            for i, variable in enumerate(variables):
                for name, value in group:
                    self._slots[name].append(self._add_slot(i, variable, name, value))
        self._slot_tensors = {k: [v.tensor for v in vs] for k, vs in self._slots.items()}
        self._ema_tensors = [v.tensor for v in getattr(self, "_model_variables_moving_average", [])]
        self._accumulator_tensors = [v.tensor for v in getattr(self, "_accumulated_gradients", [])]
        self._update_weight_decay_mask()
        self.built = True

    def _add_slots(self, name: str, value: float) -> list[Variable]:
        return [self._add_slot(i, v, name, value) for i, v in enumerate(self._trainable_variables)]

    def _add_slot(self, i: int, variable: Any, name: str, value: float) -> Variable:
        param = self._params[i]
        attr = f"{name}_{i}"
        self._state.register_buffer(attr, torch.full_like(param, value, requires_grad=False))
        label = getattr(variable, "path", None) or ("variable" if i == 0 else f"variable_{i}")
        # A variable the layer assigns itself (float8 scales, `overwrite_with_gradient`) gets
        # no gradient, so its slot is never read: Keras makes none, and files must agree.
        listed = not getattr(variable, "overwrite_with_gradient", False)
        return self._track(attr, f"{label.replace('/', '_')}_{name}", variable, listed)

    def _add_scalar_state(self, name: str, value: float) -> Variable:
        """A float32 scalar state variable (Nadam's momentum-cache product)."""
        device = self._state.iteration.device
        self._state.register_buffer(name, torch.tensor(value, dtype=torch.float32, device=device))
        return self._track(name, name)

    # -- weight decay exclusions -----------------------------------------------------------
    def exclude_from_weight_decay(
        self, var_list: Sequence[Any] | None = None, var_names: Sequence[str] | None = None
    ) -> None:
        """Exclude variables (by object, or by a substring of their name) from weight decay."""
        self._excluded = list(var_list or ())  # held, so that their ids stay unique
        self._exclude_from_weight_decay = {id(v) for v in self._excluded} | {
            id(v.tensor) for v in self._excluded if isinstance(v, Variable)
        }
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(set(var_names))) if var_names else None
        )
        if self.built:
            self._update_weight_decay_mask()

    def _use_weight_decay(self, variable: Any) -> bool:
        excluded = self._exclude_from_weight_decay
        if id(variable) in excluded or id(storage(variable, self.name)) in excluded:
            return False
        pattern = self._exclude_from_weight_decay_pattern
        return not (pattern is not None and pattern.search(getattr(variable, "name", "") or ""))

    def _update_weight_decay_mask(self) -> None:
        self._decay_mask = [self._use_weight_decay(v) for v in self._trainable_variables]
        self._decayed_params = [p for p, d in zip(self._params, self._decay_mask, strict=True) if d]

    # -- state, config ---------------------------------------------------------------------
    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set the optimizer state from arrays, in the order of `variables`."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`."
            )
        if len(weights) != len(self._variables):
            raise ValueError(
                f"Optimizer '{self.name}' has {len(self._variables)} variables; received "
                f"{len(weights)} weights."
            )
        for variable, weight in zip(self._variables, weights, strict=True):
            variable.assign(weight)

    def save_own_variables(self, store: Any) -> None:
        """Write the state to `store["0"]`, `store["1"]`, ... (Keras's `.keras` layout)."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store: Any) -> None:
        """Read the state written by `save_own_variables` (here or by Keras)."""
        if len(store.keys()) != len(self._variables):
            msg = (
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self._variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables. "
            )
            if len(self._variables) == 0:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(np.asarray(store[str(i)]))

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as Keras's `get_config()` returns them."""
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(lr)
        elif isinstance(lr, Variable):
            learning_rate = float(lr.numpy())
        else:
            learning_rate = lr  # a plain callable: kept as is
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict | None = None
    ) -> BaseOptimizer:
        """Create an optimizer from `get_config()`'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
