"""`Lamb`: Adam's direction scaled per variable by a trust ratio (You et al.), Keras 3.

Example:
    >>> Lamb().get_config()["beta_2"]
    0.999
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.tensor_utils import powers, scalar

Tensor = torch.Tensor


class Lamb(Optimizer):
    """Lamb: `update = m_hat / (sqrt(v_hat) + epsilon)`, then
    `w -= ratio * lr * update` with `ratio = ||w|| / ||update||` (1 when either norm is 0),
    one ratio per variable.

    Args:
        learning_rate: float or schedule (`0.001`).
        beta_1: decay rate of the first moment (`0.9`).
        beta_2: decay rate of the second moment (`0.999`).
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
        return [[("momentum", 0.0), ("velocity", 0.0)]]

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        beta_1_power, beta_2_power = powers(self._local_step(), self.beta_1, self.beta_2)
        momentums, velocities = slots["momentum"], slots["velocity"]
        # Keras's generic form here: m += (g - m) * (1 - b1).
        torch._foreach_add_(
            momentums, torch._foreach_mul(torch._foreach_sub(grads, momentums), 1 - self.beta_1)
        )
        squares = torch._foreach_mul(grads, grads)
        torch._foreach_add_(
            velocities, torch._foreach_mul(torch._foreach_sub(squares, velocities), 1 - self.beta_2)
        )
        m_hat = torch._foreach_div(momentums, scalar(1 - beta_1_power))
        v_sqrt = torch._foreach_sqrt(torch._foreach_div(velocities, scalar(1 - beta_2_power)))
        torch._foreach_add_(v_sqrt, self.epsilon)
        updates = torch._foreach_div(m_hat, v_sqrt)
        w_norm = torch.stack(torch._foreach_norm(params))  # (num_variables,)
        g_norm = torch.stack(torch._foreach_norm(updates))
        ratio = torch.where((w_norm > 0) & (g_norm > 0), w_norm / g_norm, 1.0)
        torch._foreach_mul_(updates, list((ratio * lr).unbind()))
        torch._foreach_sub_(params, updates)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
