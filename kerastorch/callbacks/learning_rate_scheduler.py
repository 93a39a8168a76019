"""`LearningRateScheduler`: set the learning rate at the start of each epoch from a function.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> def schedule(epoch, lr):
    ...     return lr if epoch < 1 else lr * 0.5
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    >>> history = model.fit(np.ones((4, 2)), np.ones(4), epochs=3, verbose=0,
    ...                     callbacks=[keras.callbacks.LearningRateScheduler(schedule)])
    >>> [round(lr, 6) for lr in history.history["learning_rate"]]
    [0.1, 0.05, 0.025]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from kerastorch.callbacks.callback import Callback
from kerastorch.common.progbar import print_msg


def current_learning_rate(optimizer: Any) -> float:
    """The optimizer's learning rate as a Python float (a Variable, tensor or number)."""
    value = optimizer.learning_rate
    if isinstance(value, torch.Tensor):
        return float(value.detach().cpu().item())
    if hasattr(value, "numpy"):
        return float(value.numpy())
    return float(value)


class LearningRateScheduler(Callback):
    """Set `optimizer.learning_rate = schedule(epoch, lr)` at the start of each epoch.

    Args:
        schedule: a function of `(epoch, lr)` (0-based epoch, current learning rate) or,
            for backwards compatibility, of `epoch` alone; it must return a float.
        verbose: `1` prints the new learning rate each epoch.

    Each epoch's logs receive `learning_rate`.
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer: Any, epoch: int) -> float:
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, current_learning_rate(optimizer))
        except TypeError:  # the old API: schedule(epoch)
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {learning_rate}"
            )
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        optimizer = self.model.optimizer
        inner = getattr(optimizer, "optimizers", None)
        for opt in inner if inner is not None else [optimizer]:
            learning_rate = self._update_optimizer_lr(opt, epoch)
            if self.verbose > 0:
                which = f"{opt.name} " if inner is not None else ""
                print_msg(
                    f"\nEpoch {epoch + 1}: LearningRateScheduler setting {which}learning rate "
                    f"to {learning_rate}."
                )

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            for opt in inner:
                logs[f"learning_rate_{opt.name}"] = current_learning_rate(opt)
        else:
            logs["learning_rate"] = current_learning_rate(optimizer)
