"""What "better" means for a monitored quantity: shared by EarlyStopping, ModelCheckpoint and
ReduceLROnPlateau (Keras's `MonitorCallback`).

- `check_mode` warns about an unknown mode and falls back to `"auto"`, as Keras does;
- `resolve_mode` turns `"auto"` into `"min"` or `"max"` from the monitored name: losses are
  minimised, a compiled metric follows its direction (accuracy up, errors down), anything
  else is an error asking for an explicit mode;
- `is_better` compares in float32, as Keras's `ops.less` / `ops.greater` do on Python floats
  (so two values equal in float32 are never an improvement).

Example:
    >>> resolve_mode("val_loss", "auto")
    'min'
    >>> is_better(0.5, 0.6, "min", min_delta=0.05), is_better(0.58, 0.6, "min", min_delta=0.05)
    (True, False)
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np

from kerastorch.callbacks.callback import Callback

_MODES = ("auto", "min", "max")


def check_mode(owner: str, mode: Any, stacklevel: int = 3) -> str:
    """`mode` if it is one of `"auto"`, `"min"`, `"max"`; otherwise warn and return `"auto"`."""
    if mode not in _MODES:
        warnings.warn(
            f"{owner} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=stacklevel
        )
        return "auto"
    return mode


def _compiled_metrics(model: Any) -> list[Any]:
    """The metrics given to `compile`: in `model.metrics`, Keras groups them in one entry
    named `compile_metrics`, whose `metrics` lists them."""
    found: list[Any] = []
    for metric in getattr(model, "metrics", None) or []:
        if metric.name == "compile_metrics":
            found.extend(metric.metrics)
    return found


def resolve_mode(
    monitor: str, mode: str, model: Any = None, owner: str = "Callback"
) -> Literal["min", "max"]:
    """The direction of improvement of `monitor`: `mode` itself, or inferred when `"auto"`.

    In `"auto"` mode `loss` and `val_loss` are minimised; a compiled metric of `model` with
    that name (after removing `val_`) follows its `_direction` (`"up"` -> `"max"`). Like
    Keras, other names (per-output losses such as `dense_loss` included) need a `mode`.

    Raises:
        ValueError: in `"auto"` mode, when the direction cannot be inferred (Keras's message).
    """
    if mode in ("min", "max"):
        return mode
    name = monitor.removeprefix("val_")
    resolved: str | None = "min" if name == "loss" else None
    if model is not None and hasattr(model, "metrics"):
        for metric in _compiled_metrics(model):
            if metric.name == name and hasattr(metric, "_direction"):
                resolved = "max" if metric._direction == "up" else "min"
    if resolved is None:
        raise ValueError(
            f"{owner} callback received monitor={monitor}, but Keras isn't able to "
            "automatically determine whether that metric should be maximized or minimized. "
            "Pass `mode='max'` in order to monitor based on the highest metric value, or pass "
            "`mode='min'` in order to use the lowest value."
        )
    return resolved  # type: ignore[return-value]


def is_better(current: Any, reference: Any, mode: str, min_delta: float = 0.0) -> bool:
    """Whether `current` improves on `reference` by more than `min_delta` (`None`: always).

    The subtraction is done on the Python values and the comparison in float32, as Keras.
    """
    if reference is None:
        return True
    if mode == "min":
        return bool(np.float32(current + abs(min_delta)) < np.float32(reference))
    return bool(np.float32(current - abs(min_delta)) > np.float32(reference))


class MonitorCallback(Callback):
    """Base of the callbacks that watch one logged quantity (Keras's `MonitorCallback`).

    Args:
        monitor: the logged quantity (`"val_loss"`).
        mode: `"auto"`, `"min"` or `"max"`; anything else warns and means `"auto"`.
        baseline: the initial best value (`None`: the first value seen).
        min_delta: an improvement must exceed this (absolute) margin.

    The direction is resolved at the first `on_epoch_end` (the model's metrics are built
    by then), so an undeterminable name raises there, as in Keras.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        baseline: float | None = None,
        min_delta: float = 0.0,
    ):
        super().__init__()
        self.monitor = monitor
        self.mode = check_mode(type(self).__name__, mode, stacklevel=4)
        self.best = baseline
        self.min_delta = abs(min_delta)
        self._direction: str | None = None

    @property
    def monitor_op(self) -> Any:
        """`np.less` or `np.greater` once the direction is known, else `None`."""
        if self._direction is None:
            return None
        return np.less if self._direction == "min" else np.greater

    def _set_monitor_op(self) -> None:
        self._direction = resolve_mode(self.monitor, self.mode, self.model, type(self).__name__)

    def _is_improvement(self, current: Any, reference: Any) -> bool:
        if self._direction is None:
            self._set_monitor_op()
        return is_better(current, reference, self._direction, self.min_delta)
