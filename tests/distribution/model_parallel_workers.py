"""What each process of the ModelParallel / sharded tests runs (and the one-process reference).

The model is `workers.model()`'s (`Dense(4, relu)` then `Dense(1)`) with named layers, so
that the `LayoutMap` can name its variables: `up/kernel` is split by columns and
`down/kernel` by rows over the `model` axis (Megatron-style tensor parallelism).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import kerastorch as keras
from kerastorch.distribution.checkpoint import load_sharded, save_sharded
from tests.distribution import workers

EPOCHS = 3


def model() -> keras.Sequential:
    net = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4, activation="relu", name="up"),
            keras.layers.Dense(1, name="down"),
        ]
    )
    rng = np.random.default_rng(1)
    net.set_weights([rng.normal(size=w.shape).astype("float32") for w in net.get_weights()])
    net.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return net


def reference(out: Path) -> None:
    """One process: fit (shuffle=False), evaluate, predict; the model saved."""
    x, y, xv, yv = workers.data()
    net = model()
    history = net.fit(x, y, batch_size=workers.BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    result = {
        "history": history.history,
        "evaluate": net.evaluate(xv, yv, batch_size=3, verbose=0, return_dict=True),
        "predict": net.predict(xv, verbose=0).tolist(),
        "weights": [w.tolist() for w in net.get_weights()],
    }
    (out / "single.json").write_text(json.dumps(result))


def _layout_map(shape: tuple[int, int]) -> keras.distribution.LayoutMap:
    lib = keras.distribution
    mesh = lib.DeviceMesh(shape, ["batch", "model"], lib.list_devices("cpu"))
    layout_map = lib.LayoutMap(mesh)
    layout_map[".*up/kernel"] = (None, "model")
    layout_map[".*up/bias"] = ("model",)
    layout_map[".*down/kernel"] = ("model", None)
    return layout_map


def sharded_run(out: Path, rank: int, shape: tuple[int, int], name: str) -> None:
    """ModelParallel over a `(batch, model)` mesh of `shape`: fit, evaluate, predict, save,
    and reload the saved file into the sharded model."""
    lib = keras.distribution
    x, y, xv, yv = workers.data()
    lib.set_distribution(lib.ModelParallel(layout_map=_layout_map(shape), batch_dim_name="batch"))
    try:
        net = model()
        history = net.fit(x, y, batch_size=workers.BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
        weights = net.get_weights()
        result = {
            "history": history.history,
            "evaluate": net.evaluate(xv, yv, batch_size=3, verbose=0, return_dict=True),
            "predict": net.predict(xv, verbose=0).tolist(),
            "weights": [w.tolist() for w in weights],
            "local": {p: list(t.to_local().shape) for p, t in net.named_parameters()},
            "slots": [list(v.tensor.to_local().shape) for v in net.optimizer.variables[2:]],
        }
        path = out / f"{name}.keras"
        net.save(path)  # every process gathers; process 0 writes
        net.set_weights([np.zeros_like(w) for w in weights])
        net.load_weights(path)  # the full arrays scattered into the shards again
        result["reloaded"] = [w.tolist() for w in net.get_weights()]
        result["reloaded_local"] = {p: list(t.to_local().shape) for p, t in net.named_parameters()}
        _sharded_checkpoint_round_trip(net, out / f"{name}_dcp", result)
    finally:
        lib.set_distribution(None)
    (out / f"{name}{rank}.json").write_text(json.dumps(result))


def _sharded_checkpoint_round_trip(net: keras.Model, folder: Path, result: dict) -> None:
    """`save_sharded` (each process its shards), clobber, `load_sharded`: all restored."""
    before = [v.numpy() for v in net.optimizer.variables]
    save_sharded(net, folder)
    net.set_weights([np.zeros_like(w) for w in net.get_weights()])
    net.optimizer.set_weights([np.zeros_like(w) for w in before])
    load_sharded(net, folder)
    result["dcp_weights"] = [w.tolist() for w in net.get_weights()]
    after = [v.numpy() for v in net.optimizer.variables]
    same = [np.array_equal(a, b) for a, b in zip(after, before, strict=True)]
    result["dcp_optimizer_equal"] = all(same)


def embedding_model() -> keras.Sequential:
    net = keras.Sequential(
        [
            keras.Input((5,), dtype="int32"),
            keras.layers.Embedding(10, 4, name="embed"),
            keras.layers.EinsumDense("abc,cd->abd", (5, 6), activation="relu", name="mix"),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, name="out"),
        ]
    )
    rng = np.random.default_rng(1)
    net.set_weights([rng.normal(size=w.shape).astype("float32") for w in net.get_weights()])
    net.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return net


def embedding_run(out: Path, rank: int | None = None) -> None:
    """Embedding (output dimension) and EinsumDense (input dimension) sharded, or one
    process when `rank` is None: the losses and the local shapes."""
    lib = keras.distribution
    rng = np.random.default_rng(0)
    x = rng.integers(0, 10, size=(16, 5)).astype("int32")
    y = rng.normal(size=(16, 1)).astype("float32")
    if rank is not None:
        mesh = lib.DeviceMesh((1, 2), ["batch", "model"], lib.list_devices("cpu"))
        layout_map = lib.LayoutMap(mesh)
        layout_map[".*embed/embeddings"] = (None, "model")
        layout_map[".*mix/kernel"] = ("model", None)
        lib.set_distribution(lib.ModelParallel(layout_map=layout_map))
    try:
        net = embedding_model()
        history = net.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    finally:
        lib.set_distribution(None)
    result = {"loss": history.history["loss"]}
    if rank is not None:
        result["local"] = {p: list(t.to_local().shape) for p, t in net.named_parameters()}
    (out / f"embedding{'' if rank is None else rank}.json").write_text(json.dumps(result))


def model_parallel_scenarios(rank: int, out: str) -> None:
    out = Path(out)
    sharded_run(out, rank, (1, 2), "tensor")
    sharded_run(out, rank, (2, 1), "batch")
    fsdp_run(out, rank)
    embedding_run(out, rank)


def fsdp_run(out: Path, rank: int) -> None:
    """`DataParallel(shard_weights=True)`: fit, evaluate, predict, save; the shards' sizes."""
    lib = keras.distribution
    x, y, xv, yv = workers.data()
    lib.set_distribution(lib.DataParallel(shard_weights=True))
    try:
        net = model()
        checkpoint = keras.callbacks.ModelCheckpoint(str(out / "checkpoint.keras"), verbose=1)
        history = net.fit(x, y, batch_size=workers.BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                          callbacks=[checkpoint])  # fmt: skip
        result = {
            "history": history.history,
            "local": {p: list(t.to_local().shape) for p, t in net.named_parameters()},
            "slots": [list(v.tensor.to_local().shape) for v in net.optimizer.variables[2:]],
            # a last batch of 1 sample: process 1 has no piece of it (no collective waits)
            "evaluate": net.evaluate(xv, yv, batch_size=3, verbose=0, return_dict=True),
            "predict": net.predict(xv, batch_size=3, verbose=0).tolist(),
            "weights": [w.tolist() for w in net.get_weights()],
            "class": type(net).__name__,
        }
        backup = keras.callbacks.BackupAndRestore(str(out / "backup"), delete_checkpoint=False)
        net.fit(x, y, batch_size=workers.BATCH, epochs=1, verbose=0, shuffle=False,
                callbacks=[backup])  # fmt: skip
        result["after_backup"] = net.predict(xv, batch_size=3, verbose=0).tolist()
        # Gathered for inference now: what is assigned meanwhile reaches the shards.
        net.set_weights([np.zeros_like(w) for w in net.get_weights()])
        net.save(out / "zeros.keras")  # back to the shards, then gathered for saving
        result["zeros"] = all(not w.any() for w in net.get_weights())
        net.set_weights([np.asarray(w, "float32") for w in result["weights"]])
        net.save(out / "fsdp.keras")
        _sharded_checkpoint_round_trip(net, out / "fsdp_dcp", result)
    finally:
        lib.set_distribution(None)
    (out / f"fsdp{rank}.json").write_text(json.dumps(result))
