import os

import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import keras_or_skip


def _model():
    model = kt.Sequential(
        [kt.Input((4,)), kt.layers.Dense(3, activation="relu"), kt.layers.Dense(1)]
    )
    model.compile(optimizer=kt.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def _data(n=40):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ np.array([[1.0], [-1.0], [0.5], [0.2]])).astype("float32")


def _fit(model, callbacks, epochs=3, **kwargs):
    x, y = _data()
    return model.fit(
        x, y, validation_split=0.25, epochs=epochs, batch_size=10, shuffle=False, verbose=0,
        callbacks=callbacks, **kwargs,
    )  # fmt: skip


def test_model_checkpoint_fills_the_filepath_template_from_epoch_and_logs(tmp_path):
    template = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.keras")
    model = _model()
    history = _fit(model, [kt.callbacks.ModelCheckpoint(template)])
    expected = [
        f"ckpt-{epoch + 1:02d}-{val_loss:.2f}.keras"
        for epoch, val_loss in zip(history.epoch, history.history["val_loss"], strict=True)
    ]
    assert sorted(os.listdir(tmp_path)) == sorted(expected)
    restored = kt.saving.load_model(tmp_path / expected[-1])
    for a, b in zip(restored.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_save_weights_only_writes_loadable_weights(tmp_path):
    path = tmp_path / "sub" / "best.weights.h5"  # the folder is created
    model = _model()
    weights = []
    record = kt.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: weights.append(model.get_weights())
    )
    checkpoint = kt.callbacks.ModelCheckpoint(
        path, monitor="val_mae", save_best_only=True, save_weights_only=True
    )
    history = _fit(model, [record, checkpoint], epochs=4)
    best_epoch = int(np.argmin(history.history["val_mae"]))
    fresh = _model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), weights[best_epoch], strict=True):
        np.testing.assert_array_equal(a, b)
    assert os.listdir(tmp_path / "sub") == ["best.weights.h5"]  # no temporary file left


class _RecordingModel:
    """Stub model: `save`/`save_weights` write a marker file and record the path."""

    def __init__(self):
        self.saved = []
        self.metrics = []

    def _write(self, filepath, overwrite=True):
        with open(filepath, "w") as f:
            f.write("saved")
        self.saved.append(os.path.basename(filepath))

    save = save_weights = _write


def _replay_checkpoint(callback, sequence, steps=3):
    model = _RecordingModel()
    callback.set_model(model)
    callback.set_params({"epochs": len(sequence), "steps": steps, "verbose": 0})
    callback.on_train_begin()
    saves = []
    for epoch, value in enumerate(sequence):
        callback.on_epoch_begin(epoch)
        for batch in range(steps):
            callback.on_train_batch_begin(batch)
            callback.on_train_batch_end(batch, {"loss": value + batch, "val_loss": value})
        callback.on_epoch_end(epoch, {"loss": value, "val_loss": value})
        saves.append(len(model.saved))
    return saves, callback.best


@pytest.mark.parity
@pytest.mark.parametrize(
    "config",
    [
        {"save_best_only": True},
        {"save_best_only": True, "mode": "max"},
        {"save_best_only": True, "initial_value_threshold": 0.7},
        {"save_best_only": True, "monitor": "loss", "save_freq": 2},
        {"save_freq": 2},
        {"save_freq": 4},
        {},
    ],
)
def test_model_checkpoint_saves_when_keras_saves_on_the_same_logs(config, tmp_path):
    keras = keras_or_skip()
    sequence = [0.9, 0.8, 0.85, 0.6, 0.6, 0.95]
    ours = _replay_checkpoint(
        kt.callbacks.ModelCheckpoint(str(tmp_path / "a.keras"), **config), sequence
    )
    theirs = _replay_checkpoint(
        keras.callbacks.ModelCheckpoint(str(tmp_path / "b.keras"), **config), sequence
    )
    assert ours == theirs


