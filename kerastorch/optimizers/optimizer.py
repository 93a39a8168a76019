"""`Optimizer`: the Keras optimizer API over torch tensors, plus a fast `step()` for training.

Two entry points share one implementation:

- the Keras API: `build(variables)`, `apply_gradients([(grad, var), ...])` and
  `apply(grads, variables)`, with gradients in the *Keras layout* of each variable;
- the torch face: `step()`, which reads each variable's `.grad` (torch layout) and updates
  every variable at once with `torch._foreach_*` kernels. It never reads a device value on the
  host: the learning rate and the iteration counter are device tensors, and whatever depends
  only on the step number (bias corrections, gradient-accumulation and EMA branches) is
  computed from a host-side copy of the counter (see `_sync_count`).

The update rules are Keras 3's, written with the same operations in the same order as Keras's
torch backend (`keras/src/backend/torch/optimizers`), so results agree to float32 rounding.
Variables are `kerastorch.variables.Variable` views (updated through their torch storage,
`v.tensor`; elementwise rules and norms do not depend on the layout) or plain torch tensors.

Example:
    >>> import torch
    >>> from kerastorch.optimizers import SGD
    >>> w = torch.nn.Parameter(torch.ones(3))
    >>> opt = SGD(learning_rate=0.1)
    >>> w.grad = torch.ones(3)
    >>> opt.step([w])
    >>> w.detach()
    tensor([0.9000, 0.9000, 0.9000])
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from kerastorch.optimizers import schedules
from kerastorch.optimizers._utils import (
    _as_float,
    _auto_name,
    _f32,
    _init_argument_names,
    _storage,
    _to_storage_layout,
    _user_stacklevel,
)
from kerastorch.variables import Variable

Tensor = torch.Tensor


class Optimizer:
    """Base class of Keras optimizers: state, clipping, weight decay, EMA and accumulation.

    Subclasses declare their per-variable state in `_slot_specs()` and implement the update
    in `_update_step(params, grads, lr, slots)` on lists of torch tensors.

    Args:
        learning_rate: a float, a `schedules.LearningRateSchedule`, or a callable taking no
            argument. Readable and settable (`optimizer.learning_rate = 0.01`) while training.
        weight_decay: float; if set, each step first multiplies each variable by
            `1 - weight_decay * learning_rate` (decoupled, as Keras applies it).
        clipnorm: float; clip each gradient to this L2 norm (per variable).
        clipvalue: float; clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: float; clip all gradients together to this global L2 norm.
        use_ema: keep an exponential moving average of the variables.
        ema_momentum: momentum of that average (`0.99`).
        ema_overwrite_frequency: if set, overwrite the variables with their average every
            that many steps; otherwise call `finalize_variable_values()` at the end.
        loss_scale_factor: gradients are divided by it (pair with `scale_loss(loss)`).
        gradient_accumulation_steps: int >= 2; update only every that many steps, with the
            mean of the accumulated gradients.
        name: the optimizer's name (auto-generated in snake case when omitted).

    `lr=` (tf.keras 2) is accepted as an alias of `learning_rate`, with a
    `DeprecationWarning`; Keras 3 refuses it.

    Example:
        >>> from kerastorch.optimizers import Adam
        >>> opt = Adam(learning_rate=1e-3)
        >>> float(opt.learning_rate)
        0.0010000000474974513
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
        learning_rate = self._check_kwargs(learning_rate, kwargs)
        self.name = name if name is not None else _auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError(
                    f"`ema_momentum` must be in the range [0, 1]. Received: "
                    f"ema_momentum={ema_momentum}"
                )
            if ema_overwrite_frequency and (
                not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
            ):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                    f"ema_overwrite_frequency={ema_overwrite_frequency}"
                )
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}"
            )
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
    def _check_kwargs(self, learning_rate: Any, kwargs: dict[str, Any]) -> Any:
        """Honour `lr=` and `decay=` as tf.keras did; reject anything else by name."""
        if "lr" in kwargs:
            warnings.warn(
                f"{type(self).__name__}: the `lr` argument is deprecated (Keras 3 rejects it); "
                "use `learning_rate` instead.",
                DeprecationWarning,
                stacklevel=_user_stacklevel(),
            )
            learning_rate = kwargs.pop("lr")
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored.",
                stacklevel=_user_stacklevel(),
            )
        if kwargs:
            allowed = _init_argument_names(type(self))
            key = sorted(kwargs)[0]
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise TypeError(
                f"{type(self).__name__}() got an unexpected keyword argument '{key}'.{hint} "
                f"Accepted arguments: {sorted(allowed)}"
            )
        return learning_rate

    def _set_initial_learning_rate(self, learning_rate: Any) -> None:
        if isinstance(learning_rate, schedules.LearningRateSchedule) or (
            callable(learning_rate) and not isinstance(learning_rate, (Tensor, Variable))
        ):
            self._learning_rate = learning_rate
            return
        if isinstance(learning_rate, Variable):
            learning_rate = learning_rate.value
        value = _as_float(learning_rate)
        if value is None:
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration "
                "value and returns the corresponding learning rate value). Received instead: "
                f"learning_rate={learning_rate!r}"
            )
        self._state.register_buffer("learning_rate", torch.tensor(value, dtype=torch.float32))
        self._learning_rate = self._track("learning_rate", "learning_rate")

    def _track(self, attr: str, name: str, reference: Any = None) -> Variable:
        """Wrap the state buffer `attr` as a Keras Variable (in the reference's layout)."""
        variable = Variable(
            self._state,
            attr,
            name,
            path=f"{self.name}/{name}",
            trainable=False,
            to_keras=getattr(reference, "_to_keras", None),
            from_keras=getattr(reference, "_from_keras", None),
        )
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
        if isinstance(learning_rate, schedules.LearningRateSchedule) or (
            callable(learning_rate) and not isinstance(learning_rate, (Tensor, Variable))
        ):
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
        params = [_storage(v, self.name) for v in variables]
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
        return self._track(attr, f"{label.replace('/', '_')}_{name}", reference=variable)

    def _add_scalar_state(self, name: str, value: float) -> Variable:
        """A float32 scalar state variable (Nadam's momentum-cache product)."""
        device = self._state.iteration.device
        self._state.register_buffer(name, torch.tensor(value, dtype=torch.float32, device=device))
        return self._track(name, name)

    # -- the Keras API ---------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Any]]) -> Variable:
        """Apply `[(gradient, variable), ...]`; gradients in the variables' Keras layout.

        Returns:
            The `iterations` counter, as Keras does.
        """
        grads, variables = zip(*grads_and_vars, strict=True)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads: Sequence[Any], trainable_variables: Sequence[Any] | None = None) -> None:
        """Update the variables from `grads` (one per variable, Keras layout, `None` skips).

        `trainable_variables` may be omitted once the optimizer is built.
        """
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first. "
                )
            if len(grads) != len(self._params):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    f"match `optimizer.variables` one-to-one. Received a list of {len(grads)} "
                    f"gradients, but the optimizer is tracking {len(self._params)} trainable "
                    "variables."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if len(grads) != len(trainable_variables):
                raise ValueError(
                    f"Optimizer '{self.name}' received {len(grads)} gradients for "
                    f"{len(trainable_variables)} variables; pass one gradient per variable."
                )
            if not self.built:
                self.build(trainable_variables)
        indices = [self._variable_index(v) for v in trainable_variables]
        kept, torch_grads, missing = [], [], []
        for i, g, v in zip(indices, grads, trainable_variables, strict=True):
            if g is None:
                missing.append(getattr(v, "path", None) or getattr(v, "name", None) or str(i))
                continue
            kept.append(i)
            torch_grads.append(_to_storage_layout(g, v, self._params[i], self.name))
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. If "
                "using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=2,
            )
        with torch.no_grad():
            self._apply(torch_grads, None if kept == list(range(len(self._params))) else kept)

    def _variable_index(self, variable: Any) -> int:
        # By object, else by storage: a new Variable view of a built weight is the same weight.
        # (Both kinds of keys stay valid: the optimizer holds the objects they name.)
        index = self._index.get(id(variable))
        if index is None and isinstance(variable, Variable):
            index = self._index.get(id(variable.tensor))
        if index is None:
            raise ValueError(
                f"Unknown variable: {variable!r}. This optimizer can only be called for the "
                "variables it was originally built with. When working with a new set of "
                "variables, you should recreate a new optimizer instance."
            )
        return index

    # -- the torch face --------------------------------------------------------------------
    def step(self, variables: Sequence[Any] | None = None) -> None:
        """Update the variables from their `.grad` (torch layout), without host syncs.

        The fast path for training loops: `loss.backward(); optimizer.step()`. Variables
        whose `.grad` is `None` are skipped, as torch optimizers do.

        Args:
            variables: the variables to update; needed on the first call (to build the
                optimizer), optional afterwards (default: all built variables).
        """
        if not self.built:
            if variables is None:
                raise ValueError(
                    f"Optimizer '{self.name}' is not built: pass the variables on the first "
                    "call (`optimizer.step(model.trainable_variables)`) or call "
                    "`optimizer.build(variables)` first."
                )
            self.build(variables)
            indices = None
        elif variables is None:
            indices = None
        else:
            indices = [self._variable_index(v) for v in variables]
            if indices == list(range(len(self._params))):
                indices = None
        params = self._params if indices is None else [self._params[i] for i in indices]
        grads = [p.grad for p in params]
        if any(g is None for g in grads):
            kept = [j for j, g in enumerate(grads) if g is not None]
            if not kept:
                return
            indices = [j if indices is None else indices[j] for j in kept]
            grads = [grads[j] for j in kept]
        with torch.no_grad():
            self._apply(grads, indices)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the `.grad` of the built variables, as `torch.optim.Optimizer.zero_grad`."""
        for p in self._params:
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.zero_()

    # -- one step --------------------------------------------------------------------------
    def _apply(self, grads: list[Tensor], indices: list[int] | None) -> None:
        """The step: unscale, accumulate, clip, decay, update, EMA, constraints, count."""
        self._sync_count()
        if indices is None:
            params, slots, variables = self._params, self._slot_tensors, self._trainable_variables
        else:
            params = [self._params[i] for i in indices]
            slots = {k: [ts[i] for i in indices] for k, ts in self._slot_tensors.items()}
            variables = [self._trainable_variables[i] for i in indices]
        if self.loss_scale_factor is not None:
            grads = torch._foreach_div(grads, self.loss_scale_factor)

        # 1. Gradient accumulation: add, and update only every `steps` calls.
        update = True
        if self.gradient_accumulation_steps:
            steps = self.gradient_accumulation_steps
            accumulators = self._accumulator_tensors
            if indices is not None:
                accumulators = [accumulators[i] for i in indices]
            update = (self._count + 1) % steps == 0
            if update:
                grads = torch._foreach_div(torch._foreach_add(grads, accumulators), steps)
            else:
                torch._foreach_add_(accumulators, grads)

        # 2. Clip, decay, update (Keras's order).
        if update:
            lr = self._current_learning_rate()
            grads = self._clip_gradients(grads)
            self._apply_weight_decay(params, variables, indices, lr)
            self._update_step(params, grads, lr, slots)
            if self.gradient_accumulation_steps:
                torch._foreach_zero_(accumulators)

        # 3. Moving average of all variables (every call, as Keras does).
        if self.use_ema:
            self._update_moving_average()

        # 4. Constraints, then the counter.
        for variable, param in zip(variables, params, strict=True):
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                if isinstance(variable, Variable):
                    variable.apply_constraint()
                else:
                    param.copy_(constraint(param))
        iteration = self._state.iteration
        iteration.add_(1)
        self._count += 1
        self._count_version = iteration._version

    def _sync_count(self) -> None:
        """Re-read the step counter from the device only if someone else changed it."""
        iteration = self._state.iteration
        if iteration._version != self._count_version:
            self._count = int(iteration.item())
            self._count_version = iteration._version

    def _local_step(self) -> int:
        """`iterations + 1` as Keras's update rules see it (accumulation-aware)."""
        count = self._count
        if self.gradient_accumulation_steps:
            count //= self.gradient_accumulation_steps
        return count + 1

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement `_update_step`.")

    # -- clipping and weight decay ---------------------------------------------------------
    def _clip_gradients(self, grads: list[Tensor]) -> list[Tensor]:
        if self.clipnorm and self.clipnorm > 0:
            # g * clipnorm / max(||g||, clipnorm), per variable.
            norms = torch._foreach_norm(grads)
            scaled = torch._foreach_mul(grads, self.clipnorm)
            return torch._foreach_div(scaled, torch._foreach_maximum(norms, self.clipnorm))
        if self.global_clipnorm and self.global_clipnorm > 0:
            norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
            # clip * min(1/norm, 1/clip), plus (norm - norm) so that inf/NaN norms give NaN.
            scale = torch.clamp(norm.reciprocal(), max=1.0 / self.global_clipnorm)
            scale = scale * self.global_clipnorm + (norm - norm)
            return torch._foreach_mul(grads, scale)
        if self.clipvalue and self.clipvalue > 0:
            clipped = torch._foreach_clamp_min(grads, -self.clipvalue)
            torch._foreach_clamp_max_(clipped, self.clipvalue)
            return clipped
        return grads

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
        if id(variable) in excluded or id(_storage(variable, self.name)) in excluded:
            return False
        pattern = self._exclude_from_weight_decay_pattern
        return not (pattern is not None and pattern.search(getattr(variable, "name", "") or ""))

    def _update_weight_decay_mask(self) -> None:
        self._decay_mask = [self._use_weight_decay(v) for v in self._trainable_variables]
        self._decayed_params = [p for p, d in zip(self._params, self._decay_mask, strict=True) if d]

    def _apply_weight_decay(
        self, params: list[Tensor], variables: list[Any], indices: list[int] | None, lr: Tensor
    ) -> None:
        if self.weight_decay is None:
            return
        if indices is None:
            decayed = self._decayed_params
        else:
            decayed = [self._params[i] for i in indices if self._decay_mask[i]]
        if decayed:
            torch._foreach_mul_(decayed, 1 - self.weight_decay * lr)

    # -- exponential moving average --------------------------------------------------------
    def _update_moving_average(self) -> None:
        averages = self._ema_tensors
        iterations = self._local_step() - 1
        # Keras: momentum = (iterations != 0) * ema_momentum, in float32.
        momentum = _f32(self.ema_momentum) if iterations != 0 else _f32(0.0)
        torch._foreach_mul_(averages, float(momentum))
        torch._foreach_add_(averages, self._params, alpha=float(_f32(1) - momentum))
        frequency = self.ema_overwrite_frequency
        if frequency and (iterations + 1) % frequency == 0:
            torch._foreach_copy_(self._params, averages)

    def finalize_variable_values(self, var_list: Sequence[Any]) -> None:
        """Overwrite `var_list` with their moving averages when `use_ema=True` (else no-op)."""
        if not self.use_ema:
            return
        averages = self._model_variables_moving_average
        if len(var_list) != len(averages):
            raise ValueError(
                f"The length of model variables ({len(var_list)}) to override does not match "
                f"the length of model variables stored in the optimizer ({len(averages)}). "
                "Please check if the optimizer was called on your model."
            )
        with torch.no_grad():
            for variable, average in zip(var_list, averages, strict=True):
                _storage(variable, self.name).copy_(average.tensor)

    def swap_ema_weights(self) -> None:
        """Swap the variables with their moving averages (twice restores them).

        What `keras.callbacks.SwapEMAWeights` does around evaluation.
        """
        if not self.use_ema:
            raise ValueError(
                f"Optimizer '{self.name}' has no moving averages to swap: create it with "
                "`use_ema=True`."
            )
        with torch.no_grad():
            for param, average in zip(
                self._params, self._model_variables_moving_average, strict=True
            ):
                kept = param.clone()
                param.copy_(average.tensor)
                average.tensor.copy_(kept)

    # -- losses, state, config -------------------------------------------------------------
    def scale_loss(self, loss: Tensor) -> Tensor:
        """Multiply `loss` by `loss_scale_factor` (if set) before computing gradients."""
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

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
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Optimizer:
        """Create an optimizer from `get_config()`'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
