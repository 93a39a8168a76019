"""`Adamax`: Adam with the infinity norm, as Keras 3 computes it.

Example:
    >>> Adamax().get_config()["beta_2"]
    0.999
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.tensor_utils import powers, scalar

Tensor = torch.Tensor


class Adamax(Optimizer):
    """Adamax: `m = b1 * m + (1 - b1) * g; u = max(b2 * u, |g|);
    w -= lr * m / ((u + epsilon) * (1 - b1**t))`.

    Args:
        learning_rate: float or schedule (`0.001`).
        beta_1: decay rate of the first moment (`0.9`).
        beta_2: decay rate of the weighted infinity norm (`0.999`).
        epsilon: small constant for numerical stability (`1e-7`).
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        return [[("momentum", 0.0), ("norm", 0.0)]]

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        (beta_1_power,) = powers(self._local_step(), self.beta_1)
        momentums, norms = slots["momentum"], slots["norm"]
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(norms, self.beta_2)
        torch._foreach_maximum_(norms, torch._foreach_abs(grads))
        denominators = torch._foreach_add(norms, self.epsilon)
        torch._foreach_mul_(denominators, scalar(1 - beta_1_power))
        torch._foreach_sub_(
            params, torch._foreach_div(torch._foreach_mul(momentums, lr), denominators)
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
