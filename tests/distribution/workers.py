"""What each process of the multi-process tests runs (and the single-process reference).

`launch(fn, world, *args)` forks `world` processes with torchrun's environment (`RANK`,
`WORLD_SIZE`, `MASTER_ADDR`, `MASTER_PORT`, `LOCAL_RANK`): kerastorch sees a launched
run, as under `torchrun`, and trains data-parallel on its own. Results go to files.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

import kerastorch as keras

N_TRAIN, N_VAL, BATCH = 37, 10, 8  # the last global batch (5) splits unevenly: 3 + 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(fn, world: int, *args) -> None:
    """Run `fn(rank, *args)` in `world` forked processes joined as a torchrun job would be."""
    port = free_port()
    with warnings.catch_warnings():  # Python >= 3.12 warns about fork() in a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        mp.start_processes(_entry, (fn, world, port, args), nprocs=world, start_method="fork")


def launch_unsupervised(fn, world: int, *args) -> list[int]:
    """`launch` without a supervisor that stops the others when one fails: the exit codes."""
    port, context = free_port(), mp.get_context("fork")
    processes = [
        context.Process(target=_entry, args=(rank, fn, world, port, args)) for rank in range(world)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for process in processes:
            process.start()
    for process in processes:
        process.join(60)
    return [process.exitcode for process in processes]


def _entry(rank: int, fn, world: int, port: int, args: tuple) -> None:
    os.environ.update(
        RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world),
        MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), KERASTORCH_DISTRIBUTION_TIMEOUT="60",
    )  # fmt: skip
    torch.set_num_threads(1)
    try:
        fn(rank, *args)
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N_TRAIN + N_VAL, 3)).astype("float32")
    y = (x @ np.array([[1.0], [2.0], [-1.0]], "float32") + 0.5).astype("float32")
    return x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]


def model(cls=None):
    cls = cls or keras.Sequential
    net = cls([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    rng = np.random.default_rng(1)
    net.set_weights([rng.normal(size=w.shape).astype("float32") for w in net.get_weights()])
    net.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return net


class IdRecorder(keras.Sequential):
    """Records the first feature (a sample id) of every training batch it sees."""

    def train_step(self, batch):
        self.seen.append(batch[0][:, 0].round().long().tolist())
        return super().train_step(batch)


def training_run(out: Path, rank: int | None = None) -> None:
    """The scenario compared with one process: fit (shuffle=False) + evaluate + predict."""
    x, y, xv, yv = data()
    net = model()
    stop = keras.callbacks.EarlyStopping(monitor="val_mae", patience=1, min_delta=0.1)
    history = net.fit(
        x, y, batch_size=BATCH, epochs=6, shuffle=False, validation_data=(xv, yv),
        callbacks=[stop], verbose=0,
    )  # fmt: skip
    result = {
        "history": history.history,
        "epochs": history.epoch,
        "evaluate": net.evaluate(xv, yv, batch_size=3, verbose=0, return_dict=True),
        "predict": net.predict(x, batch_size=BATCH, verbose=0).tolist(),
        "weights": [w.tolist() for w in net.get_weights()],
    }
    name = "single" if rank is None else f"rank{rank}"
    (out / f"{name}.json").write_text(json.dumps(result))


def shuffled_run(out: Path, rank: int) -> None:
    """Fit with shuffling; record which sample ids each rank trained on, per epoch."""
    net = model(IdRecorder)
    net.seen = []
    ids = np.arange(N_TRAIN, dtype="float32")[:, None]
    x = np.concatenate([ids, np.zeros((N_TRAIN, 2), "float32")], axis=1)
    net.fit(x, np.zeros((N_TRAIN, 1), "float32"), batch_size=BATCH, epochs=2, verbose=0)
    (out / f"seen{rank}.json").write_text(json.dumps(net.seen))


def files_run(out: Path, rank: int) -> None:
    """Callbacks that print or write: only rank 0 may leave files or output."""
    x, y, _, _ = data()
    net = model()
    callbacks = [
        keras.callbacks.CSVLogger(str(out / f"log{rank}.csv")),
        keras.callbacks.ModelCheckpoint(str(out / f"ckpt{rank}.keras")),
        keras.callbacks.BackupAndRestore(str(out / f"backup{rank}"), delete_checkpoint=False),
    ]
    with open(out / f"stdout{rank}.txt", "w") as stream, contextlib.redirect_stdout(stream):
        net.fit(x, y, batch_size=BATCH, epochs=2, callbacks=callbacks, verbose=2)
        sys.stdout.flush()


def world_of_one(rank: int, out: str) -> None:
    """`DataParallel` set explicitly over a process group of one process."""
    keras.distribution.initialize()
    keras.distribution.set_distribution(keras.distribution.DataParallel())
    training_run(Path(out), rank)


def raising_run(rank: int, out: str) -> None:
    """Rank 1 raises at the end of the first epoch; the error of each rank goes to a file."""

    class RaiseOnRank1(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if rank == 1:
                raise RuntimeError("deliberate failure on rank 1")

    x, y, _, _ = data()
    try:
        model().fit(x, y, batch_size=BATCH, epochs=20, callbacks=[RaiseOnRank1()], verbose=0)
    except Exception as error:
        (Path(out) / f"error{rank}.txt").write_text(str(error))
        raise


def mismatched_models(rank: int, out: str) -> None:
    """Rank 1 builds a wider model: the first `fit` must fail with a clear error."""
    net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2 + rank)])
    net.compile(optimizer="sgd", loss="mse")
    try:
        net.fit(np.ones((8, 3)), np.ones((8, 2 + rank)), batch_size=4, verbose=0)
    except Exception as error:
        (Path(out) / f"error{rank}.txt").write_text(str(error))
        raise


def sharded_tensor(out: Path, rank: int) -> None:
    """`distribute_tensor` with a `TensorLayout`: each rank holds its half of the rows."""
    lib = keras.distribution
    mesh = lib.DeviceMesh((2,), ["model"], lib.list_devices("cpu"))
    full = torch.arange(8.0).reshape(4, 2)
    sharded = lib.distribute_tensor(full, lib.TensorLayout(("model", None), mesh))
    result = {"local": sharded.to_local().tolist(), "full": sharded.full_tensor().tolist()}
    (out / f"dtensor{rank}.json").write_text(json.dumps(result))


def all_scenarios(rank: int, out: str) -> None:
    out = Path(out)
    sharded_tensor(out, rank)
    training_run(out, rank)
    shuffled_run(out, rank)
    files_run(out, rank)
