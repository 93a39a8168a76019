"""`SGD`: gradient descent, with optional (Nesterov) momentum, as Keras 3 computes it.

Example:
    >>> import torch
    >>> w = torch.nn.Parameter(torch.ones(2))
    >>> opt = SGD(learning_rate=0.1, momentum=0.9)
    >>> w.grad = torch.ones(2)
    >>> opt.step([w]); opt.step([w])
    >>> w.detach()  # velocity -0.1, then 0.9 * -0.1 - 0.1 = -0.19
    tensor([0.7100, 0.7100])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer

Tensor = torch.Tensor


class SGD(Optimizer):
    """Gradient descent (with momentum).

    `w -= learning_rate * g`; with momentum: `velocity = momentum * velocity -
    learning_rate * g; w += velocity`; with Nesterov: `w += momentum * velocity -
    learning_rate * g` (torch's `SGD` scales differently: `v = mu * v + g; w -= lr * v`).

    Args:
        learning_rate: float or schedule (`0.01`).
        momentum: float in `[0, 1]` (`0.0`).
        nesterov: whether to apply Nesterov momentum (`False`).
        **kwargs: the common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).
    """

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)):
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: {momentum!r}")
        if momentum < 0 or momentum > 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def _slot_specs(self) -> list[list[tuple[str, float]]]:
        return [[("momentum", 0.0)]] if self.momentum != 0 else []

    @property
    def momentums(self) -> list[Any]:
        """The velocity variables (empty without momentum), as Keras names them."""
        return self._slots.get("momentum", [])

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        scaled = torch._foreach_mul(grads, -lr)  # -lr * g
        if self.momentum == 0:
            torch._foreach_add_(params, scaled)
            return
        velocities = slots["momentum"]
        torch._foreach_mul_(velocities, self.momentum)
        torch._foreach_add_(velocities, scaled)
        if self.nesterov:
            torch._foreach_add_(params, scaled)
            torch._foreach_add_(params, velocities, alpha=self.momentum)
        else:
            torch._foreach_add_(params, velocities)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
