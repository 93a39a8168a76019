"""Callbacks that act per epoch never read the (lazy) batch logs: no host sync per step."""

import numpy as np

import kerastorch as kt
from kerastorch.trainers import lazy_logs


def _count_log_reads(monkeypatch, callbacks):
    reads = []
    original = lazy_logs.LazyLogs._fill

    def counting(self):
        if not self._filled:
            reads.append(1)
        return original(self)

    monkeypatch.setattr(lazy_logs.LazyLogs, "_fill", counting)
    model = kt.Sequential([kt.Input((2,)), kt.layers.Dense(1)])
    model.compile(optimizer=kt.optimizers.SGD(0.01, use_ema=True), loss="mse", metrics=["mae"])
    x = np.random.default_rng(0).normal(size=(40, 2)).astype("float32")
    model.fit(
        x, x[:, :1], batch_size=4, validation_split=0.2, epochs=2, verbose=0, callbacks=callbacks
    )
    return len(reads)


def test_epoch_level_callbacks_add_no_batch_log_reads(monkeypatch, tmp_path):
    baseline = _count_log_reads(monkeypatch, [])
    callbacks = [
        kt.callbacks.EarlyStopping(monitor="val_loss", patience=5),
        kt.callbacks.ModelCheckpoint(tmp_path / "m.weights.h5", save_weights_only=True),
        kt.callbacks.TensorBoard(log_dir=tmp_path / "logs", histogram_freq=1),
        kt.callbacks.ReduceLROnPlateau(),
        kt.callbacks.LearningRateScheduler(lambda epoch, lr: lr),
        kt.callbacks.CSVLogger(tmp_path / "log.csv"),
        kt.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: None),
        kt.callbacks.SwapEMAWeights(),
        kt.callbacks.BackupAndRestore(tmp_path / "backup"),
    ]
    assert baseline <= 2 * 2  # at most the epoch ends of training and validation
    assert _count_log_reads(monkeypatch, callbacks) == baseline
    # A batch-level consumer reads them where it writes: TensorBoard(update_freq=2) at steps
    # 2, 4, 6 of each 8-step epoch (step 8's logs are the epoch's logs, read anyway).
    tensorboard = kt.callbacks.TensorBoard(log_dir=tmp_path / "batch", update_freq=2)
    assert _count_log_reads(monkeypatch, [tensorboard]) == baseline + 2 * 3
