"""Keras's random ops (`keras.random`): the torch backend's algorithms, draw for draw.

Each op takes `seed`: an int (the same numbers on every call), a `SeedGenerator` (new
numbers on each call, reproducible from its seed) or `None` (the global generator). For an
integer seed on the same device, the numbers equal Keras's on the torch backend.
Shape-only draws land on `config.default_device()` (or the `SeedGenerator`'s device);
draws from a tensor (`dropout`, `shuffle`, `categorical`) land on that tensor's device.

Example:
    >>> from kerastorch import random
    >>> bool((random.normal((2, 3), seed=1) == random.normal((2, 3), seed=1)).all())
    True
    >>> random.randint((4,), 0, 10, seed=0).dtype
    torch.int32
"""

from __future__ import annotations

from typing import Any

import torch
from torch.distributions import Beta, Binomial, Gamma

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.random.seed_generator import (
    SeedGenerator,
    draw_device,
    draw_seed,
    torch_generator,
)

Seed = int | SeedGenerator | None


def _shape(shape: Any) -> tuple[int, ...]:
    return tuple(int(d) for d in shape)


def _float_dtype(op: str, dtype: Any) -> torch.dtype:
    name = standardize_dtype(dtype or config.floatx())
    if not name.startswith(("float", "bfloat")):
        raise ValueError(f"`keras.random.{op}` requires a floating point `dtype`. "
                         f"Received: dtype={dtype} ")  # fmt: skip
    return to_torch_dtype(name)


def normal(
    shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Samples of a normal distribution `N(mean, stddev**2)` of the given `shape`.

    Example:
        >>> normal((2,), seed=0).shape
        torch.Size([2])
    """
    device = draw_device(seed)
    generator = torch_generator(seed, device)
    return torch.normal(mean, stddev, size=_shape(shape), generator=generator,
                        dtype=_float_dtype("normal", dtype), device=device)  # fmt: skip


def uniform(
    shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Samples of the uniform distribution on `[minval, maxval)`.

    Example:
        >>> x = uniform((100,), minval=2.0, maxval=3.0, seed=0)
        >>> bool(((x >= 2) & (x < 3)).all())
        True
    """
    dtype = _float_dtype("uniform", dtype)
    shape = _shape(shape)
    device = draw_device(seed)
    generator = torch_generator(seed, device)
    x = torch.rand(shape or (1,), generator=generator, dtype=dtype, device=device)
    x = (maxval - minval) * x + minval
    return x if shape else x[0]


def randint(
    shape: Any, minval: int, maxval: int, dtype: Any = "int32", seed: Seed = None
) -> torch.Tensor:
    """Random integers in `[minval, maxval)`.

    Example:
        >>> x = randint((50,), 3, 5, seed=0)
        >>> sorted(set(x.tolist()))
        [3, 4]
    """
    name = standardize_dtype(dtype)
    if not name.startswith(("int", "uint")):
        raise ValueError(
            f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype} "
        )
    device = draw_device(seed)
    generator = torch_generator(seed, device)
    return torch.randint(minval, maxval, _shape(shape), generator=generator,
                         dtype=to_torch_dtype(name), device=device)  # fmt: skip


