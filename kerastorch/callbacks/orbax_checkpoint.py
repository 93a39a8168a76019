"""`OrbaxCheckpoint`: Keras's asynchronous, step-numbered checkpoints, written with
`torch.distributed.checkpoint` (DCP) instead of JAX's Orbax.

Keras's callback saves the model state through Orbax into `<directory>/<step>/`, in the
background, keeping the `max_to_keep` latest steps. Orbax is JAX's library and has no torch
role, so here each step directory holds a DCP checkpoint of `{"model": model.state_dict(),
"optimizer": <optimizer state>}` (the layout of
`kerastorch.distribution.checkpoint.save_sharded`: every process writes its own shards of a
sharded model, nothing is gathered) and, unless `save_weights_only=True`, the model's config
as `model_config.json`. The files are not Orbax's: Keras on JAX cannot read them, nor can
this callback read Orbax's.

A step is written under `<step>.orbax-checkpoint-tmp` and renamed into place when complete,
so an interrupted save never leaves a partial step directory; a step that exists already is
replaced. The step is the epoch index (`save_freq="epoch"`) or the number of batches seen
(an integer `save_freq`).

Restore the latest step with `kerastorch.distribution.checkpoint.load_sharded(model,
OrbaxCheckpoint.latest_checkpoint(directory))` (the model built, and compiled and trained
for a step to restore the optimizer state too).

Example:
    >>> import os, tempfile, numpy as np, kerastorch as keras
    >>> folder = tempfile.mkdtemp()
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> checkpoint = keras.callbacks.OrbaxCheckpoint(folder, max_to_keep=2)
    >>> _ = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=3, callbacks=[checkpoint],
    ...               verbose=0)
    >>> sorted(os.listdir(folder))
    ['1', '2']
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import warnings
from typing import Any

import torch
import torch.distributed as dist

from kerastorch.callbacks.monitor import MonitorCallback
from kerastorch.common import serialization

_TMP_SUFFIX = ".orbax-checkpoint-tmp"
CONFIG_FILENAME = "model_config.json"


def _multiprocess() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def _snapshot(value: Any) -> Any:
    """A copy of a (nested) state dict whose tensors later training steps cannot change."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return {key: _snapshot(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(item) for item in value)
    return value


