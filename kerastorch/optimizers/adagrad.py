"""`Adagrad`: per-coordinate learning rates from the sum of squared gradients (Keras 3).

Example:
    >>> Adagrad().initial_accumulator_value
    0.1
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer

Tensor = torch.Tensor


class Adagrad(Optimizer):
    """Adagrad: `a += g**2; w -= lr * g / sqrt(a + epsilon)`, with `a` starting at
    `initial_accumulator_value` (epsilon inside the root, as Keras; torch adds it outside).

    Args:
        learning_rate: float or schedule (`0.001`).
        initial_accumulator_value: starting value of the accumulators (`0.1`).
        epsilon: small constant for numerical stability (`1e-7`).
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
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
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        return [[("accumulator", self.initial_accumulator_value)]]

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        accumulators = slots["accumulator"]
        torch._foreach_add_(accumulators, torch._foreach_mul(grads, grads))
        denominators = torch._foreach_sqrt(torch._foreach_add(accumulators, self.epsilon))
        torch._foreach_sub_(params, torch._foreach_div(torch._foreach_mul(grads, lr), denominators))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon}
        )
        return config
