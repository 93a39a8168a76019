"""The constructor arguments every optimizer shares: names, tf.keras aliases, value checks.

Example:
    >>> as_float(0.5), as_float(True), as_float("0.5")
    (0.5, None, None)
"""

from __future__ import annotations

import difflib
import inspect
import numbers
import os
import sys
import warnings
from typing import Any

import numpy as np
import torch

from kerastorch.common import naming
from kerastorch.optimizers import schedules
from kerastorch.variables import Variable

__all__ = [
    "as_float",
    "auto_name",
    "check_common_arguments",
    "init_argument_names",
    "is_learning_rate_function",
    "resolve_legacy_arguments",
    "user_stacklevel",
]

_HERE = os.path.dirname(os.path.abspath(__file__))


def auto_name(class_name: str) -> str:
    """A unique snake-case name for an optimizer of class `class_name` (`adam`, `adam_1`)."""
    return naming.uniquify(naming.to_snake_case(class_name))


def as_float(value: Any) -> float | None:
    """`value` as a float if it is a real number or a 0-d numeric tensor/array, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (torch.Tensor, np.ndarray)) and value.ndim == 0 and value.dtype != bool:
        return float(value)
    return None


def is_learning_rate_function(learning_rate: Any) -> bool:
    """Whether `learning_rate` is computed per step (a schedule or a no-argument callable)."""
    return isinstance(learning_rate, schedules.LearningRateSchedule) or (
        callable(learning_rate) and not isinstance(learning_rate, (torch.Tensor, Variable))
    )


def init_argument_names(cls: type) -> list[str]:
    """The keyword arguments `cls(...)` accepts, through its whole MRO (plus `lr`)."""
    names: set[str] = {"lr"}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        for p in inspect.signature(init).parameters.values():
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self":
                names.add(p.name)
    return sorted(names)


def user_stacklevel() -> int:
    """The `stacklevel` that points a warning at the first frame outside this package."""
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _HERE:
        frame, level = frame.f_back, level + 1
    return level


def resolve_legacy_arguments(cls: type, learning_rate: Any, kwargs: dict[str, Any]) -> Any:
    """Honour `lr=` and `decay=` as tf.keras did; reject anything else by name.

    Pops the legacy keys from `kwargs` and returns the learning rate to use.
    """
    if "lr" in kwargs:
        warnings.warn(
            f"{cls.__name__}: the `lr` argument is deprecated (Keras 3 rejects it); "
            "use `learning_rate` instead.",
            DeprecationWarning,
            stacklevel=user_stacklevel(),
        )
        learning_rate = kwargs.pop("lr")
    if kwargs.pop("decay", None) is not None:
        warnings.warn(
            "Argument `decay` is no longer supported and will be ignored.",
            stacklevel=user_stacklevel(),
        )
    if kwargs:
        allowed = init_argument_names(cls)
        key = sorted(kwargs)[0]
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise TypeError(
            f"{cls.__name__}() got an unexpected keyword argument '{key}'.{hint} "
            f"Accepted arguments: {sorted(allowed)}"
        )
    return learning_rate


def check_common_arguments(
    clipnorm: float | None,
    clipvalue: float | None,
    global_clipnorm: float | None,
    use_ema: bool,
    ema_momentum: float,
    ema_overwrite_frequency: int | None,
    gradient_accumulation_steps: int | None,
) -> None:
    """Raise Keras's `ValueError` for an invalid combination of the shared arguments."""
    if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
        raise ValueError(
            "`gradient_accumulation_steps` must be an integer >= 2. Received: "
            f"gradient_accumulation_steps={gradient_accumulation_steps}"
        )
    if use_ema:
        if ema_momentum > 1 or ema_momentum < 0:
            raise ValueError(
                f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
            )
        if ema_overwrite_frequency and (
            not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
        ):
            raise ValueError(
                "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                f"ema_overwrite_frequency={ema_overwrite_frequency}"
            )
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
            f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
            f"global_clipnorm={global_clipnorm}"
        )