class OrbaxCheckpoint(MonitorCallback):
    """Save the model state every epoch or every `save_freq` batches, in step directories.

    Keras's `OrbaxCheckpoint` on torch: the same arguments and decisions, DCP checkpoints
    instead of Orbax's (see the module docstring for the layout and restoring).

    Args:
        directory: path to the directory where to save the checkpoints.
        monitor: The metric name to monitor (e.g., 'val_loss').
        verbose: Verbosity mode, 0 or 1 (kept for Keras's signature; nothing is printed,
            as in Keras).
        save_best_only: if `save_best_only=True`, it only saves when the model is
            considered the "best" based on the monitored quantity.
        mode: one of {'auto', 'min', 'max'}. Used with `save_best_only`.
        save_freq: `'epoch'` or integer. Frequency to save checkpoints.
        initial_value_threshold: Floating point initial "best" value for the monitor, used
            with `save_best_only`.
        max_to_keep: Integer, maximum number of recent checkpoints to keep. If None, keeps
            all. Defaults to 1.
        save_on_background: Boolean, whether to save asynchronously in the background (the
            state is copied first, then written by a background thread). Defaults to True.
            Runs of several processes save synchronously (DCP's collectives must not
            overlap the training step's).
        save_weights_only: save only the model's variables: no optimizer state, no config.

    Raises:
        ValueError: for a `save_freq` that is neither `'epoch'` nor an integer.
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
        max_to_keep: int | None = 1,
        save_on_background: bool = True,
        save_weights_only: bool = False,
    ):
        super().__init__(monitor, mode, initial_value_threshold)
        self.directory = os.fspath(directory)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_freq = save_freq
        self.max_to_keep = max_to_keep
        self.save_on_background = save_on_background
        self.save_weights_only = save_weights_only
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen: int | None = None
        self._total_batches_seen = 0
        self._async_futures: list[concurrent.futures.Future] = []
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._multihost_initialized = _multiprocess()
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq}. Expected save_freq are 'epoch' or "
                "integer values"
            )

    # -- Keras's public helpers ------------------------------------------------------------
    def is_multihost_enabled(self) -> bool:
        """Whether the run has several processes (`torch.distributed`, world size > 1)."""
        return self._multihost_initialized

    def is_primary_host(self) -> bool:
        """Whether this process writes the shared files (rank 0; True in one process)."""
        return not self._multihost_initialized or dist.get_rank() == 0

    def wait_until_finished(self) -> None:
        """Block until every background save has been written (re-raising its error)."""
        futures, self._async_futures = self._async_futures, []
        for future in futures:
            future.result()

    @staticmethod
    def latest_checkpoint(directory: str | os.PathLike) -> str | None:
        """The newest step directory in `directory` (`None` when there is none)."""
        steps = _steps(os.fspath(directory))
        return os.path.join(os.fspath(directory), str(steps[-1])) if steps else None

    # -- hooks -----------------------------------------------------------------------------
    def set_model(self, model: Any) -> None:
        super().set_model(model)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None:  # a reloaded model: its batches count on
            self._total_batches_seen = int(optimizer.iterations)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._should_save_on_batch(batch) and self._passes_best(logs, f"batch {batch}"):
            self._save_checkpoint(self._total_batches_seen)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch" and self._passes_best(logs, f"epoch {epoch}"):
            self._save_checkpoint(epoch)

    def on_train_end(self, logs: dict | None = None) -> None:
        try:
            self.wait_until_finished()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None

    # -- decisions -------------------------------------------------------------------------
    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        self._total_batches_seen += added
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _passes_best(self, logs: dict | None, when: str) -> bool:
        if not self.save_best_only:
            return True
        current = logs.get(self.monitor) if logs else None
        if current is None:
            warnings.warn(
                f"Can save best model only with {self.monitor} available, skipping save at {when}.",
                stacklevel=3,
            )
            return False
        current = float(current)
        if not self._is_improvement(current, self.best):
            return False
        self.best = current
        return True

    # -- writing ---------------------------------------------------------------------------
    def _state(self) -> dict[str, Any]:
        state = {"model": self.model.state_dict()}
        optimizer = getattr(self.model, "optimizer", None)
        if not self.save_weights_only and getattr(optimizer, "built", False):
            state["optimizer"] = optimizer._state.state_dict()
        return state

    def _save_checkpoint(self, step: int) -> None:
        config = None
        if not self.save_weights_only:
            with serialization.ObjectSharingScope():
                config = json.dumps(serialization.serialize_keras_object(self.model))
        if self._multihost_initialized or not self.save_on_background:
            self._write(step, self._state(), config)
            return
        state = _snapshot(self._state())  # copied now: training goes on meanwhile
        if self._executor is None:  # one writer: steps land in order
            self._executor = concurrent.futures.ThreadPoolExecutor(1, "orbax_checkpoint")
        self._async_futures.append(self._executor.submit(self._write, step, state, config))

    def _write(self, step: int, state: dict[str, Any], config: str | None) -> None:
        import torch.distributed.checkpoint as dcp  # 0.8 s: imported when a step is saved

        final = os.path.join(self.directory, str(step))
        tmp = final + _TMP_SUFFIX
        primary = self.is_primary_host()
        if primary:
            shutil.rmtree(tmp, ignore_errors=True)  # left by an interrupted save
            os.makedirs(tmp)
        self._barrier()
        try:
            with warnings.catch_warnings():  # DCP warns that one process is one: it is meant
                warnings.filterwarnings("ignore", "torch.distributed is disabled", UserWarning)
                dcp.save(state, checkpoint_id=tmp, no_dist=not self._multihost_initialized)
            if primary and config is not None:
                with open(os.path.join(tmp, CONFIG_FILENAME), "w") as f:
                    f.write(config)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)  # the previous steps stay as they were
            raise
        if primary:
            if os.path.isdir(final):
                shutil.rmtree(final)
            os.replace(tmp, final)
            self._prune()
        self._barrier()

    def _prune(self) -> None:
        if self.max_to_keep is None:
            return
        for step in _steps(self.directory)[: -self.max_to_keep or None]:
            shutil.rmtree(os.path.join(self.directory, str(step)), ignore_errors=True)

    def _barrier(self) -> None:
        if self._multihost_initialized:
            dist.barrier()


def _steps(directory: str) -> list[int]:
    """The step numbers of the complete step directories in `directory`, ascending."""
    if not os.path.isdir(directory):
        return []
    names = os.listdir(directory)
    return sorted(
        int(n) for n in names if n.isdigit() and os.path.isdir(os.path.join(directory, n))
    )
