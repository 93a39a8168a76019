"""`ReduceLROnPlateau`: divide the learning rate when a monitored quantity stops improving.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    >>> reduce = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0,
    ...                                            min_delta=10.0)
    >>> history = model.fit(np.ones((4, 2)), np.ones(4), epochs=3, callbacks=[reduce],
    ...                     verbose=0)
    >>> [round(lr, 6) for lr in history.history["learning_rate"]]  # the rate each epoch ran at
    [0.1, 0.1, 0.05]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from kerastorch.callbacks.learning_rate_scheduler import current_learning_rate
from kerastorch.callbacks.monitor import MonitorCallback
from kerastorch.common.progbar import print_msg


class ReduceLROnPlateau(MonitorCallback):
    """Multiply the learning rate by `factor` after `patience` epochs without improvement.

    Args:
        monitor: the logged quantity to watch. Defaults to `"val_loss"`.
        factor: the multiplier, `< 1` (`new_lr = lr * factor`).
        patience: epochs without improvement before reducing.
        verbose: `1` prints a line when reducing.
        mode: `"auto"`, `"min"` or `"max"`.
        min_delta: an improvement must exceed this margin. Defaults to `1e-4`.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.

    Each epoch's logs also receive the current `learning_rate` (before any reduction).
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs: Any,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            for opt in inner:
                logs[f"learning_rate_{opt.name}"] = current_learning_rate(opt)
        else:
            logs["learning_rate"] = current_learning_rate(optimizer)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is "
                f"not available. Available metrics are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                targets = [(opt, opt.name) for opt in inner] if inner else [(optimizer, "")]
                reduced = [self._reduce_optimizer_lr(opt, epoch, name) for opt, name in targets]
                if any(reduced):
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def _reduce_optimizer_lr(self, optimizer: Any, epoch: int, name: str = "") -> bool:
        old_lr = current_learning_rate(optimizer)
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            name_str = f" {name}" if name else ""
            print_msg(
                f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{name_str} learning rate to "
                f"{new_lr}."
            )
        return True
