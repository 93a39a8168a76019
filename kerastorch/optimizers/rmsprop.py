"""`RMSprop`: divide the gradient by a running root mean square, as Keras 3 computes it.

Example:
    >>> import torch
    >>> w = torch.nn.Parameter(torch.tensor([10.0]))
    >>> opt = RMSprop(learning_rate=0.1)
    >>> w.grad = w.detach().clone()  # d(w**2 / 2) / dw
    >>> opt.step([w])
    >>> round(w.item(), 5)
    9.68377
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer

Tensor = torch.Tensor


class RMSprop(Optimizer):
    """RMSprop: `v = rho * v + (1 - rho) * g**2; w -= lr * g / sqrt(v + epsilon)`.

    Epsilon sits *inside* the square root and `rho` is 0.9, as in Keras (torch's `RMSprop`
    adds epsilon after the root, with `alpha=0.99`). `centered` subtracts the squared running
    mean of the gradient from `v`; `momentum` accumulates the increments:
    `m = momentum * m + increment; w -= m`.

    Args:
        learning_rate: float or schedule (`0.001`).
        rho: discounting factor of the squared-gradient average (`0.9`).
        momentum: float (`0.0`).
        epsilon: small constant for numerical stability (`1e-7`).
        centered: normalise by the estimated variance of the gradient (`False`).
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
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
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        specs = [[("velocity", 0.0)]]
        if self.momentum > 0:
            specs.append([("momentum", 0.0)])
        if self.centered:
            specs.append([("average_gradient", 0.0)])
        return specs

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        rho = self.rho
        velocities = slots["velocity"]
        torch._foreach_mul_(velocities, rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - rho)  # one fused pass
        denominators = torch._foreach_add(velocities, self.epsilon)
        if self.centered:
            averages = slots["average_gradient"]
            torch._foreach_mul_(averages, rho)
            torch._foreach_add_(averages, grads, alpha=1 - rho)
            torch._foreach_add_(denominators, torch._foreach_mul(averages, averages), alpha=-1)
        torch._foreach_sqrt_(denominators)
        # lr * g / d computed as g / (d / lr): one temporary fewer, in place on `denominators`
        torch._foreach_div_(denominators, lr)
        if self.momentum > 0:
            momentums = slots["momentum"]
            torch._foreach_mul_(momentums, self.momentum)
            torch._foreach_addcdiv_(momentums, grads, denominators)
            torch._foreach_sub_(params, momentums)
        else:
            torch._foreach_addcdiv_(params, grads, denominators, value=-1.0)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "rho": self.rho,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "centered": self.centered,
            }
        )
        return config
