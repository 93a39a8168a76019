"""`Muon`: momentum orthogonalized by Newton-Schulz iterations for matrices, AdamW for the
rest (Jordan et al.; Liu et al., 2025), as Keras 3 computes it.

Example:
    >>> import torch
    >>> kernel, bias = torch.nn.Parameter(torch.ones(3, 2)), torch.nn.Parameter(torch.ones(2))
    >>> opt = Muon()
    >>> opt.build([kernel, bias])
    >>> [v.name for v in opt.variables[2:]]  # Adam's velocity only for the non-matrix
    ['variable_momentum', 'variable_1_momentum', 'variable_1_velocity']
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import torch

from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.tensor_utils import powers, scalar, sqrt

__all__ = ["Muon"]

Tensor = torch.Tensor


def _keras_view(x: Tensor, reference: Any) -> Tensor:
    """`x` (torch layout) seen in `reference`'s Keras layout (a view: writes go through)."""
    to_keras = getattr(reference, "_to_keras", None)
    return x if to_keras is None else to_keras(x)


class Muon(Optimizer):
    """Muon for 2-D variables, AdamW for the others.

    AdamW (Keras's epsilon-hat Adam, learning rate `learning_rate * adam_lr_ratio`, decay
    `adam_weight_decay`) updates every variable that is not 2-D, whose path contains
    "embedding" (with `exclude_embeddings`), or whose path matches one of the regular
    expressions in `exclude_layers`. The others take the Muon step with decay
    `weight_decay`: `m = momentum * m + g`; `u = g + momentum * m` (Nesterov) or `m`;
    `u` is orthogonalized by `ns_steps` quintic Newton-Schulz iterations
    (`muon_a, muon_b, muon_c`) and `w -= lr * u * sqrt(max(rows, cols)) * rms_rate`
    (without the last two factors when `rms_rate` is None). Shapes and paths are the
    variables' Keras ones (a Dense kernel is `(in, out)`).

    Args:
        learning_rate: float or schedule (`0.001`).
        adam_beta_1: AdamW's first-moment decay (`0.9`).
        adam_beta_2: AdamW's second-moment decay (`0.999`).
        adam_weight_decay: decoupled decay of the AdamW variables (`0.004`).
        epsilon: AdamW's epsilon (`1e-7`).
        weight_decay: decoupled decay of the Muon variables (`0.004`).
        exclude_layers: regular expressions of variable paths that use AdamW.
        exclude_embeddings: use AdamW for embeddings (`True`).
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients (`3.4445, -4.7750, 2.0315`).
        adam_lr_ratio: AdamW's learning rate over the main one (`1`).
        momentum: Muon's momentum (`0.95`).
        ns_steps: Newton-Schulz iterations (`5`).
        nesterov: Nesterov-style momentum (`True`).
        rms_rate: the update-RMS matching factor of Liu et al. (`0.2`); None disables it.
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        adam_beta_1: float = 0.9,
        adam_beta_2: float = 0.999,
        adam_weight_decay: float | None = 0.004,
        epsilon: float = 1e-7,
        weight_decay: float | None = 0.004,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        exclude_layers: list[str] | None = None,
        exclude_embeddings: bool = True,
        muon_a: float = 3.4445,
        muon_b: float = -4.7750,
        muon_c: float = 2.0315,
        adam_lr_ratio: float = 1,
        momentum: float = 0.95,
        ns_steps: int = 5,
        nesterov: bool = True,
        rms_rate: float | None = 0.2,
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
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _path(self, i: int) -> str:
        variable = self._trainable_variables[i]
        return getattr(variable, "path", None) or ("variable" if i == 0 else f"variable_{i}")

    def _should_use_adamw(self, i: int) -> bool:
        if _keras_view(self._params[i], self._trainable_variables[i]).ndim != 2:
            return True
        path = self._path(i)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, variables: Sequence[Any]) -> None:
        """Create, per variable in Keras's order: momentum, then velocity (AdamW ones only)."""
        if self.built:
            return
        super().build(variables)
        momentums, velocities = [], []
        self._use_adamw = []
        for i, variable in enumerate(self._trainable_variables):
            momentums.append(self._add_slot(i, variable, "momentum", 0.0))
            adamw = self._should_use_adamw(i)
            self._use_adamw.append(adamw)
            if adamw:
                velocities.append(self._add_slot(i, variable, "velocity", 0.0))
        self._slots = {"momentum": momentums, "velocity": velocities}
        self._slot_tensors = {"momentum": [v.tensor for v in momentums]}
        by_index = iter(v.tensor for v in velocities)
        self._velocity_of = [next(by_index) if a else None for a in self._use_adamw]

    def _apply_weight_decay(self, indices: list[int] | None, lr: Tensor) -> None:
        """Decay AdamW variables by `adam_weight_decay`, Muon ones by `weight_decay`."""
        for i in range(len(self._params)) if indices is None else indices:
            decay = self.adam_weight_decay if self._use_adamw[i] else self.weight_decay
            if decay is None or not self._decay_mask[i]:
                continue
            param = self._params[i]
            param.copy_(param - param * decay * lr)

    def _update_step(
        self, params: list[Tensor], grads: list[Tensor], lr: Tensor, slots: dict[str, list[Tensor]]
    ) -> None:
        adam: list[tuple[Tensor, Tensor, Tensor, Tensor]] = []
        for param, grad, m in zip(params, grads, slots["momentum"], strict=True):
            i = self._index[id(param)]
            if self._use_adamw[i]:
                adam.append((param, grad, m, self._velocity_of[i]))
            else:
                reference = self._trainable_variables[i]
                self._muon_update(
                    _keras_view(param, reference),
                    _keras_view(grad, reference),
                    _keras_view(m, reference),
                    lr,
                )
        if adam:
            self._adamw_update(*map(list, zip(*adam, strict=True)), lr * self.adam_lr_ratio)

    def _adamw_update(
        self,
        params: list[Tensor],
        grads: list[Tensor],
        ms: list[Tensor],
        vs: list[Tensor],
        lr: Tensor,
    ) -> None:
        beta_1_power, beta_2_power = powers(self._local_step(), self.adam_beta_1, self.adam_beta_2)
        alpha = lr * scalar(sqrt(1 - beta_2_power)) / scalar(1 - beta_1_power)
        deltas = torch._foreach_sub(grads, ms)
        torch._foreach_add_(ms, torch._foreach_mul(deltas, 1 - self.adam_beta_1))
        deltas = torch._foreach_sub(torch._foreach_mul(grads, grads), vs)
        torch._foreach_add_(vs, torch._foreach_mul(deltas, 1 - self.adam_beta_2))
        denominators = torch._foreach_sqrt(vs)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_sub_(params, torch._foreach_div(torch._foreach_mul(ms, alpha), denominators))

    def _muon_update(self, w: Tensor, g: Tensor, m: Tensor, lr: Tensor) -> None:
        m.add_(g + m * (self.momentum - 1))
        update = self.zeropower_via_newtonschulz5(g + self.momentum * m if self.nesterov else m)
        update = lr * update
        if self.rms_rate is not None:
            update = update * math.sqrt(max(update.shape[0], update.shape[1])) * self.rms_rate
        w.sub_(update)

    def zeropower_via_newtonschulz5(self, x: Tensor, steps: int | None = None) -> Tensor:
        """The Newton-Schulz approximation of `U V^T` (from `x = U S V^T`), as Keras's."""
        steps = self.ns_steps if steps is None else steps
        if x.ndim < 2:
            raise ValueError(
                "Expected gradient or momentum to have at least 2 dimensions. "
                f"Received: shape={tuple(x.shape)}"
            )
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = x.transpose(-2, -1)
        x = x / (torch.linalg.matrix_norm(x, keepdim=True) + 1e-7)
        for _ in range(steps):
            gram = x @ x.transpose(-2, -1)
            x = a * x + (b * gram + (c * gram) @ gram) @ x
        return x.transpose(-2, -1) if tall else x

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            {
                "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers,
                "muon_a": self.muon_a,
                "muon_b": self.muon_b,
                "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum,
                "ns_steps": self.ns_steps,
                "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate,
            }
        )
        return config
