"""`Ftrl`: Follow The Regularized Leader (McMahan et al. 2013), as Keras 3 computes it.

Example:
    >>> Ftrl(l1_regularization_strength=0.01).get_config()["learning_rate_power"]
    -0.5
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer

Tensor = torch.Tensor


class Ftrl(Optimizer):
    """FTRL-Proximal with L1, L2 and L2-shrinkage regularisation.

    With `n` the accumulator (squared gradients, from `initial_accumulator_value`), `z` the
    linear term and `p = -learning_rate_power`: `g' = g + 2 * l2_shrinkage * w;
    n' = n + g**2; z += g' - (n'**p - n**p) / lr * w;
    w = (clip(z, -l1, l1) - z) / (n'**p / lr + 2 * (l2 + beta / (2 * lr)))`.

    Args:
        learning_rate: float or schedule (`0.001`).
        learning_rate_power: float <= 0 (`-0.5`).
        initial_accumulator_value: float >= 0 (`0.1`).
        l1_regularization_strength: float >= 0 (`0.0`).
        l2_regularization_strength: float >= 0 (`0.0`).
        l2_shrinkage_regularization_strength: float >= 0 (`0.0`); magnitude penalty applied
            through the gradient.
        beta: float (`0.0`), as in the paper.
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
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
        for arg, value in (
            ("initial_accumulator_value", initial_accumulator_value),
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        ):
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        return [[("accumulator", self.initial_accumulator_value), ("linear", 0.0)]]

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        accumulators, linears = slots["accumulator"], slots["linear"]
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)  # a device scalar
        shrinkage = 2 * self.l2_shrinkage_regularization_strength
        grads_to_use = torch._foreach_add(grads, torch._foreach_mul(params, shrinkage))
        new_accumulators = torch._foreach_add(accumulators, torch._foreach_mul(grads, grads))
        new_powers = torch._foreach_pow(new_accumulators, power)
        sigmas = torch._foreach_div(
            torch._foreach_sub(new_powers, torch._foreach_pow(accumulators, power)), lr
        )
        torch._foreach_add_(
            linears, torch._foreach_sub(grads_to_use, torch._foreach_mul(sigmas, params))
        )
        quadratics = torch._foreach_add(torch._foreach_div(new_powers, lr), 2 * l2)
        clipped = torch._foreach_clamp_max(torch._foreach_clamp_min(linears, -l1), l1)
        torch._foreach_copy_(
            params, torch._foreach_div(torch._foreach_sub(clipped, linears), quadratics)
        )
        torch._foreach_copy_(accumulators, new_accumulators)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta,
            }
        )
        return config
