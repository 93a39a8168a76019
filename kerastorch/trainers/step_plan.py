"""The step plan: what every step of a `fit` / `evaluate` / `predict` needs to know about the
model, worked out once before the first step instead of at each one.

A step needs the names that targets and sample weights align with (one per flat output)
and the autocast dtype of the global mixed-precision policy. Both are fixed for the run:
the plan is made when a loop starts (`Trainer._prepare_device`, again once the model is
built) and read by the steps; a step called outside a loop (a custom loop calling
`train_step`) works them out itself.

Example:
    >>> import torch, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> plan = StepPlan(model, torch.device("cpu"))
    >>> plan.output_names, plan.autocast_dtype
    (['dense'], None)
"""

from __future__ import annotations

import contextlib
from typing import Any

import torch

from kerastorch import mixed_precision
from kerastorch.trainers.compile_utils import output_names_of

NO_AUTOCAST = contextlib.nullcontext()


def autocast_dtype() -> torch.dtype | None:
    """The dtype `torch.autocast` runs at under the global policy (None: no autocast).

    Example:
        >>> autocast_dtype() is None  # "float32": no autocast
        True
    """
    policy = mixed_precision.global_policy().name
    if not policy.startswith("mixed_"):
        return None
    return getattr(torch, policy.removeprefix("mixed_"))


class StepPlan:
    """The per-run facts of a model's steps (see the module docstring).

    Args:
        model: the model (built, or with one output named `"output"` until it is).
        device: the device the steps run on.
    """

    __slots__ = ("autocast_dtype", "built", "device", "output_names")

    def __init__(self, model: Any, device: torch.device):
        self.built = bool(model.built)  # the output names are final
        self.output_names = output_names_of(model)
        self.autocast_dtype = autocast_dtype()
        self.device = device

    def key(self) -> tuple[Any, ...]:
        """What the plan holds, to compare two plans."""
        return (self.output_names, self.autocast_dtype, self.device)

    def autocast(self) -> Any:
        """The context the forward pass and the loss run in."""
        if self.autocast_dtype is None:
            return NO_AUTOCAST
        return torch.autocast(self.device.type, dtype=self.autocast_dtype)


__all__ = ["NO_AUTOCAST", "StepPlan", "autocast_dtype"]
