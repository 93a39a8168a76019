"""`Adafactor`: Adam-like steps with factored second moments (Shazeer & Stern), Keras 3.

Example:
    >>> import torch
    >>> w = torch.nn.Parameter(torch.ones(2, 3))
    >>> opt = Adafactor(learning_rate=0.1)
    >>> w.grad = torch.ones(2, 3)
    >>> opt.step([w])
    >>> [tuple(v.shape) for v in opt.variables[2:]]  # row and column statistics, velocity
    [(2,), (3,), (2, 3)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.tensor_utils import step_tensor
from kerastorch.variables import Variable

__all__ = ["Adafactor"]

Tensor = torch.Tensor


def _rms(x: Tensor) -> Tensor:
    return torch.sqrt(torch.mean(torch.square(x)))


def _keras_view(x: Tensor, reference: Any) -> Tensor:
    """`x` (torch layout) seen in `reference`'s Keras layout (a view: writes go through)."""
    to_keras = getattr(reference, "_to_keras", None)
    return x if to_keras is None else to_keras(x)


class Adafactor(Optimizer):
    """Adafactor: for variables of rank >= 2 the second moment of the gradient is kept as
    row and column means over the last two (Keras-layout) axes, which saves memory.

    Each step, with `t = iterations + 1`: `rho = min(lr, 1 / sqrt(t))`,
    `alpha = max(epsilon_2, rms(w)) * rho`, `beta_2 = 1 - t ** beta_2_decay`; the row and
    column statistics of `g**2 + epsilon_1` (or, below rank 2, the whole moment `v`) are
    moving averages with `beta_2`; `u = g / sqrt(v)` is divided by
    `max(1, rms(u) / clip_threshold)`, and `w -= alpha * u`.

    As in Keras, variables of rank < 2 get two placeholder int32 scalars in place of the
    factored statistics, so that saved optimizer states line up with Keras's.

    Args:
        learning_rate: float or schedule (`0.001`).
        beta_2_decay: the decay exponent of `beta_2` (`-0.8`).
        epsilon_1: small offset added to the squared gradient (`1e-30`).
        epsilon_2: lower bound of the variable's RMS in the step size (`1e-3`).
        clip_threshold: the update is scaled down when its RMS exceeds this (`1.0`);
            independent of `clipnorm`, `clipvalue` and `global_clipnorm`.
        relative_step: with a constant learning rate, cap it at `1 / sqrt(t)` (`True`).
            (Keras's update applies that cap in any case.)
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables: Sequence[Any]) -> None:
        """Create, per variable in Keras's order: row and column statistics, velocity."""
        if self.built:
            return
        super().build(variables)
        rows, columns, velocities = [], [], []
        for i, variable in enumerate(self._trainable_variables):
            param = self._params[i]
            name = getattr(variable, "name", None) or ("variable" if i == 0 else f"variable_{i}")
            shape = tuple(_keras_view(param, variable).shape)
            if len(shape) < 2:  # Keras's placeholders: int32 zeros, named after the variable
                r = self._add_buffer(f"r_{i}", torch.zeros((), dtype=torch.int32), name)
                c = self._add_buffer(f"c_{i}", torch.zeros((), dtype=torch.int32), name)
                r.path = c.path = name
            else:
                zeros = {"dtype": param.dtype, "device": param.device}
                r = self._add_buffer(f"r_{i}", torch.zeros(shape[:-1], **zeros), name)
                c = self._add_buffer(f"c_{i}", torch.zeros(shape[:-2] + shape[-1:], **zeros), name)
            rows.append(r)
            columns.append(c)
            velocities.append(self._add_slot(i, variable, "velocity", 0.0))
        self._slots = {"r": rows, "c": columns, "velocity": velocities}
        self._slot_tensors = {k: [v.tensor for v in vs] for k, vs in self._slots.items()}

    def _add_buffer(self, attr: str, value: Tensor, name: str) -> Variable:
        self._state.register_buffer(attr, value.to(self._state.iteration.device))
        return self._track(attr, name)

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        t, host = step_tensor(self._local_step())
        rho = torch.clamp(lr, max=host(1 / t.sqrt()))
        beta_2 = 1 - t.pow(self.beta_2_decay)  # float32, as Keras's ops.power
        keep, new = host(beta_2), host(1 - beta_2)
        references = self._references(params)
        for param, grad, r, c, v, ref in zip(
            params, grads, slots["r"], slots["c"], slots["velocity"], references, strict=True
        ):
            w, g, v = _keras_view(param, ref), _keras_view(grad, ref), _keras_view(v, ref)
            alpha = torch.clamp(_rms(w), min=self.epsilon_2) * rho
            regulated = torch.square(g) + self.epsilon_1
            if w.ndim >= 2:
                r.copy_(keep * r + new * torch.mean(regulated, dim=-1))
                c.copy_(keep * c + new * torch.mean(regulated, dim=-2))
                row_share = r / torch.mean(r, dim=-1, keepdim=True)
                v.copy_(row_share.unsqueeze(-1) * c.unsqueeze(-2))
            else:
                v.copy_(keep * v + new * regulated)
            u = g / torch.sqrt(v)
            u = u / torch.clamp(_rms(u) / self.clip_threshold, min=1.0)
            w.sub_(alpha * u)

    def _references(self, params: list[Tensor]) -> list[Any]:
        """The variables (for their Keras layout) of `params`, which may be a subset."""
        if len(params) == len(self._params):
            return self._trainable_variables
        return [self._trainable_variables[self._index[id(p)]] for p in params]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config
