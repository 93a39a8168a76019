"""`EarlyStopping`: stop `fit` when a monitored quantity has stopped improving.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
    >>> model.compile(keras.optimizers.SGD(), loss="mse")
    >>> callback = keras.callbacks.EarlyStopping(monitor="loss", patience=3)
    >>> history = model.fit(np.arange(100.0).reshape(5, 20), np.zeros(5), epochs=10,
    ...                     batch_size=1, callbacks=[callback], verbose=0)
    >>> len(history.history["loss"])  # the loss diverges: 4 epochs are run
    4
"""

from __future__ import annotations

import warnings
from typing import Any

from kerastorch.callbacks.monitor import MonitorCallback
from kerastorch.common.progbar import print_msg


class EarlyStopping(MonitorCallback):
    """Stop training when `monitor` has not improved for `patience` epochs.

    Args:
        monitor: the logged quantity to watch. Defaults to `"val_loss"`.
        min_delta: a change smaller than this (absolute) margin is no improvement.
        patience: epochs without improvement after which training stops.
        verbose: `1` prints a message when stopping or restoring weights.
        mode: `"auto"` (inferred from the name), `"min"` or `"max"`.
        baseline: training stops if the quantity does not beat this value within
            `patience` epochs.
        restore_best_weights: at the end of training, restore the weights of the best epoch
            (even if that epoch did not beat `baseline`).
        start_from_epoch: epochs to wait before monitoring starts (warm-up).

    As in Keras, the counter counts every monitored epoch and training never stops after the
    first epoch; a monitored key absent from the logs warns and the epoch is skipped.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights: list[Any] | None = None
        self.best_epoch = 0
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs: dict | None = None) -> None:
        # Reset here so that one instance serves several `fit` calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()  # the model's metrics are built by now
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # Restart the count only when both the baseline and the previous best are beaten.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    f"Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: dict | None) -> Any:
        """`logs[monitor]`, or `None` with a warning naming the available keys."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=2,
            )
        return value
