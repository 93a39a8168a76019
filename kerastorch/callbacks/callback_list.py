"""`CallbackList`: calls each hook on every callback, in order, as Keras's does.

Every hook receives a `logs` dict, as in Keras: `{}` where there is nothing to log (the
begin hooks, `on_predict_end`); batch hooks receive it by keyword (`logs=`).

Batch hooks are only dispatched to callbacks that override them, so an idle callback costs
no Python call per step.

In a distributed run (a `torch.distributed` process group), only rank 0 prints and writes
files: on the other ranks the progress bar, TensorBoard, CSVLogger, ModelCheckpoint and
RemoteMonitor are left out, and BackupAndRestore only restores (at `on_train_begin`). A model
with sharded weights keeps ModelCheckpoint on every rank, silent, and BackupAndRestore's
backups: each save gathers the shards from every rank, and rank 0 writes.
The other callbacks run on every rank (the epoch's logs are the same on all of them).

Example:
    >>> from kerastorch.callbacks import Callback, CallbackList
    >>> callbacks = CallbackList([Callback()], add_history=True)
    >>> [type(c).__name__ for c in callbacks.callbacks]
    ['Callback', 'History']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch.distributed as dist

from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.history import History
from kerastorch.callbacks.progbar_logger import ProgbarLogger

_BATCH_HOOKS = (
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)


def _overrides(callback: Callback, hook: str) -> bool:
    if hook.startswith("on_train_batch") and _overrides(callback, hook.replace("train_", "")):
        return True
    if hook in vars(callback):  # a hook set on the instance (e.g. by LambdaCallback)
        return True
    return getattr(type(callback), hook, None) is not getattr(Callback, hook)


# Callbacks that print or write files: run on rank 0 only (matched by class name, with the
# classes they derive from, so that subclasses follow).
_RANK_ZERO_ONLY = {"ProgbarLogger", "TensorBoard", "CSVLogger", "ModelCheckpoint", "RemoteMonitor"}


def _rank() -> int:
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


class _RestoreOnly(Callback):
    """A `BackupAndRestore` on a rank other than 0: restores the backup, never writes."""

    def __init__(self, callback: Callback):
        super().__init__()
        self.callback = callback

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        self.callback.set_model(model)

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        self.callback.set_params(params)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.callback.on_train_begin(logs)


class _GatherOnly(_RestoreOnly):
    """A `BackupAndRestore` on a rank other than 0 of a sharded model: restores, and joins
    each backup's gather of the shards (rank 0 writes the file)."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.callback.save_freq == "epoch":
            self.model.save_weights(self.callback._weights_path)  # gathers; writes nothing

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        if self.callback._should_save_on_batch(batch):
            self.model.save_weights(self.callback._weights_path)


def _is_sharded(model: Any) -> bool:
    """Weights held as DTensor shards (`ModelParallel`, `DataParallel(shard_weights=True)`)."""
    if "_kerastorch_gathered_for_inference" in vars(model):  # FSDP, full between steps
        return True
    parameters = model.parameters() if hasattr(model, "parameters") else ()
    return any(hasattr(p, "device_mesh") for p in parameters)


def _on_this_rank(callbacks: list[Callback], sharded: bool) -> list[Callback]:
    """`callbacks` as they run on a rank other than 0 (see the module docstring)."""
    kept = []
    for callback in callbacks:
        names = {cls.__name__ for cls in type(callback).__mro__}
        if "BackupAndRestore" in names:
            kept.append(_GatherOnly(callback) if sharded else _RestoreOnly(callback))
        elif sharded and "ModelCheckpoint" in names:
            callback.verbose = 0  # saves with rank 0 (every rank gathers), prints nothing
            kept.append(callback)
        elif not names & _RANK_ZERO_ONLY:
            kept.append(callback)
    return kept


class CallbackList(Callback):
    """A container of callbacks, itself a callback.

    Args:
        callbacks: the user's callbacks.
        add_history: append a `History` (unless one is given).
        add_progbar: insert a `ProgbarLogger` first (unless one is given).
        model: the model, given to every callback.
        **params: `epochs`, `steps`, `verbose`, given to every callback.
    """

    def __init__(
        self,
        callbacks: list[Callback] | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ):
        super().__init__()
        self.callbacks = list(callbacks or [])
        if isinstance(callbacks, Callback):
            self.callbacks = [callbacks]
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"Expected `keras.callbacks.Callback` instances in `callbacks`, received "
                    f"{callback!r} (of type {type(callback).__name__})."
                )
        if _rank() != 0:
            sharded = model is not None and _is_sharded(model)
            self.callbacks, add_progbar = _on_this_rank(self.callbacks, sharded), False
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        self._batch_listeners = {
            hook: [c for c in self.callbacks if _overrides(c, hook)] for hook in _BATCH_HOOKS
        }
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback: Callback) -> None:
        self.callbacks.append(callback)
        for hook in _BATCH_HOOKS:
            if _overrides(callback, hook):
                self._batch_listeners[hook].append(callback)

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)
            if isinstance(callback, History) and model is not None:
                model.history = callback  # as Keras: `fit` returns it even with no epoch run

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    def needs_batch_logs(self, hook: str) -> bool:
        """Whether any callback listens to this batch hook."""
        return bool(self._batch_listeners[hook])

    def batch_hook(self, hook: str) -> Callable[..., None] | None:
        """The bound batch hook, or `None` when calling it would do nothing (no callback
        overrides it, nor does a subclass of `CallbackList`): the loops then skip the call.

        Example:
            >>> CallbackList([Callback()]).batch_hook("on_train_batch_end") is None
            True
        """
        if self._batch_listeners[hook] or getattr(type(self), hook) is not getattr(
            CallbackList, hook
        ):
            return getattr(self, hook)
        return None

    def _call(self, hook: str, *args: Any) -> None:
        # As Keras: every hook receives a dict (`{}` where there are no logs), positionally.
        *args, logs = args
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs)

    def _call_batch(self, hook: str, batch: int, logs: Any) -> None:
        # As Keras: `logs` by keyword, `{}` at the begin hooks.
        listeners = self._batch_listeners[hook]
        if listeners:
            logs = {} if logs is None else logs
            for callback in listeners:
                getattr(callback, hook)(batch, logs=logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._call("on_train_end", logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._call("on_test_begin", logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._call("on_predict_end", logs)
