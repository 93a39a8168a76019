"""Lazy batch logs: read on demand, so `fit` synchronises per epoch, not per step."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.trainers.lazy_logs import LazyLogs, as_batch_logs, nested_logs, pythonify_logs
from tests.trainers.fit_checks import Y_REG, X, regressor

RNG = np.random.default_rng(1)


def test_lazy_logs_compute_their_source_once_on_first_read():
    calls = []

    def source():
        calls.append(1)
        return {"loss": torch.tensor(0.25), "compile_metrics": {"mae": torch.tensor([1.5])}}

    logs = LazyLogs(source)
    assert calls == []
    assert logs == {"loss": 0.25, "mae": 1.5}
    assert dict(logs) == {"loss": 0.25, "mae": 1.5}
    assert calls == [1]


def test_as_batch_logs_flattens_a_custom_steps_nested_results_on_read():
    raw = {"loss": torch.tensor(0.5), "compile_metrics": {"mae": torch.tensor(2.0)}}
    logs = as_batch_logs(raw)
    assert isinstance(logs, LazyLogs)
    assert list(logs.items()) == [("mae", 2.0), ("loss", 0.5)]  # Keras's order
    assert nested_logs(logs) == {"loss": 0.5, "compile_metrics": {"mae": 2.0}}
    assert as_batch_logs(logs) is logs
    assert as_batch_logs(None) is None


def test_pythonify_logs_flattens_sorts_and_keeps_arrays():
    logs = pythonify_logs({"b": torch.ones(2), "a": 1, "m": {"c": torch.tensor(3)}})
    assert list(logs) == ["a", "b", "c"]
    assert logs["c"] == 3
    assert isinstance(logs["b"], np.ndarray)
    with pytest.raises(TypeError):
        hash(LazyLogs({}))


# -- no host synchronisation per step ------------------------------------------------------
_SYNCS = ("item", "__float__", "__bool__", "tolist", "numpy", "__int__", "__index__")


def count_syncs(monkeypatch, run):
    """Calls of the tensor methods that copy device values to the host while `run()` runs."""
    counts = {"total": 0}
    for name in _SYNCS:
        original = getattr(torch.Tensor, name)

        def counted(self, *args, _original=original, **kwargs):
            counts["total"] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, counted)
    try:
        run()
    finally:
        monkeypatch.undo()
    return counts["total"]


@pytest.mark.parametrize(
    "compile_kwargs",
    [{"loss": "mse"}, {"loss": "binary_crossentropy", "metrics": ["accuracy"], "validate": True}],
)
def test_fit_synchronises_per_epoch_not_per_step(compile_kwargs, monkeypatch):
    compile_kwargs = dict(compile_kwargs)
    validate = compile_kwargs.pop("validate", False)

    class EpochOnly(kerastorch.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.last = logs["loss"]

    def syncs(steps):
        x = RNG.normal(size=(4 * steps, 5)).astype("float32")
        y = (RNG.uniform(size=(4 * steps, 1)) > 0.5).astype("float32")
        model = kerastorch.Sequential(
            [kerastorch.Input((5,)), kerastorch.layers.Dense(1, activation="sigmoid")]
        )
        model.compile(optimizer="adam", **compile_kwargs)
        kwargs = {"batch_size": 4, "verbose": 0, "callbacks": [EpochOnly()],
                  "validation_data": (x, y) if validate else None}  # fmt: skip
        model.fit(x, y, epochs=1, **kwargs)  # warm-up: builds, resolves metrics
        return count_syncs(monkeypatch, lambda: model.fit(x, y, epochs=2, **kwargs))

    few, many = syncs(4), syncs(16)
    assert few == many
    assert few >= 2  # the counter works: each epoch's loss is read once
    assert few <= 2 * (6 if validate else 2)  # a handful per epoch, whatever the steps


def test_sync_counter_sees_a_callback_that_reads_batch_logs(monkeypatch):
    class EveryBatch(kerastorch.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.loss = logs["loss"]

    model = regressor(kerastorch)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y_REG, batch_size=10, epochs=1, verbose=0)
    quiet = count_syncs(monkeypatch, lambda: model.fit(X, Y_REG, batch_size=5, verbose=0))
    reading = count_syncs(
        monkeypatch,
        lambda: model.fit(X, Y_REG, batch_size=5, verbose=0, callbacks=[EveryBatch()]),
    )
    assert quiet == 1  # the epoch logs
    assert reading == 6  # one read per batch (the last one serves the epoch logs too)
