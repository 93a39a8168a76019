"""`SwapEMAWeights`: evaluate (and optionally checkpoint) with the optimizer's EMA weights.

Example:
    >>> import numpy as np, kerastorch as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer=keras.optimizers.SGD(use_ema=True), loss="mse")
    >>> history = model.fit(np.ones((8, 2)), np.ones(8), validation_split=0.25, epochs=2,
    ...                     callbacks=[keras.callbacks.SwapEMAWeights()], verbose=0)
    >>> sorted(history.history)
    ['loss', 'val_loss']
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swap the model's weights with the optimizer's moving averages around evaluation.

    Use it with an optimizer created with `use_ema=True`: validation (in `fit`),
    `evaluate` and `predict` then run on the EMA weights, and the training weights are put
    back afterwards. The swap is done in place, on the device.

    Args:
        swap_on_epoch: also swap at the end of each epoch (and back at the start of the
            next), so that callbacks placed after this one (e.g. `ModelCheckpoint`) see the
            EMA weights.
    """

    def __init__(self, swap_on_epoch: bool = False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self) -> list[Any]:
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        inner = getattr(optimizer, "optimizers", None)
        if inner is None:
            if not getattr(optimizer, "use_ema", False) or not optimizer.built:
                raise ValueError(
                    "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                    f"Received: use_ema={getattr(optimizer, 'use_ema', False)}"
                )
            return [optimizer]
        found = [opt for opt in inner if getattr(opt, "use_ema", False)]
        if not found:
            raise ValueError(
                "SwapEMAWeights must be used when at least one inner optimizer has "
                "`use_ema=True` set. Received a MultiOptimizer with all inner optimizers "
                "having `use_ema=False`."
            )
        return found

    def _swap_variables(self) -> None:
        for optimizer in self._ema_optimizers():
            optimizer.swap_ema_weights()

    @torch.no_grad()
    def _finalize_ema_values(self) -> None:
        """Copy the (swapped-in) EMA weights back into the averages, for `fit`'s finalize."""
        for optimizer in self._ema_optimizers():
            averages = optimizer._model_variables_moving_average
            for param, average in zip(optimizer._params, averages, strict=True):
                average.tensor.copy_(param)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            # `fit` ends by writing the averages into the weights: keep them the EMA values.
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs: dict | None = None) -> None:
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs: dict | None = None) -> None:
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs: dict | None = None) -> None:
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs: dict | None = None) -> None:
        if self._ema_weights_in_model:  # Keras tests `not ...` here and keeps the EMA weights
            self._swap_variables()
            self._ema_weights_in_model = False
