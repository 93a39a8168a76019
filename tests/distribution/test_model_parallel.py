"""Sharded training over 2 CPU processes (gloo) against one process on the same batches.

One forked 2-process job runs `model_parallel_workers.py`: `ModelParallel` over a
`(batch, model)` mesh of `(1, 2)` (tensor parallelism) and of `(2, 1)` (the batch split),
`DataParallel(shard_weights=True)` (FSDP2), Embedding / EinsumDense kernels sharded; each
saves a `.keras` file (gathered, process 0 writes) and a sharded checkpoint (DCP).
"""

import json
from pathlib import Path

import numpy as np
import pytest

import kerastorch as keras
from tests.distribution import model_parallel_workers as mp_workers
from tests.distribution import workers

pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    out = tmp_path_factory.mktemp("model_parallel")
    workers.launch(mp_workers.model_parallel_scenarios, 2, str(out))
    mp_workers.reference(out)
    mp_workers.embedding_run(out)
    return out


def _read(path: Path):
    return json.loads(path.read_text())


def _assert_trains_as_one(run, single):
    for key, values in single["history"].items():
        np.testing.assert_allclose(run["history"][key], values, rtol=1e-4, atol=1e-5)
    for key, value in single["evaluate"].items():
        np.testing.assert_allclose(run["evaluate"][key], value, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(run["predict"], single["predict"], atol=1e-4)
    for ours, theirs in zip(run["weights"], single["weights"], strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-4)


@pytest.mark.parametrize("name", ["tensor", "batch"])
def test_model_parallel_trains_as_one_process(job, name):
    single = _read(job / "single.json")
    for rank in (0, 1):
        _assert_trains_as_one(_read(job / f"{name}{rank}.json"), single)


def test_each_process_holds_only_its_shard(job):
    expected = {  # nn.Linear stores (units, input): Keras's (None, "model") shards dim 0
        "layers.0.linear.weight": [2, 3],
        "layers.0.linear.bias": [2],
        "layers.1.linear.weight": [1, 2],
        "layers.1.linear.bias": [1],
    }
    for rank in (0, 1):
        run = _read(job / f"tensor{rank}.json")
        local = {key.split("_layers.")[-1]: shape for key, shape in run["local"].items()}
        assert sorted(local.values()) == sorted(expected.values())
        assert sum(int(np.prod(s)) for s in local.values()) == 2 * 3 + 2 + 2 + 1  # of 21
        assert run["reloaded_local"] == run["local"]  # loading scattered the file's arrays
        # The optimizer's state (Adam: momentum and velocity) follows its variables.
        assert sorted(run["slots"]) == sorted(2 * list(expected.values()))


def test_a_sharded_model_saves_a_normal_keras_file(job):
    for name in ("tensor", "batch"):
        run = _read(job / f"{name}0.json")
        for ours, theirs in zip(run["reloaded"], run["weights"], strict=True):
            np.testing.assert_allclose(ours, theirs)
        loaded = keras.saving.load_model(job / f"{name}.keras")
        x = workers.data()[2]
        np.testing.assert_allclose(loaded.predict(x, verbose=0), run["predict"], atol=1e-5)


def test_sharded_data_parallel_trains_as_one_process_and_saves(job):
    single = _read(job / "single.json")
    for rank in (0, 1):
        run = _read(job / f"fsdp{rank}.json")
        _assert_trains_as_one(run, single)
        assert run["class"] == "Sequential"
        assert run["zeros"]  # weights set while gathered for inference were kept
        # FSDP2: each process holds its chunk of every weight's first (stored) dimension
        # (nn.Linear's (units, input)): `down`'s single unit lives on process 0.
        shards = [[[2, 3], [2], [1, 4], [1]], [[2, 3], [2], [0, 4], [0]]][rank]
        assert list(run["local"].values()) == shards
        assert sorted(run["slots"]) == sorted(2 * shards)
    loaded = keras.saving.load_model(job / "fsdp.keras")
    assert type(loaded).__name__ == "Sequential"
    x = workers.data()[2]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), single["predict"], atol=1e-4)
    # ModelCheckpoint during `fit`: every process gathered, process 0 wrote the last epoch.
    checkpoint = keras.saving.load_model(job / "checkpoint.keras")
    np.testing.assert_allclose(checkpoint.predict(x, verbose=0), single["predict"], atol=1e-4)
    # BackupAndRestore during `fit`: the same, into its backup file.
    checkpoint.load_weights(job / "backup" / "latest.weights.h5")
    expected = _read(job / "fsdp0.json")["after_backup"]
    np.testing.assert_allclose(checkpoint.predict(x, verbose=0), expected, atol=1e-4)


def test_embedding_and_einsum_dense_kernels_shard(job):
    single = _read(job / "embedding.json")
    for rank in (0, 1):
        run = _read(job / f"embedding{rank}.json")
        np.testing.assert_allclose(run["loss"], single["loss"], rtol=1e-4)
        assert run["local"]["embed.embeddings"] == [10, 2]  # of (10, 4)
        assert run["local"]["mix.kernel"] == [2, 6]  # of (4, 6)


@pytest.mark.parametrize("name", ["tensor", "fsdp"])
def test_sharded_checkpoints_restore_weights_and_optimizer(job, name):
    files = sorted(p.name for p in (job / f"{name}_dcp").iterdir())
    assert {"__0_0.distcp", "__1_0.distcp"} <= set(files)  # each process wrote its shards
    for rank in (0, 1):
        run = _read(job / f"{name}{rank}.json")
        assert run["dcp_optimizer_equal"]
        for ours, theirs in zip(run["dcp_weights"], run["weights"], strict=True):
            np.testing.assert_allclose(ours, theirs)