def truncated_normal(
    shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Normal samples within two standard deviations of `mean`.

    As Keras, each value is the first of four standard-normal draws that falls inside
    `(-2, 2)`. Where none of the four does (probability ~4e-6 per value) Keras keeps the
    first draw, out of range; here it is folded into range with `fmod(first, 2)`, so the
    bound always holds and the numbers differ from Keras's only at those values.

    Example:
        >>> x = truncated_normal((1000,), seed=0)
        >>> bool((x.abs() < 2).all())
        True
    """
    dtype = _float_dtype("truncated_normal", dtype)
    x = normal((*_shape(shape), 4), dtype=dtype, seed=seed)
    valid = (x > -2) & (x < 2)
    has_valid, index = valid.max(-1, keepdim=True)
    picked = x.gather(-1, index)
    picked = torch.where(has_valid, picked, torch.fmod(x[..., :1], 2.0)).squeeze(-1)
    return picked * stddev + mean


def categorical(
    logits: Any, num_samples: int, dtype: Any = "int32", seed: Seed = None
) -> torch.Tensor:
    """Draw `num_samples` class indices per row of `logits` (`(batch, classes)`, unnormalized
    log-probabilities); returns `(batch, num_samples)`.

    Example:
        >>> import torch
        >>> categorical(torch.tensor([[-1e9, 0.0]]), 3, seed=0).tolist()
        [[1, 1, 1]]
    """
    logits = convert_to_tensor(logits)
    if logits.ndim != 2:
        raise ValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits={logits}"
        )
    probs = torch.softmax(logits, dim=-1)
    generator = torch_generator(seed, probs.device)
    samples = torch.multinomial(probs, num_samples, replacement=True, generator=generator)
    return samples.to(to_torch_dtype(dtype))


def dropout(inputs: Any, rate: float, noise_shape: Any = None, seed: Seed = None) -> torch.Tensor:
    """Zero entries of `inputs` with probability `rate`; scale the rest by `1 / (1 - rate)`.

    `noise_shape` (with `None` for "as `inputs`") shares the mask along the axes of size 1.
    Unseeded (no seed, or a `SeedGenerator` created without one) and without
    `noise_shape`, it uses torch's fast `F.dropout` and global generator, as Keras does.

    Example:
        >>> import torch
        >>> y = dropout(torch.ones(1000), 0.5, seed=0)
        >>> sorted(set(y.tolist()))
        [0.0, 2.0]
    """
    inputs = convert_to_tensor(inputs)
    if rate == 1.0:
        return torch.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    seeded = seed is not None and not (
        isinstance(seed, SeedGenerator) and seed._initial_seed is None
    )
    if not seeded and noise_shape is None:
        return torch.nn.functional.dropout(inputs, p=rate, training=True)
    keep_prob = 1.0 - rate
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = [
            d if n is None else n for d, n in zip(inputs.shape, noise_shape, strict=False)
        ]
    keep = torch.full(tuple(noise_shape), keep_prob, device=inputs.device)
    mask = torch.bernoulli(keep, generator=torch_generator(seed, inputs.device)).bool()
    mask = torch.broadcast_to(mask, inputs.shape)
    return torch.where(mask, inputs / keep_prob, torch.zeros_like(inputs))


def shuffle(x: Any, axis: int = 0, seed: Seed = None) -> torch.Tensor:
    """Shuffle `x` along `axis` (whole slices move together).

    Example:
        >>> import torch
        >>> sorted(shuffle(torch.arange(5), seed=0).tolist())
        [0, 1, 2, 3, 4]
    """
    x = convert_to_tensor(x)
    axis = axis + x.ndim if axis < 0 else axis
    generator = torch_generator(seed, x.device)
    perm = torch.rand(x.shape[: axis + 1], generator=generator, device=x.device).argsort(axis)
    perm = perm.reshape(perm.shape + (1,) * (x.ndim - axis - 1)).expand(x.shape)
    return x.gather(axis, perm)


def _sample_with_seed(distribution: Any, device: torch.device, seed: Seed) -> torch.Tensor:
    """Sample a `torch.distributions` object from `seed`, leaving torch's global generators
    as they were (Keras seeds the global generator and restores it afterwards)."""
    if device.type == "meta":
        return distribution.sample()
    value = draw_seed(seed)
    if device.type == "cuda":
        with torch.random.fork_rng(devices=[device]), torch.cuda.device(device):
            torch.cuda.manual_seed(value)
            return distribution.sample()
    with torch.random.fork_rng(devices=[]):
        if device.type == "cpu":
            torch.random.default_generator.manual_seed(value)
        else:
            torch.manual_seed(value)
        return distribution.sample()


def gamma(shape: Any, alpha: Any, dtype: Any = None, seed: Seed = None) -> torch.Tensor:
    """Samples of the gamma distribution of concentration `alpha` (rate 1).

    Example:
        >>> gamma((3,), alpha=2.0, seed=0).shape
        torch.Size([3])
    """
    dtype = to_torch_dtype(dtype or config.floatx())
    shape = _shape(shape)
    device = draw_device(seed)
    alpha = torch.broadcast_to(convert_to_tensor(alpha).to(device), shape)
    rate = torch.ones(shape, device=device)
    return _sample_with_seed(Gamma(alpha, rate), device, seed).to(dtype)


def binomial(
    shape: Any, counts: Any, probabilities: Any, dtype: Any = None, seed: Seed = None
) -> torch.Tensor:
    """Numbers of successes in `counts` trials of success probability `probabilities`.

    Example:
        >>> binomial((4,), counts=5, probabilities=1.0, seed=0).tolist()
        [5.0, 5.0, 5.0, 5.0]
    """
    dtype = to_torch_dtype(dtype or config.floatx())
    shape = _shape(shape)
    device = draw_device(seed)
    counts = torch.broadcast_to(convert_to_tensor(counts).to(device), shape)
    probabilities = torch.broadcast_to(convert_to_tensor(probabilities).to(device), shape)
    distribution = Binomial(total_count=counts, probs=probabilities)
    return _sample_with_seed(distribution, device, seed).to(dtype)


def beta(shape: Any, alpha: Any, beta: Any, dtype: Any = None, seed: Seed = None) -> torch.Tensor:
    """Samples of the beta distribution of concentrations `alpha` and `beta`, in `[0, 1]`.

    Example:
        >>> x = beta((10,), alpha=2.0, beta=3.0, seed=0)
        >>> bool(((x >= 0) & (x <= 1)).all())
        True
    """
    dtype = to_torch_dtype(dtype or config.floatx())
    shape = _shape(shape)
    device = draw_device(seed)
    alpha = torch.broadcast_to(convert_to_tensor(alpha).to(device), shape)
    beta = torch.broadcast_to(convert_to_tensor(beta).to(device), shape)
    distribution = Beta(concentration1=alpha, concentration0=beta)
    return _sample_with_seed(distribution, device, seed).to(dtype)
