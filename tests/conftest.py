"""Test-wide setup: the Keras oracle runs on its torch backend; every test starts seeded."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402


@pytest.fixture(autouse=True)
def _seeded_fresh_session():
    """Seed torch and NumPy and reset auto names, so each test sees `dense`, `dense_1`, ..."""
    torch.manual_seed(0)
    np.random.seed(0)
    from kerastorch.utils import naming

    naming.reset_uids()
    yield
