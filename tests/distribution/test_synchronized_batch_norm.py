"""`BatchNormalization(synchronized=True)` over 2 processes: the statistics of the whole
global batch, as one process computes them (outputs, moving statistics and gradients)."""

import json

import numpy as np
import pytest
import torch
import torch.distributed as dist

from kerastorch.layers import BatchNormalization
from tests.distribution import workers

pytestmark = pytest.mark.distributed

X = np.random.default_rng(0).normal(2.0, 3.0, size=(8, 5)).astype("float32")


def _run(layer, x):
    x = torch.tensor(x, requires_grad=True)
    y = layer(x, training=True)
    (y * torch.arange(1.0, 6.0)).sum().backward()
    return {"y": y.tolist(), "grad": x.grad.tolist(), "mean": layer.moving_mean.numpy().tolist(),
            "variance": layer.moving_variance.numpy().tolist()}  # fmt: skip


def _synchronized(rank, out):
    dist.init_process_group("gloo")
    half = X[4 * rank : 4 * rank + 4]
    result = _run(BatchNormalization(synchronized=True, momentum=0.5), half)
    with open(f"{out}/rank{rank}.json", "w") as f:
        json.dump(result, f)


def test_synchronized_statistics_are_the_global_batch(tmp_path):
    workers.launch(_synchronized, 2, str(tmp_path))
    whole = _run(BatchNormalization(momentum=0.5), X)
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    np.testing.assert_allclose(np.concatenate([r["y"] for r in ranks]), whole["y"], atol=1e-5)
    # Each process's input gradient is its rows of the whole batch's gradient (the loss of
    # each process is its own rows' sum; SyncBatchNorm's rule).
    grads = np.concatenate([r["grad"] for r in ranks])
    np.testing.assert_allclose(grads, whole["grad"], atol=1e-5)
    for r in ranks:
        np.testing.assert_allclose(r["mean"], whole["mean"], atol=1e-5)
        np.testing.assert_allclose(r["variance"], whole["variance"], atol=1e-5)
