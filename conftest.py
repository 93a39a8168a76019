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
    from kerastorch.utils import naming

    naming.reset_uids()
    return
