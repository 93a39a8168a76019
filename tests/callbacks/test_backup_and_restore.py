import json
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest
import torch

import kerastorch as kt
from tests.oracle import keras_or_skip

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_FIT = {"epochs": 4, "batch_size": 8, "validation_split": 0.25, "shuffle": False, "verbose": 0}


def _model(seed=0):
    torch.manual_seed(seed)
    model = kt.Sequential(
        [kt.Input((3,)), kt.layers.Dense(4, activation="tanh"), kt.layers.Dense(1)]
    )
    model.compile(optimizer=kt.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    return model


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    return x, (x @ np.array([[1.0], [-1.0], [2.0]])).astype("float32")


class _Interrupt(kt.callbacks.Callback):
    """Raise in the middle of epoch `epoch` (after some of its steps changed the weights)."""

    def __init__(self, epoch, batch=1):
        super().__init__()
        self.at = (epoch, batch)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            self.interrupt()

    def interrupt(self):
        raise RuntimeError("interrupted")


class _Kill(_Interrupt):
    def interrupt(self):
        os.kill(os.getpid(), 9)


def _uninterrupted():
    model = _model()
    history = model.fit(*_data(), **_FIT)
    return model, history


def _assert_resumed_like_uninterrupted(model, history, start):
    reference, expected = _uninterrupted()
    assert history.epoch == list(range(start, 4))
    for key, values in expected.history.items():
        np.testing.assert_allclose(history.history[key], values[start:], rtol=1e-6, atol=1e-7)
    for ours, theirs in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def test_backup_and_restore_resumes_after_an_exception(tmp_path):
    backup_dir = tmp_path / "backup"
    model = _model()
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(
            *_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir), _Interrupt(2)], **_FIT
        )
    with open(backup_dir / "training_metadata.json") as f:
        assert json.load(f) == {"epoch": 2, "batch": 0}
    restarted = _model(seed=1)  # a fresh process would build fresh weights
    history = restarted.fit(*_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir)], **_FIT)
    _assert_resumed_like_uninterrupted(restarted, history, start=2)
    assert not backup_dir.exists()  # delete_checkpoint=True


def test_backup_and_restore_resumes_after_the_process_is_killed(tmp_path):
    backup_dir = tmp_path / "backup"
    script = (
        "from tests.callbacks.test_backup_and_restore import _FIT, _Kill, _data, _model\n"
        "import kerastorch as kt, sys\n"
        "backup = kt.callbacks.BackupAndRestore(sys.argv[1])\n"
        "_model().fit(*_data(), callbacks=[backup, _Kill(3, batch=0)], **_FIT)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(backup_dir)], cwd=_ROOT, capture_output=True, timeout=120
    )
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    restarted = _model(seed=1)
    history = restarted.fit(*_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir)], **_FIT)
    _assert_resumed_like_uninterrupted(restarted, history, start=3)


@pytest.mark.parametrize(
    ("failing", "start"),
    [
        ("latest.weights.h5", 2),  # the weights never replaced: the previous backup
        ("training_metadata.json", 3),  # crashed after the weights: the new backup
    ],
)
def test_backup_and_restore_pair_is_atomic_under_a_crash_between_writes(
    failing, start, tmp_path, monkeypatch
):
    """A crash while backing up epoch 3 (any write) restores a consistent pair."""
    backup_dir = tmp_path / "backup"
    replace = os.replace
    writes = []

    def crashing_replace(source, target):
        if os.path.basename(target) == failing:
            writes.append(target)
            if len(writes) == 3:  # the backup at the end of the third epoch
                raise OSError("simulated crash")
        return replace(source, target)

    monkeypatch.setattr(os, "replace", crashing_replace)
    with pytest.raises(OSError, match="simulated crash"):
        _model().fit(*_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir)], **_FIT)
    monkeypatch.setattr(os, "replace", replace)
    restarted = _model(seed=1)
    history = restarted.fit(*_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir)], **_FIT)
    _assert_resumed_like_uninterrupted(restarted, history, start=start)


def test_backup_and_restore_reads_a_keras_backup_without_embedded_progress(tmp_path):
    backup_dir = tmp_path / "backup"
    with pytest.raises(RuntimeError, match="interrupted"):
        _model().fit(
            *_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir), _Interrupt(2)], **_FIT
        )
    with h5py.File(backup_dir / "latest.weights.h5", "a") as f:  # as Keras writes it
        del f.attrs["backup_and_restore_metadata"]
    restarted = _model(seed=1)
    history = restarted.fit(*_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir)], **_FIT)
    _assert_resumed_like_uninterrupted(restarted, history, start=2)


def test_backup_and_restore_falls_back_to_the_previous_backup(tmp_path):
    backup_dir = tmp_path / "backup"
    backup = kt.callbacks.BackupAndRestore(
        backup_dir, double_checkpoint=True, delete_checkpoint=False
    )
    with pytest.raises(RuntimeError, match="interrupted"):
        _model().fit(*_data(), callbacks=[backup, _Interrupt(2)], **_FIT)
    assert sorted(os.listdir(backup_dir)) == [
        "latest.weights.h5", "latest.weights.h5.bkp",
        "training_metadata.json", "training_metadata.json.bkp",
    ]  # fmt: skip
    (backup_dir / "latest.weights.h5").write_bytes(b"truncated by a crash")
    restarted = _model(seed=1)
    history = restarted.fit(*_data(), callbacks=[kt.callbacks.BackupAndRestore(backup_dir)], **_FIT)
    _assert_resumed_like_uninterrupted(restarted, history, start=1)


class _RecordingModel:
    built = True
    optimizer = None

    def __init__(self, backup_dir):
        self.saved = []
        self.metadata = os.path.join(backup_dir, "training_metadata.json")

    def save_weights(self, filepath, overwrite=True):
        with h5py.File(filepath, "w") as f:  # a weights file (the progress is added to it)
            f.attrs["weights"] = "weights"
        if os.path.exists(self.metadata):
            with open(self.metadata) as f:
                self.saved.append(json.load(f))


def _replay(callback, backup_dir, epochs=3, steps=5):
    model = _RecordingModel(backup_dir)
    callback.set_model(model)
    callback.on_train_begin()
    for epoch in range(epochs):
        callback.on_epoch_begin(epoch)
        for batch in range(steps):
            callback.on_train_batch_begin(batch)
            callback.on_train_batch_end(batch, {})
        callback.on_epoch_end(epoch, {})
    with open(model.metadata) as f:
        return model.saved, json.load(f)


@pytest.mark.parity
@pytest.mark.parametrize("save_freq", ["epoch", 2, 7])
def test_backup_and_restore_backs_up_when_keras_does(save_freq, tmp_path):
    keras = keras_or_skip()
    config = {"save_freq": save_freq, "delete_checkpoint": False}
    ours = _replay(kt.callbacks.BackupAndRestore(tmp_path / "a", **config), tmp_path / "a")
    theirs = _replay(
        keras.callbacks.BackupAndRestore(str(tmp_path / "b"), **config), tmp_path / "b"
    )
    assert ours == theirs


def test_backup_and_restore_bad_arguments():
    with pytest.raises(ValueError, match="Empty `backup_dir` argument passed"):
        kt.callbacks.BackupAndRestore("")
    with pytest.raises(ValueError, match="Invalid value for argument `save_freq`"):
        kt.callbacks.BackupAndRestore("backup", save_freq="batch")
