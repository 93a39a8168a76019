"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer, as Keras 3 does it.

Example:
    >>> import torch
    >>> from kerastorch.optimizers import SGD
    >>> w = torch.nn.Parameter(torch.ones(2))
    >>> opt = LossScaleOptimizer(SGD(learning_rate=0.5), initial_scale=4.0)
    >>> opt.scale_loss(torch.tensor(1.0))
    tensor(4.)
    >>> w.grad = torch.tensor([4.0, float("inf")])  # a non-finite gradient: the step is skipped
    >>> opt.step([w])
    >>> w.detach(), float(opt.dynamic_scale)
    (tensor([1., 1.]), 2.0)
    >>> w.grad = torch.tensor([2.0, 2.0])  # unscaled to 1.0 before the SGD step
    >>> opt.step([w])
    >>> w.detach()
    tensor([0.5000, 0.5000])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from kerastorch.common import serialization
from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.wrapper_state import WrapperState
from kerastorch.variables import Variable

__all__ = ["LossScaleOptimizer"]

Tensor = torch.Tensor

# Arguments older Keras configs carry; only their default values are accepted.
_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(WrapperState, Optimizer):
    """Wraps `inner_optimizer` with dynamic loss scaling (for `float16` training).

    Multiply the loss by `scale_loss(loss)` before computing gradients; each step then:

    - if any gradient is non-finite, skips the update, halves the scale and resets the
      growth counter;
    - otherwise divides the gradients by the scale, lets `inner_optimizer` update the
      variables, and doubles the scale after `dynamic_growth_steps` finite steps in a row.

    The state is Keras's: its own `iteration`, `learning_rate`, `step_counter` (int32) and
    `dynamic_scale` (float32), followed by the inner optimizer's variables. `iterations` and
    `learning_rate` are the inner optimizer's. Deciding whether to skip costs one host
    synchronisation per step (as torch's `GradScaler` does).

    Args:
        inner_optimizer: the `Optimizer` to wrap (its `loss_scale_factor` is reset to None).
        initial_scale: the initial loss scale (`2**15`).
        dynamic_growth_steps: double the scale after this many finite steps (`2000`).
        name: the optimizer's name.
    """

    def __init__(
        self,
        inner_optimizer: Optimizer,
        initial_scale: float = 2.0**15,
        dynamic_growth_steps: int = 2000,
        name: str | None = None,
        **kwargs: Any,
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`."
            )
        for arg_name, default in _BASE_DEFAULTS.items():
            if arg_name in kwargs and kwargs.pop(arg_name) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg_name}`. Instead, set "
                    f"`{arg_name}` on the `inner_optimizer`."
                )
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`."
            )
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer: `inner_optimizer` must be a kerastorch Optimizer. "
                f"Received: inner_optimizer={inner_optimizer!r}"
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The inner optimizer must not unscale a second time.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, variables: Sequence[Any]) -> None:
        """Create the scale state, then build the inner optimizer on `variables`."""
        if self.built:
            return
        device = self._state.iteration.device
        self._state.register_buffer(
            "step_counter", torch.zeros((), dtype=torch.int32, device=device)
        )
        self.step_counter = self._track("step_counter", "step_counter")
        scale = torch.tensor(self.initial_scale, dtype=torch.float32, device=device)
        self._state.register_buffer("dynamic_scale", scale)
        self.dynamic_scale = self._track("dynamic_scale", "dynamic_scale")
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self) -> list[Variable]:
        """The own state (iteration, learning rate, step counter, scale), then the inner's."""
        return self._variables + self.inner_optimizer.variables

    @property
    def learning_rate(self) -> Any:
        """The inner optimizer's learning rate."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self) -> Any:
        """The inner optimizer's step counter (skipped steps do not count)."""
        return self.inner_optimizer.iterations

    def scale_loss(self, loss: Tensor) -> Tensor:
        """`loss` times the current scale (the initial scale before the first step)."""
        scale = self._state.dynamic_scale if self.built else self.initial_scale
        return loss * scale

    def _can_compile_step(self) -> bool:
        """No: whether to skip a step is decided on the host (one sync per step)."""
        return False

    def _apply(self, grads: list[Tensor], indices: list[int] | None) -> None:
        """Skip non-finite steps, else unscale and step the inner optimizer; update the scale."""
        scale, counter = self._state.dynamic_scale, self._state.step_counter
        unscaled = torch._foreach_div(grads, scale)
        found_inf = torch.zeros(1, dtype=torch.float32, device=scale.device)
        torch._amp_foreach_non_finite_check_and_unscale_(
            unscaled, found_inf, torch.ones((), dtype=torch.float32, device=scale.device)
        )
        if not found_inf.item():
            self.inner_optimizer._apply(unscaled, indices)
        # Keras: non-finite: scale / 2, counter = 0; at `dynamic_growth_steps` finite steps
        # in a row: scale * 2, counter = 0; else counter + 1.
        torch._amp_update_scale_(scale, counter, found_inf, 2.0, 0.5, self.dynamic_growth_steps)

    def finalize_variable_values(self, var_list: Sequence[Any]) -> None:
        """The inner optimizer's `finalize_variable_values`."""
        self.inner_optimizer.finalize_variable_values(var_list)

    # -- config ----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """Keras's config: the name, the serialized inner optimizer and the scale settings."""
        return {
            "name": self.name,
            "inner_optimizer": serialization.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict | None = None
    ) -> LossScaleOptimizer:
        """Create the optimizer (and its inner one) from `get_config()`'s output."""
        config = dict(config)
        inner = serialization.deserialize_keras_object(
            config.pop("inner_optimizer"), custom_objects=custom_objects
        )
        return cls(inner, **config)
