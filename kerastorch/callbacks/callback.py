"""`Callback`: the base class of the hooks `fit`, `evaluate` and `predict` call.

Example:
    >>> class PrintEpoch(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(f"epoch {epoch}: loss {logs['loss']:.3f}")
"""

from __future__ import annotations

from typing import Any


class Callback:
    """Base class for callbacks: override the `on_*` hooks you need.

    Attributes:
        model: the model being trained (set by `set_model`).
        params: `{"epochs", "steps", "verbose"}` of the running `fit` (set by `set_params`).

    `logs` passed to batch hooks are read lazily: the metric values are computed (and the
    device synchronised) only when a callback reads them, so a callback that ignores them
    costs nothing per step.
    """

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self._model: Any = None

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def set_model(self, model: Any) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        return self._model

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """A backwards-compatibility alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """A backwards-compatibility alias for `on_train_batch_end`."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of an epoch (training only)."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of an epoch, with the epoch's training and validation logs."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of `evaluate` (and of validation in `fit`)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of `evaluate` (and of validation in `fit`)."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of `predict`."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of `predict`; `logs["outputs"]` holds the batch's outputs."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `fit`."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called at the end of `fit`."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `evaluate` (and of validation in `fit`)."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """Called at the end of `evaluate` (and of validation in `fit`)."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `predict`."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called at the end of `predict`."""
