"""`set_random_seed`: seed Python, NumPy and torch at once, as `keras.utils.set_random_seed`.

Example:
    >>> import torch
    >>> set_random_seed(1); a = torch.rand(1)
    >>> set_random_seed(1); bool(torch.rand(1) == a)
    True
"""

from __future__ import annotations

import random

import numpy as np
import torch


def set_random_seed(seed: int) -> None:
    """Seed Python's `random`, NumPy and torch (all devices) with `seed`."""
    if not isinstance(seed, int):
        raise ValueError(
            f"Expected `seed` argument to be an integer. Received: seed={seed} (of type "
            f"{type(seed)})"
        )
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
