"""`keras.random`: seeded random ops and `SeedGenerator`.

Example:
    >>> from kerastorch import random
    >>> gen = random.SeedGenerator(7)
    >>> random.normal((2, 2), seed=gen).shape
    torch.Size([2, 2])
"""

from kerastorch.random.random import (
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from kerastorch.random.seed_generator import SeedGenerator

__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]
