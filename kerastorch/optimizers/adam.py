"""`Adam`: adaptive moment estimation, as Keras 3 computes it ("epsilon hat").

Example:
    >>> import torch
    >>> w = torch.nn.Parameter(torch.zeros(2))
    >>> opt = Adam(learning_rate=0.1)
    >>> w.grad = torch.tensor([1.0, -2.0])
    >>> opt.step([w])
    >>> w.detach()  # the first step moves each weight by about -lr * sign(g)
    tensor([-0.1000,  0.1000])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.tensor_utils import powers, scalar, sqrt

Tensor = torch.Tensor


class Adam(Optimizer):
    """Adam, with Keras's placement of epsilon.

    `m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g**2;
    w -= lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + epsilon)`: epsilon (1e-7) is
    added to the *uncorrected* `sqrt(v)` ("epsilon hat" in Kingma & Ba), where torch's `Adam`
    adds 1e-8 to the bias-corrected one. `t` is `iterations + 1`.

    Args:
        learning_rate: float or schedule (`0.001`).
        beta_1: decay rate of the first moment (`0.9`).
        beta_2: decay rate of the second moment (`0.999`).
        epsilon: small constant for numerical stability (`1e-7`).
        amsgrad: use the maximum of past second moments (AMSGrad) (`False`).
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        self.amsgrad = amsgrad

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        specs = [[("momentum", 0.0), ("velocity", 0.0)]]
        return [*specs, [("velocity_hat", 0.0)]] if self.amsgrad else specs

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        beta_1_power, beta_2_power = powers(self._local_step(), self.beta_1, self.beta_2)
        # lr * sqrt(1 - b2^t) / (1 - b1^t): two scalar kernels on the device, no sync.
        alpha = lr * scalar(sqrt(1 - beta_2_power)) / scalar(1 - beta_1_power)
        momentums, velocities = slots["momentum"], slots["velocity"]
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        # v += (1 - b2) * g * g in one fused pass (no g * g temporary; within an ulp).
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            torch._foreach_maximum_(slots["velocity_hat"], velocities)
            velocities = slots["velocity_hat"]
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, self.epsilon)
        # p -= m * alpha / d as p -= m / (d / alpha): `alpha` is a device tensor (no sync), so
        # it cannot be addcdiv's host scalar; dividing the denominators by it in place leaves
        # no temporary the size of the weights.
        torch._foreach_div_(denominators, alpha)
        torch._foreach_addcdiv_(params, momentums, denominators, value=-1.0)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "amsgrad": self.amsgrad,
            }
        )
        return config
