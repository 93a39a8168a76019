"""Checks of `fit` / `evaluate` / `predict`'s counting arguments, before any data is read.

A `batch_size` of 0, -5 or 2.5, `epochs=-1`, `initial_epoch` past `epochs`, or a
`steps_per_epoch` that is not a positive integer would otherwise train nothing, truncate
the data or fail later with an unrelated error; here each fails at once, naming the
argument, what it must be and what was received.

Keras returns a `History` with no epochs when `initial_epoch == epochs` (a finished run
being resumed) and when `epochs == 0`; so do we. `initial_epoch > epochs` (Keras is
silent) is refused: it usually means `epochs` was taken for a count of further epochs.

Example:
    >>> check_fit_arguments(batch_size=0)
    Traceback (most recent call last):
    ...
    ValueError: `batch_size` must be a positive integer or None. Received: batch_size=0
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

from kerastorch import config


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _received(name: str, value: Any) -> str:
    kind = "" if _is_int(value) else f" (of type {type(value).__name__})"
    return f"Received: {name}={value!r}{kind}"


def check_positive_int(name: str, value: Any) -> None:
    """Raise a ValueError unless `value` is None or an integer >= 1."""
    if value is None or (_is_int(value) and value >= 1):
        return
    raise ValueError(f"`{name}` must be a positive integer or None. {_received(name, value)}")


def check_fit_arguments(
    batch_size: Any = None,
    epochs: Any = 1,
    initial_epoch: Any = 0,
    steps_per_epoch: Any = None,
    validation_steps: Any = None,
    validation_batch_size: Any = None,
) -> None:
    """Raise a ValueError naming the first of `fit`'s counting arguments that is invalid."""
    for name, value in (
        ("batch_size", batch_size),
        ("steps_per_epoch", steps_per_epoch),
        ("validation_steps", validation_steps),
        ("validation_batch_size", validation_batch_size),
    ):
        check_positive_int(name, value)
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if not _is_int(value) or value < 0:
            raise ValueError(f"`{name}` must be a non-negative integer. {_received(name, value)}")
    if initial_epoch > epochs:
        raise ValueError(
            f"`initial_epoch` must not be greater than `epochs`. Received: "
            f"initial_epoch={initial_epoch}, epochs={epochs}. `epochs` is the index of the "
            "last epoch to train, not a number of epochs to train after `initial_epoch`."
        )


def check_loop_arguments(batch_size: Any = None, steps: Any = None) -> None:
    """Raise a ValueError if `evaluate`'s or `predict`'s `batch_size` or `steps` is invalid."""
    check_positive_int("batch_size", batch_size)
    check_positive_int("steps", steps)


def capped_epochs(epochs: int) -> int:
    """`epochs`, capped by `config.set_max_epochs()` (with Keras's warning)."""
    cap = config.max_epochs()
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=3)
        return cap
    return epochs


def capped_steps(steps: int | None) -> int | None:
    """`steps` (per epoch), capped by `config.set_max_steps_per_epoch()` (with Keras's
    warning); `None` (all the data) counts as more than any cap."""
    cap = config.max_steps_per_epoch()
    if cap and (not steps or cap < steps):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
        return cap
    return steps


__all__ = [
    "capped_epochs",
    "capped_steps",
    "check_fit_arguments",
    "check_loop_arguments",
    "check_positive_int",
]
