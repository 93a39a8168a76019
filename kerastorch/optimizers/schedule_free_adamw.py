"""`ScheduleFreeAdamW`: Adam steps with schedule-free interpolation and averaging (Defazio et
al., 2024), as Keras 3 computes it.

Example:
    >>> import torch
    >>> w = torch.nn.Parameter(torch.ones(2))
    >>> opt = ScheduleFreeAdamW(learning_rate=0.1)
    >>> opt.build([w])
    >>> opt.variables[2].numpy()  # the momentum sequence starts at the variable's value
    array([1., 1.], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.tensor_utils import step_tensor

__all__ = ["ScheduleFreeAdamW"]

Tensor = torch.Tensor


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW: no learning-rate schedule needed.

    The `momentum` slot holds the sequence `z` where Adam-scaled gradient steps are taken
    (`z -= lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)`); the averaged sequence `x` is
    the running mean of `z` (weight `1 / t`), and the variable holds the interpolation
    `y = (1 - beta_1) * z + beta_1 * x`. `t` is `iterations + 1`; with `warmup_steps`, the
    learning rate is scaled by `min(t / warmup_steps, 1)`.

    Keras's torch backend recovers `x` from the variable with the *updated* `z` (its
    `momentum.value` aliases the slot that is then updated in place); this reproduces
    that, so that training here matches Keras on torch step for step.

    Args:
        learning_rate: float or schedule (`0.0025`).
        beta_1: interpolation between `z` and `x` (`0.9`).
        beta_2: decay rate of the second moment (`0.999`).
        epsilon: small constant for numerical stability (`1e-8`).
        warmup_steps: steps of linear learning-rate warmup from 0 (`0`).
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.0025,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        warmup_steps: int = 0,
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
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        return [[("momentum", 0.0), ("velocity", 0.0)]]

    def build(self, variables: Sequence[Any]) -> None:
        """Create the slots; `momentum` starts as a copy of each variable."""
        if self.built:
            return
        super().build(variables)
        with torch.no_grad():
            torch._foreach_copy_(self._slot_tensors["momentum"], self._params)

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        t, host = step_tensor(self._local_step())
        beta_1 = torch.tensor(self.beta_1, dtype=torch.float32, device=t.device)
        beta_2 = torch.tensor(self.beta_2, dtype=torch.float32, device=t.device)
        if self.warmup_steps > 0:
            warmup = torch.tensor(float(self.warmup_steps), dtype=torch.float32, device=t.device)
            lr = lr * host(torch.clamp(t / warmup, max=1.0))
        bias_correction_2 = host(1 - beta_2.pow(t))
        momentums, velocities = slots["momentum"], slots["velocity"]
        squares = torch._foreach_mul(grads, grads)
        torch._foreach_add_(
            velocities,
            torch._foreach_mul(torch._foreach_sub(squares, velocities), host(1 - beta_2)),
        )
        denominators = torch._foreach_sqrt(torch._foreach_div(velocities, bias_correction_2))
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_sub_(
            momentums, torch._foreach_div(torch._foreach_mul(grads, lr), denominators)
        )
        weight = host(1 / t)
        one_minus_beta_1 = host(1 - beta_1)
        # x = (y - (1 - b1) * z) / b1, with the updated z (Keras on torch, see the class doc).
        x = torch._foreach_div(
            torch._foreach_sub(params, torch._foreach_mul(momentums, one_minus_beta_1)),
            host(beta_1),
        )
        x = torch._foreach_add(
            torch._foreach_mul(x, host(1 - weight)), torch._foreach_mul(momentums, weight)
        )
        torch._foreach_copy_(
            params,
            torch._foreach_add(
                torch._foreach_mul(momentums, one_minus_beta_1),
                torch._foreach_mul(x, host(beta_1)),
            ),
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "warmup_steps": self.warmup_steps,
            }
        )
        return config
