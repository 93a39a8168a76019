"""Repository-wide pytest setup (tests and doctests): the Keras oracle runs on its torch
backend, and every test or doctest starts seeded, with fresh automatic layer names."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import pytest
import torch

# Test tensors are small: one thread avoids two spinning threads on a 2-core machine.
torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def _seeded_fresh_session():
    """Seed torch and NumPy and reset auto names, so each test sees `dense`, `dense_1`, ..."""
    torch.manual_seed(0)
    np.random.seed(0)
    from kerastorch.common import naming

    naming.reset_uids()
    return


def pytest_collection_modifyitems(config, items):
    """`gpu`-marked tests need CUDA: skipped where torch sees none."""
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


def pytest_sessionfinish(session, exitstatus):
    """With KERASTORCH_ORACLE_REPORT=path, write the layer-vs-Keras table of `check_layer`."""
    path = os.environ.get("KERASTORCH_ORACLE_REPORT")
    if not path:
        return
    from tests.layer_checks import ORACLE_CASES

    lines = ["| layer | configurations compared with Keras | max abs difference |", "|---|---|---|"]
    lines += [f"| {name} | {n} | {diff:.2e} |" for name, (n, diff) in sorted(ORACLE_CASES.items())]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
