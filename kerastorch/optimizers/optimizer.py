"""`Optimizer`: the Keras optimizer API over torch tensors, plus a fast `step()` for training.

Two entry points share one implementation:

- the Keras API: `build(variables)`, `apply_gradients([(grad, var), ...])` and
  `apply(grads, variables)`, with gradients in the *Keras layout* of each variable;
- the torch face: `step()`, which reads each variable's `.grad` (torch layout) and updates
  every variable at once with `torch._foreach_*` kernels. It never reads a device value on the
  host: the learning rate and the iteration counter are device tensors, and whatever depends
  only on the step number (bias corrections, gradient-accumulation and EMA branches) is
  computed from a host-side copy of the counter (see `_sync_count`). Inside a compiled step
  (`torch.compile`, `jit_compile=True`) those step scalars are computed from the device counter
  instead, in the graph, so that the graph is the same at every step (`_compiling`).

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

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import torch

from kerastorch.optimizers.base_optimizer import BaseOptimizer
from kerastorch.optimizers.tensor_utils import f32, storage, to_storage_layout
from kerastorch.variables import Variable

__all__ = ["Optimizer"]

Tensor = torch.Tensor


class Optimizer(BaseOptimizer):
    """Base class of Keras optimizers: the update step, with clipping, weight decay, EMA and
    gradient accumulation, over the state that `BaseOptimizer` holds.

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
            torch_grads.append(to_storage_layout(g, v, self._params[i], self.name))
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
    def _can_compile_step(self) -> bool:
        """Whether `_apply` can run inside a compiled step (`jit_compile=True`): not with
        gradient accumulation, whose update-or-accumulate branch is decided on the host."""
        return not self.gradient_accumulation_steps

    def _apply(self, grads: list[Tensor], indices: list[int] | None) -> None:
        """The step: unscale, accumulate, clip, decay, update, EMA, constraints, count."""
        compiling = torch.compiler.is_compiling()
        if compiling and self.gradient_accumulation_steps:
            raise NotImplementedError(
                f"Optimizer '{self.name}': `gradient_accumulation_steps` decides on the host "
                "whether to update, which a compiled step cannot; run the optimizer eagerly."
            )
        if not compiling:
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
            self._apply_weight_decay(indices, lr)
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
        if not compiling:  # (a compiled step changes the counter's version: re-read once)
            self._count += 1
            self._count_version = iteration._version

    def _sync_count(self) -> None:
        """Re-read the step counter from the device only if someone else changed it."""
        iteration = self._state.iteration
        if iteration._version != self._count_version:
            self._count = int(iteration.item())
            self._count_version = iteration._version

    def _local_step(self) -> int | Tensor:
        """`iterations + 1` as Keras's update rules see it (accumulation-aware): a host int,
        or a float32 device tensor inside a compiled step."""
        if torch.compiler.is_compiling():
            return self._state.iteration.to(torch.float32) + 1
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

    def _apply_weight_decay(self, indices: list[int] | None, lr: Tensor) -> None:
        """Decoupled decay: multiply the decayed variables by `1 - weight_decay * lr`."""
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
        if isinstance(iterations, Tensor):
            self._update_moving_average_in_graph(iterations)
            return
        # Keras: momentum = (iterations != 0) * ema_momentum, in float32.
        momentum = f32(self.ema_momentum) if iterations != 0 else f32(0.0)
        torch._foreach_mul_(averages, float(momentum))
        torch._foreach_add_(averages, self._params, alpha=float(f32(1) - momentum))
        frequency = self.ema_overwrite_frequency
        if frequency and (iterations + 1) % frequency == 0:
            torch._foreach_copy_(self._params, averages)

    def _update_moving_average_in_graph(self, iterations: Tensor) -> None:
        """`_update_moving_average` in a compiled step: its branches as device selections."""
        averages, params = self._ema_tensors, self._params
        momentum = (iterations != 0) * float(f32(self.ema_momentum))
        torch._foreach_mul_(averages, momentum)
        torch._foreach_add_(averages, torch._foreach_mul(params, 1 - momentum))
        frequency = self.ema_overwrite_frequency
        if frequency:
            overwrite = torch.remainder(iterations + 1, frequency) == 0
            kept = [torch.where(overwrite, a, p) for a, p in zip(averages, params, strict=True)]
            torch._foreach_copy_(params, kept)

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
                storage(variable, self.name).copy_(average.tensor)

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
