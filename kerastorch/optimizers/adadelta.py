"""`Adadelta`: step sizes from running averages of squared gradients and updates (Keras 3).

Example:
    >>> Adadelta().rho
    0.95
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer

Tensor = torch.Tensor


class Adadelta(Optimizer):
    """Adadelta: `a = rho * a + (1 - rho) * g**2;
    d = -sqrt(s + epsilon) / sqrt(a + epsilon) * g; s = rho * s + (1 - rho) * d**2;
    w += lr * d`.

    Args:
        learning_rate: float or schedule (`0.001`; Keras, unlike torch's 1.0).
        rho: decay rate (`0.95`).
        epsilon: small constant for numerical stability (`1e-7`).
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
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
        self.rho = rho
        self.epsilon = epsilon

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        return [[("accumulated_grad", 0.0), ("accumulated_delta_var", 0.0)]]

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        rho = self.rho
        accumulated_grads = slots["accumulated_grad"]
        accumulated_deltas = slots["accumulated_delta_var"]
        torch._foreach_mul_(accumulated_grads, rho)
        torch._foreach_add_(accumulated_grads, torch._foreach_mul(grads, grads), alpha=1 - rho)
        rms_deltas = torch._foreach_sqrt(torch._foreach_add(accumulated_deltas, self.epsilon))
        rms_grads = torch._foreach_sqrt(torch._foreach_add(accumulated_grads, self.epsilon))
        deltas = torch._foreach_div(torch._foreach_mul(rms_deltas, grads), rms_grads)
        torch._foreach_neg_(deltas)
        torch._foreach_mul_(accumulated_deltas, rho)
        torch._foreach_add_(accumulated_deltas, torch._foreach_mul(deltas, deltas), alpha=1 - rho)
        torch._foreach_add_(params, torch._foreach_mul(deltas, lr))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
