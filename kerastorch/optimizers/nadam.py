"""`Nadam`: Adam with Nesterov momentum and Keras's momentum cache (Keras 3).

Example:
    >>> Nadam().get_config()["epsilon"]
    1e-07
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.tensor_utils import f32, powers, scalar

Tensor = torch.Tensor


class Nadam(Optimizer):
    """Nadam (Dozat 2015), with Keras's momentum schedule `u_t = b1 * (1 - 0.5 * 0.96**t)`
    and the running product of the `u_t` (the "momentum cache", a state variable).

    `m_hat = u_{t+1} * m / (1 - prod_{t+1}) + (1 - u_t) * g / (1 - prod_t);
    v_hat = v / (1 - b2**t); w -= lr * m_hat / (sqrt(v_hat) + epsilon)`.

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

    def build(self, variables: Any) -> None:
        """Create the moments, then the momentum-cache product (last, as in Keras)."""
        if self.built:
            return
        super().build(variables)
        self._u_product = self._add_scalar_state("u_product", 1.0)

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        step = self._local_step()
        beta_1 = float(f32(self.beta_1))  # a weak scalar: float32 arithmetic, host or device
        decay_t, decay_t_1 = powers(step, 0.96) + powers(step + 1, 0.96)
        u_t = beta_1 * (1.0 - 0.5 * decay_t)
        u_t_1 = beta_1 * (1.0 - 0.5 * decay_t_1)
        (beta_2_power,) = powers(step, self.beta_2)
        u_product = self._u_product.tensor
        u_product_t = u_product * scalar(u_t)  # the cache lives on the device: no sync
        u_product_t_1 = u_product_t * scalar(u_t_1)
        u_product.copy_(u_product_t)

        momentums, velocities = slots["momentum"], slots["velocity"]
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_add_(velocities, torch._foreach_mul(grads, grads), alpha=1 - self.beta_2)
        m_hat = torch._foreach_div(torch._foreach_mul(momentums, scalar(u_t_1)), 1 - u_product_t_1)
        torch._foreach_add_(
            m_hat, torch._foreach_div(torch._foreach_mul(grads, scalar(1 - u_t)), 1 - u_product_t)
        )
        v_hat = torch._foreach_div(velocities, scalar(1 - beta_2_power))
        denominators = torch._foreach_sqrt(v_hat)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_sub_(params, torch._foreach_div(torch._foreach_mul(m_hat, lr), denominators))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
