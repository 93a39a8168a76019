"""`AdamW`: Adam with decoupled weight decay (default 0.004), as Keras 3 computes it.

Example:
    >>> AdamW().weight_decay
    0.004
"""

from __future__ import annotations

from typing import Any

from kerastorch.optimizers.adam import Adam


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter).

    Each step first multiplies the variables by `1 - weight_decay * learning_rate`, then
    applies Adam's update (Keras's rule; torch's `AdamW` uses the same product but Adam's
    torch epsilon).

    Args:
        learning_rate: float or schedule (`0.001`).
        weight_decay: float (`0.004`); `None` is refused.
        beta_1: decay rate of the first moment (`0.9`).
        beta_2: decay rate of the second moment (`0.999`).
        epsilon: small constant for numerical stability (`1e-7`).
        amsgrad: use the maximum of past second moments (AMSGrad) (`False`).
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
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
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
