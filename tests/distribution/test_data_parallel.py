"""DataParallel over 2 CPU processes (gloo) against one process on the same global batches.

One forked 2-process job (torchrun's environment, no distribution set: the automatic
mode) runs the scenarios of `workers.py`; one real `torchrun` job checks that a raising
rank ends the job with its error.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.distribution import workers

pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    out = tmp_path_factory.mktemp("data_parallel")
    workers.launch(workers.all_scenarios, 2, str(out))
    return out


def _read(path: Path):
    return json.loads(path.read_text())


def test_two_processes_train_as_one(job, tmp_path):
    workers.training_run(tmp_path)
    single = _read(tmp_path / "single.json")
    for rank in (0, 1):
        run = _read(job / f"rank{rank}.json")
        assert run["epochs"] == single["epochs"]  # EarlyStopping: the same epoch everywhere
        assert len(run["epochs"]) < 6  # ... and it did stop early
        assert sorted(run["history"]) == ["loss", "mae", "val_loss", "val_mae"]
        for key, values in single["history"].items():
            np.testing.assert_allclose(run["history"][key], values, rtol=1e-5)
        for ours, theirs in zip(run["weights"], single["weights"], strict=True):
            np.testing.assert_allclose(ours, theirs, atol=1e-5)
        for key, value in single["evaluate"].items():
            np.testing.assert_allclose(run["evaluate"][key], value, rtol=1e-5)
        np.testing.assert_allclose(run["predict"], single["predict"], atol=1e-5)


def test_shuffled_shards_are_disjoint_and_cover_each_epoch(job):
    seen = [_read(job / f"seen{rank}.json") for rank in (0, 1)]
    batches_per_epoch = -(-workers.N_TRAIN // workers.BATCH)
    assert len(seen[0]) == len(seen[1]) == 2 * batches_per_epoch
    epochs = []
    for epoch in range(2):
        part = slice(epoch * batches_per_epoch, (epoch + 1) * batches_per_epoch)
        ids = [[i for batch in seen[rank][part] for i in batch] for rank in (0, 1)]
        assert not set(ids[0]) & set(ids[1])
        assert sorted(ids[0] + ids[1]) == list(range(workers.N_TRAIN))
        assert [len(b) for b in seen[0][part]] == [4, 4, 4, 4, 3]  # 8 = 4 + 4; 5 = 3 + 2
        epochs.append(ids[0])
    assert epochs[0] != epochs[1]  # reshuffled each epoch


def test_only_rank_zero_prints_and_writes_files(job):
    assert (job / "log0.csv").read_text().count("\n") == 3  # header + 2 epochs
    assert (job / "ckpt0.keras").exists()
    assert any((job / "backup0").iterdir())
    assert not (job / "log1.csv").exists()
    assert not (job / "ckpt1.keras").exists()
    assert not (job / "backup1").exists()
    assert "Epoch 2/2" in (job / "stdout0.txt").read_text()
    assert (job / "stdout1.txt").read_text() == ""


def test_distribute_tensor_shards_over_the_mesh(job):
    for rank in (0, 1):
        result = _read(job / f"dtensor{rank}.json")
        assert result["local"] == [[4.0 * rank, 4.0 * rank + 1], [4.0 * rank + 2, 4.0 * rank + 3]]
        assert result["full"] == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]


def test_mismatched_models_fail_at_the_first_fit(tmp_path):
    assert workers.launch_unsupervised(workers.mismatched_models, 2, str(tmp_path)) == [1, 1]
    for rank in (0, 1):
        error = (tmp_path / f"error{rank}.txt").read_text()
        assert f"the model of process {rank} differs from the model of process" in error


def test_a_process_group_of_one_trains_as_one_process(tmp_path):
    workers.launch(workers.world_of_one, 1, str(tmp_path))
    workers.training_run(tmp_path)
    run, single = _read(tmp_path / "rank0.json"), _read(tmp_path / "single.json")
    assert run["epochs"] == single["epochs"]
    for key, values in single["history"].items():
        np.testing.assert_allclose(run["history"][key], values, rtol=1e-6)
    for ours, theirs in zip(run["weights"], single["weights"], strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_a_raising_rank_makes_the_others_fail_promptly(tmp_path):
    start = time.monotonic()
    exit_codes = workers.launch_unsupervised(workers.raising_run, 2, str(tmp_path))
    assert time.monotonic() - start < 30
    assert exit_codes == [1, 1]
    assert "deliberate failure on rank 1" in (tmp_path / "error1.txt").read_text()
    assert (tmp_path / "error0.txt").read_text()  # rank 0 raised too: no hang


def test_a_raising_rank_ends_the_torchrun_job_with_its_error():
    script = Path(__file__).with_name("raising_script.py")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "KERASTORCH_DISTRIBUTION_TIMEOUT": "30"}
    env["PYTHONPATH"] = os.pathsep.join([str(script.parents[2]), env.get("PYTHONPATH", "")])
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2",
         str(script)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "deliberate failure on rank 1" in output
    assert time.monotonic() - start < 100
    assert output.count("training data-parallel") == 1  # announced once, on rank 0