@pytest.mark.parity
def test_model_checkpoint_batch_template_and_verbose_output_match_keras(tmp_path, capsys):
    keras = keras_or_skip()
    template = "e{epoch}-b{batch}-{loss:.1f}.weights.h5"
    config = {"save_freq": 2, "save_weights_only": True, "verbose": 1}
    os.mkdir(tmp_path / "ours")
    os.mkdir(tmp_path / "keras")
    _replay_checkpoint(
        kt.callbacks.ModelCheckpoint(str(tmp_path / "ours" / template), **config), [0.5, 0.4]
    )
    printed = capsys.readouterr().out.replace(str(tmp_path / "ours"), "")
    _replay_checkpoint(
        keras.callbacks.ModelCheckpoint(str(tmp_path / "keras" / template), **config), [0.5, 0.4]
    )
    assert printed == capsys.readouterr().out.replace(str(tmp_path / "keras"), "")
    assert sorted(os.listdir(tmp_path / "ours")) == sorted(os.listdir(tmp_path / "keras"))
    assert "e1-b2-1.5.weights.h5" in os.listdir(tmp_path / "ours")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"filepath": "m.h5", "save_weights_only": True}, "must end in `.weights.h5`"),
        (
            {"filepath": "m.pt"},
            r"must end in `\.keras` \(Keras model format\). Received: filepath=m.pt",
        ),
        ({"filepath": "m.keras", "save_freq": "batch"}, "Unrecognized save_freq: batch"),
    ],
)
def test_model_checkpoint_bad_arguments_raise_keras_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kt.callbacks.ModelCheckpoint(**kwargs)


def test_model_checkpoint_template_key_missing_from_logs_raises(tmp_path):
    checkpoint = kt.callbacks.ModelCheckpoint(str(tmp_path / "m-{val_acc:.2f}.keras"))
    with pytest.raises(
        KeyError, match=r"Failed to format this callback filepath: .*Reason: .*val_acc"
    ):
        _fit(_model(), [checkpoint], epochs=1)


def test_model_checkpoint_write_is_atomic(tmp_path):
    path = tmp_path / "model.weights.h5"
    model = _model()
    _fit(model, [kt.callbacks.ModelCheckpoint(path, save_weights_only=True)], epochs=1)
    before = path.read_bytes()

    def crash(filepath, overwrite=True):
        with open(filepath, "wb") as f:
            f.write(b"partial")
        raise RuntimeError("killed while saving")

    model.save_weights = crash
    with pytest.raises(RuntimeError, match="killed while saving"):
        _fit(model, [kt.callbacks.ModelCheckpoint(path, save_weights_only=True)], epochs=1)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.weights.h5"]


def test_model_checkpoint_unwritable_path_names_it(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    checkpoint = kt.callbacks.ModelCheckpoint(str(blocker / "ckpt.keras"))
    with pytest.raises(
        OSError, match=r"ModelCheckpoint could not write the checkpoint to '.*ckpt\.keras'"
    ):
        _fit(_model(), [checkpoint], epochs=1)
    folder = tmp_path / "existing.keras"
    folder.mkdir()
    with pytest.raises(
        OSError, match="Please specify a non-directory filepath for ModelCheckpoint"
    ):
        _fit(_model(), [kt.callbacks.ModelCheckpoint(str(folder))], epochs=1)


def test_model_checkpoint_save_best_only_without_monitor_warns_and_saves(tmp_path):
    path = tmp_path / "m.keras"
    checkpoint = kt.callbacks.ModelCheckpoint(
        path, monitor="val_auc", mode="max", save_best_only=True
    )
    with pytest.warns(UserWarning, match="Can save best model only with val_auc available"):
        _fit(_model(), [checkpoint], epochs=1)
    assert path.exists()


def test_model_checkpoint_most_recent_file_matching_pattern(tmp_path):
    checkpoint = kt.callbacks.ModelCheckpoint(str(tmp_path / "b{batch:02d}e{epoch:02d}.keras"))
    for i, name in enumerate(["b03e02.keras", "b02e02.keras", "b01e01.keras"]):
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (1000 + i, 1000 + i))
    pattern = str(tmp_path / "b{batch:02d}e{epoch:02d}.keras")
    assert checkpoint._get_most_recently_modified_file_matching_pattern(pattern).endswith(
        "b01e01.keras"
    )
