"""`tf.random`: `set_seed`, `normal`, `uniform` on torch's generator.

Example:
    >>> set_seed(1); a = normal((2,))
    >>> set_seed(1); bool((normal((2,)) == a).all())
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.tf_standin.missing import missing
from kerastorch.utils import set_random_seed


def set_seed(seed: int) -> None:
    """`tf.random.set_seed`: seeds torch, NumPy and Python's `random` (as
    `keras.utils.set_random_seed`)."""
    set_random_seed(seed)


def _generator(seed: int | None) -> torch.Generator | None:
    return None if seed is None else torch.Generator().manual_seed(int(seed))


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = torch.float32,
           seed: int | None = None, name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.random.normal`."""
    out = torch.randn(tuple(shape), generator=_generator(seed), dtype=to_torch_dtype(dtype))
    return out * stddev + mean


def uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = torch.float32,
            seed: int | None = None, name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.random.uniform`: floats in [minval, maxval) (maxval 1 by default); integers need
    `maxval`, as TF."""
    dtype = to_torch_dtype(dtype)
    generator = _generator(seed)
    if not dtype.is_floating_point:
        if maxval is None:
            raise ValueError("tf.random.uniform: `maxval` must be given for integer dtypes.")
        return torch.randint(int(minval), int(maxval), tuple(shape), generator=generator,
                             dtype=dtype)  # fmt: skip
    maxval = 1.0 if maxval is None else maxval
    return torch.rand(tuple(shape), generator=generator, dtype=dtype) * (maxval - minval) + minval


def __getattr__(name: str) -> Any:
    raise missing("tf.random", name)


__all__ = ["normal", "set_seed", "uniform"]
