"""`BackupAndRestore`: resume an interrupted `fit` where it stopped.

At the end of each epoch (or every `save_freq` batches) the callback writes the model's
weights (with the optimizer state) and the number of finished epochs to `backup_dir`. When
`fit` is called again after a crash, it loads them and training continues from the first
unfinished epoch. A `fit` that ends normally deletes the backup.

The weights and the progress are one unit: the progress is also written inside the weights
file, which is synced to disk and renamed into place in one step, so a crash at any point
leaves either the previous backup or the new one, never new weights with old progress.
`training_metadata.json` is written after it, as Keras writes it (for Keras to read).

Example:
    >>> import tempfile, numpy as np, kerastorch as keras
    >>> backup = keras.callbacks.BackupAndRestore(backup_dir=tempfile.mkdtemp())
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(np.ones((4, 2)), np.ones(4), epochs=2, callbacks=[backup],
    ...                     verbose=0)
    >>> history.epoch
    [0, 1]
"""

from __future__ import annotations

import json
import os
import shutil
from typing import Any

import h5py

from kerastorch.callbacks.callback import Callback
from kerastorch.common.atomic import move_into_place

# The attribute of the weights file that holds the progress (`{"epoch", "batch"}`, JSON).
_PROGRESS_ATTRIBUTE = "backup_and_restore_metadata"


class BackupAndRestore(Callback):
    """Back up the training state regularly; restore it when `fit` starts again.

    Args:
        backup_dir: folder for the backup (`latest.weights.h5` and `training_metadata.json`);
            use a different folder for each training run.
        save_freq: `"epoch"`, or an integer: back up every that many batches (training still
            resumes at the start of the unfinished epoch).
        double_checkpoint: keep the previous backup as `*.bkp`, used when the latest one
            cannot be read (e.g. killed while writing).
        delete_checkpoint: delete `backup_dir` when `fit` ends normally.

    `fit` must start from the restored epoch: the callback sets `model._initial_epoch`, which
    `fit` reads after `on_train_begin`, as Keras's does.
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: str | int = "epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ):
        super().__init__()
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        self.backup_dir = os.fspath(backup_dir)
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )

    # -- restoring -------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        try:
            self._load_model()
        except (OSError, ValueError):
            # The latest backup is unreadable (kerastorch's loader reports an invalid HDF5 file
            # as a ValueError, h5py as an OSError): fall back to the previous one, if kept.
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copy(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copy(self._prev_training_metadata_path, self._training_metadata_path)
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._load_model()

    def _load_model(self) -> None:
        if not self.model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, you model must be built before you call "
                f"`fit()`. Model {self.model} is unbuilt. You can build it beforehand by "
                "calling it on a batch of data."
            )
        metadata = None
        if os.path.exists(self._weights_path):
            optimizer = getattr(self.model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                optimizer.build(self.model.trainable_variables)  # its state is in the file
            self.model.load_weights(self._weights_path)
            metadata = _read_progress(self._weights_path)
        if metadata is None and os.path.exists(self._training_metadata_path):
            # A backup without the progress in its weights file (written by Keras).
            with open(self._training_metadata_path) as f:
                metadata = json.loads(f.read())
        if metadata is not None:
            self.model._initial_epoch = metadata["epoch"]

    # -- backing up ------------------------------------------------------------------------
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        if self._should_save_on_batch(batch):
            self._save_model()

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self) -> None:
        """Write the weights with the progress inside (the commit), then Keras's metadata file.

        Each file goes through a temporary, synced to disk and renamed into place.
        """
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            shutil.copy(self._weights_path, self._prev_weights_path)
        if self.double_checkpoint and os.path.exists(self._training_metadata_path):
            shutil.copy(self._training_metadata_path, self._prev_training_metadata_path)
        metadata = json.dumps({"epoch": self._current_epoch, "batch": self._last_batch_seen})
        temporary = os.path.join(self.backup_dir, ".latest.tmp.weights.h5")
        self.model.save_weights(temporary, overwrite=True)
        with h5py.File(temporary, "a") as f:
            f.attrs[_PROGRESS_ATTRIBUTE] = metadata
        move_into_place(temporary, self._weights_path)
        temporary = f"{self._training_metadata_path}.tmp"
        with open(temporary, "w") as f:
            f.write(metadata)
        move_into_place(temporary, self._training_metadata_path)

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)


def _read_progress(weights_path: str) -> dict[str, Any] | None:
    """The progress stored inside a weights file, or `None` (a backup written by Keras)."""
    with h5py.File(weights_path, "r") as f:
        value = f.attrs.get(_PROGRESS_ATTRIBUTE)
    if value is None:
        return None
    return json.loads(value.decode() if isinstance(value, bytes) else value)


__all__ = ["BackupAndRestore"]
