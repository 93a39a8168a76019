"""`OrbaxCheckpoint` on torch: step directories of DCP checkpoints, written during `fit`."""

from __future__ import annotations

import inspect
import json
import os

import numpy as np
import pytest
import torch.distributed.checkpoint as dcp

import kerastorch as kt
from kerastorch.callbacks import orbax_checkpoint
from kerastorch.callbacks.orbax_checkpoint import OrbaxCheckpoint
from kerastorch.distribution.checkpoint import load_sharded
from tests.oracle import assert_close, keras_or_skip

X, Y = np.random.default_rng(0).normal(size=(8, 3)), np.ones((8, 1))


def _model(seed=0):
    kt.utils.set_random_seed(seed)
    layers = [kt.layers.Dense(2, name="hidden"), kt.layers.Dense(1, name="out")]  # the keys
    model = kt.Sequential([kt.Input((3,)), *layers])
    model.compile(optimizer="adam", loss="mse")
    return model


def _saved_keys(path):
    return set(dcp.FileSystemReader(path).read_metadata().state_dict_metadata)


def test_epoch_saves_pruning_and_restore(tmp_path):
    model = _model()
    callback = OrbaxCheckpoint(str(tmp_path), monitor="loss", max_to_keep=2)
    model.fit(X, Y, epochs=3, batch_size=4, callbacks=[callback], verbose=0)
    assert sorted(os.listdir(tmp_path)) == ["1", "2"]  # steps are epochs; the oldest pruned
    latest = OrbaxCheckpoint.latest_checkpoint(tmp_path)
    assert latest == os.path.join(str(tmp_path), "2")
    assert any(key.startswith("optimizer") for key in _saved_keys(latest))
    with open(os.path.join(latest, orbax_checkpoint.CONFIG_FILENAME)) as f:
        config = json.load(f)
    assert config["class_name"] == "Sequential"

    restored = kt.saving.deserialize_keras_object(config)
    restored.compile(optimizer="adam", loss="mse")
    restored.train_on_batch(X[:4], Y[:4])  # builds the optimizer, whose state is restored too
    load_sharded(restored, latest)
    assert_close(restored.get_weights(), model.get_weights())
    assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 6
    assert_close(restored.predict(X, verbose=0), model.predict(X, verbose=0))


def test_batch_frequency_background_snapshots(tmp_path):
    model = _model()
    callback = OrbaxCheckpoint(tmp_path, save_freq=3, max_to_keep=None)
    model.fit(X, Y, epochs=3, batch_size=2, callbacks=[callback], verbose=0)
    assert sorted(os.listdir(tmp_path), key=int) == ["3", "6", "9", "12"]  # batches seen
    first, last = _model(seed=1), _model(seed=2)
    load_sharded(first, os.path.join(tmp_path, "3"))
    load_sharded(last, os.path.join(tmp_path, "12"))
    assert_close(last.get_weights(), model.get_weights())  # the state when it was saved:
    assert not np.allclose(first.get_weights()[0], last.get_weights()[0])  # not a later one

    callback = OrbaxCheckpoint(tmp_path, save_freq=4, max_to_keep=None)
    model.fit(X, Y, epochs=1, batch_size=2, callbacks=[callback], verbose=0)
    assert "16" in os.listdir(tmp_path)  # counting on from the optimizer's 12 iterations


def test_weights_only_synchronous(tmp_path):
    model = _model()
    callback = OrbaxCheckpoint(tmp_path, save_weights_only=True, save_on_background=False)
    model.fit(X, Y, epochs=2, batch_size=4, callbacks=[callback], verbose=0)
    assert os.listdir(tmp_path) == ["1"]  # max_to_keep defaults to 1
    assert os.listdir(tmp_path / "1").count(orbax_checkpoint.CONFIG_FILENAME) == 0
    assert all(key.startswith("model.") for key in _saved_keys(str(tmp_path / "1")))


def test_save_best_only(tmp_path):
    model = _model()
    never = OrbaxCheckpoint(tmp_path / "a", monitor="loss", save_best_only=True,
                            initial_value_threshold=-1.0)  # fmt: skip
    best = OrbaxCheckpoint(tmp_path / "b", monitor="loss", save_best_only=True)
    model.fit(X, Y, epochs=2, batch_size=4, callbacks=[never, best], verbose=0)
    assert not (tmp_path / "a").exists()
    assert os.listdir(tmp_path / "b") == ["1"]  # the loss fell in both epochs
    assert best.best == pytest.approx(float(model.evaluate(X, Y, verbose=0)), rel=0.5)
    missing = OrbaxCheckpoint(tmp_path / "c", monitor="val_auc", save_best_only=True, mode="max")
    with pytest.warns(UserWarning, match="Can save best model only with val_auc available"):
        model.fit(X, Y, epochs=1, batch_size=4, callbacks=[missing], verbose=0)
    assert not (tmp_path / "c").exists()


def test_failed_save_keeps_previous_steps(tmp_path, monkeypatch):
    model = _model()
    callback = OrbaxCheckpoint(tmp_path, save_on_background=False, max_to_keep=None)
    model.fit(X, Y, epochs=1, batch_size=4, callbacks=[callback], verbose=0)
    (tmp_path / "5.orbax-checkpoint-tmp").mkdir()  # left by a crashed save: not a step

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    import torch.distributed.checkpoint as dcp

    monkeypatch.setattr(dcp, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        model.fit(X, Y, epochs=1, batch_size=4, callbacks=[callback], verbose=0)
    assert sorted(os.listdir(tmp_path)) == ["0", "5.orbax-checkpoint-tmp"]  # step 0 rewrite failed
    assert OrbaxCheckpoint.latest_checkpoint(tmp_path).endswith("0")
    assert OrbaxCheckpoint.latest_checkpoint(tmp_path / "none") is None


def test_arguments():
    with pytest.raises(ValueError, match=r"Unrecognized save_freq: 1\.5"):
        OrbaxCheckpoint("/tmp/unused", save_freq=1.5)
    callback = OrbaxCheckpoint("/tmp/unused")
    assert not callback.is_multihost_enabled()
    assert callback.is_primary_host()


@pytest.mark.parity
def test_signature_matches_keras():
    keras = keras_or_skip()
    ours = inspect.signature(OrbaxCheckpoint.__init__).parameters
    theirs = inspect.signature(keras.callbacks.OrbaxCheckpoint.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [
        (p.name, p.default) for p in theirs.values()
    ]
    public = {n for n in dir(keras.callbacks.OrbaxCheckpoint) if not n.startswith("_")}
    assert public <= set(dir(OrbaxCheckpoint))
