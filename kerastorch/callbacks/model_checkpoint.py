"""`ModelCheckpoint`: save the model (or its weights) during `fit`.

Each file is written to a temporary name in the target folder and renamed over the target,
so a crash while saving leaves the previous checkpoint intact.

Example:
    >>> import os, tempfile, numpy as np, kerastorch as keras
    >>> folder = tempfile.mkdtemp()
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> checkpoint = keras.callbacks.ModelCheckpoint(
    ...     os.path.join(folder, "ckpt-{epoch:02d}.weights.h5"), save_weights_only=True)
    >>> _ = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=2, callbacks=[checkpoint],
    ...               verbose=0)
    >>> sorted(os.listdir(folder))
    ['ckpt-01.weights.h5', 'ckpt-02.weights.h5']
"""

from __future__ import annotations

import os
import re
import uuid
import warnings
from typing import Any

import numpy as np
import torch

from kerastorch.callbacks.monitor import MonitorCallback
from kerastorch.common.checkpoint_paths import is_checkpoint_path
from kerastorch.common.progbar import print_msg


class ModelCheckpoint(MonitorCallback):
    """Save the model or its weights at some frequency.

    Args:
        filepath: where to save; may hold `str.format` fields filled from the epoch (1-based)
            and the logs, e.g. `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"` (and `{batch}` with
            an integer `save_freq`). Must end in `.keras` (or `.h5`), or in `.weights.h5`
            when `save_weights_only=True`.
        monitor: the logged quantity deciding what is "best" (`save_best_only`).
        verbose: `1` prints a line when saving.
        save_best_only: save only when `monitor` improves (with a fixed `filepath`, the file
            always holds the best model).
        save_weights_only: `model.save_weights(filepath)` instead of `model.save(filepath)`.
        mode: `"auto"`, `"min"` or `"max"`.
        save_freq: `"epoch"`, or an integer: save every that many batches.
        initial_value_threshold: the value `monitor` must beat for the first save.

    Raises:
        ValueError: for a bad `save_freq` or a `filepath` with the wrong extension.
        KeyError: when saving, if `filepath` names a field absent from the logs.
    """

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
    ):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen: int | None = None
        self._current_epoch = 0
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq}. Expected save_freq are 'epoch' or "
                "integer values"
            )
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5") and not is_checkpoint_path(self.filepath):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format), or be a "
                    f"tf.keras checkpoint path such as `cp.ckpt`. Received: filepath="
                    f"{self.filepath}"
                )
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model format). Received: "
                f"filepath={self.filepath}"
            )

    # -- hooks -----------------------------------------------------------------------------
    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        if self._should_save_on_batch(batch):  # logs are read (one sync) only when saving
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    # -- decisions -------------------------------------------------------------------------
    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch: batches are zero-indexed
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch: int, logs: Any, filepath: str) -> bool:
        logs = logs or {}
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=3)
            return True
        if isinstance(current, (np.ndarray, torch.Tensor)) and len(current.shape) > 0:
            warnings.warn(
                f"Can save best model only when `monitor` is a scalar value. Received: "
                f"{current}. Falling back to `save_best_only=False`.",
                stacklevel=3,
            )
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    # -- saving ----------------------------------------------------------------------------
    def _save_model(self, epoch: int, batch: int | None, logs: Any) -> None:
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is "
                f"an existing directory: {filepath}"
            )
        dirname = os.path.dirname(filepath)
        try:
            if dirname and not os.path.exists(dirname):
                os.makedirs(dirname)
            self._write_atomically(filepath)
        except OSError as error:
            reason = error.strerror or str(error)
            raise type(error)(
                f"ModelCheckpoint could not write the checkpoint to '{filepath}': {reason}"
            ) from error
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _write_atomically(self, filepath: str) -> None:
        """Save to a temporary file next to `filepath`, then rename it over `filepath`."""
        dirname, basename = os.path.split(filepath)
        token = uuid.uuid4().hex[:8]
        suffix = next(
            (e for e in (".weights.h5", ".keras", ".h5", ".ckpt") if basename.endswith(e)), None
        )
        if suffix is None:  # a tf.keras checkpoint path without extension
            temporary = os.path.join(dirname, f".{basename}-{token}-tmp")
        else:
            temporary = os.path.join(dirname, f".{basename}.{token}.tmp{suffix}")
        try:
            if self.save_weights_only:
                self.model.save_weights(temporary, overwrite=True)
            else:
                self.model.save(temporary, overwrite=True)
            if os.path.exists(temporary):  # not on the other processes of a sharded save
                os.replace(temporary, filepath)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)

    def _get_file_path(self, epoch: int, batch: int | None, logs: Any) -> str:
        """`filepath` with its fields filled in (`epoch` and `batch` are 1-based)."""
        logs = dict(logs or {})
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}'
            ) from None

    def _get_most_recently_modified_file_matching_pattern(self, pattern: str) -> str | None:
        """The newest file matching `pattern` (fields act as wildcards); ties: largest name."""
        dir_name, base_name = os.path.split(pattern)
        regex = f"^{re.sub(r'{.*}', r'.*', base_name)}$"
        latest_time, latest, n_latest, largest = 0.0, None, 0, None
        if os.path.exists(dir_name):
            for file_name in os.listdir(dir_name):
                if not re.match(regex, file_name):
                    continue
                path = os.path.join(dir_name, file_name)
                mod_time = os.path.getmtime(path)
                if largest is None or path > largest:
                    largest = path
                if mod_time > latest_time:
                    latest_time, latest, n_latest = mod_time, path, 1
                elif mod_time == latest_time:
                    n_latest += 1
        return latest if n_latest == 1 else largest
