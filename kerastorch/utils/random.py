"""`set_random_seed`: seed Python, NumPy, torch and `keras.random`'s global generator at once,
as `keras.utils.set_random_seed`.

Example:
    >>> import torch

from kerastorch.random.seed_generator import reset_global_seed_generator
    >>> set_random_seed(1); a = torch.rand(1)
    >>> set_random_seed(1); bool(torch.rand(1) == a)
    True
"""

from __future__ import annotations

import random

import numpy as np
import torch

from kerastorch.random.seed_generator import reset_global_seed_generator


def set_random_seed(seed: int) -> None:
    """Seed Python's `random`, NumPy and torch (all devices) with `seed`; the global
    `SeedGenerator` behind `keras.random` ops called with `seed=None` is re-created from it."""
    if not isinstance(seed, int):
        raise ValueError(
            f"Expected `seed` argument to be an integer. Received: seed={seed} (of type "
            f"{type(seed)})"
        )
    reset_global_seed_generator()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
