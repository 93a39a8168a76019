"""The random initializers: `RandomNormal`, `TruncatedNormal`, `RandomUniform`,
`VarianceScaling` and its presets (Glorot, He, LeCun), and `Orthogonal`.

Seeding:
    `seed=<int>` makes an initializer deterministic: every call returns the same values, as
    in Keras 3. `seed=None` draws from torch's global generator, so `torch.manual_seed(...)`
    makes a whole model reproducible (Keras instead picks a random seed once per unseeded
    initializer). The values are not Keras's random stream; their distributions are.

Example:
    >>> RandomUniform(minval=0.0, maxval=1.0, seed=0)((2, 2)).shape
    torch.Size([2, 2])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import torch

from kerastorch.common import serialization
from kerastorch.common.dtypes import standardize_dtype
from kerastorch.initializers.initializer import Initializer, Shape, as_shape, place, torch_dtype

__all__ = [
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "LecunNormal",
    "LecunUniform",
    "Orthogonal",
    "RandomInitializer",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "compute_fans",
]


class RandomInitializer(Initializer):
    """Base of the random initializers: seed handling and sampling on torch generators."""

    def __init__(self, seed: int | dict[str, Any] | None = None):
        self._init_seed = seed
        self._generator: torch.Generator | None = None
        if isinstance(seed, dict):
            # A Keras `SeedGenerator` config: a stream that advances on every call.
            inner = seed.get("config") or {}
            self._generator = torch.Generator().manual_seed(int(inner.get("seed") or 0))
        elif seed is not None and not isinstance(seed, int):
            raise ValueError(
                "`seed` argument should be an instance of `keras.random.SeedGenerator()` or an "
                f"integer. Received: seed={seed}"
            )
        self.seed = seed

    def get_config(self) -> dict[str, Any]:
        return {"seed": serialization.serialize_keras_object(self._init_seed)}

    def _generator_for_call(self) -> torch.Generator | None:
        """A fresh generator for an int seed (same values on each call), else a stream."""
        if isinstance(self.seed, int):
            return torch.Generator().manual_seed(self.seed)
        return self._generator  # None: torch's global generator

    def _empty(self, shape: Shape, dtype: Any) -> tuple[torch.Tensor, torch.dtype]:
        """An uninitialized CPU tensor to sample into (float32, or float64 when asked)."""
        dtype = torch_dtype(dtype)
        if not dtype.is_floating_point:
            raise ValueError(
                f"{type(self).__name__} draws random floats and expects a floating dtype. "
                f"Received: dtype={standardize_dtype(dtype)!r}"
            )
        work = torch.float64 if dtype == torch.float64 else torch.float32
        return torch.empty(as_shape(shape), dtype=work), dtype

    def _normal(self, shape: Shape, mean: float, stddev: float, dtype: Any) -> torch.Tensor:
        t, dtype = self._empty(shape, dtype)
        t.normal_(mean, stddev, generator=self._generator_for_call())
        return place(t.to(dtype))

    def _truncated_normal(
        self, shape: Shape, mean: float, stddev: float, dtype: Any
    ) -> torch.Tensor:
        """Normal values, each one outside `mean +- 2 * stddev` redrawn until it falls inside.

        Rejection sampling: 4.6% of the values are redrawn once, 0.2% twice, ...; about
        15 times faster than `torch.nn.init.trunc_normal_`'s inverse CDF on a CPU.
        """
        t, dtype = self._empty(shape, dtype)
        generator = self._generator_for_call()
        t.normal_(generator=generator)
        flat = t.view(-1)
        redraw = (flat.abs() > 2).nonzero().squeeze(1)
        while redraw.numel():
            values = torch.randn(redraw.numel(), dtype=t.dtype, generator=generator)
            inside = values.abs() <= 2
            flat[redraw[inside]] = values[inside]
            redraw = redraw[~inside]
        return place(t.mul_(stddev).add_(mean).to(dtype))

    def _uniform(self, shape: Shape, minval: float, maxval: float, dtype: Any) -> torch.Tensor:
        t, dtype = self._empty(shape, dtype)
        t.uniform_(minval, maxval, generator=self._generator_for_call())
        return place(t.to(dtype))


class RandomNormal(RandomInitializer):
    """Normal distribution with `mean` and `stddev`.

    Example:
        >>> RandomNormal(stddev=1.0, seed=1)((2, 2)).shape
        torch.Size([2, 2])
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return self._normal(shape, self.mean, self.stddev, dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Normal distribution with `mean` and `stddev`, values beyond two `stddev` redrawn."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return self._truncated_normal(shape, self.mean, self.stddev, dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Uniform distribution on `[minval, maxval)`."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return self._uniform(shape, self.minval, self.maxval, dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(
    shape: Shape, input_axes: Sequence[int] | None = None, output_axes: Sequence[int] | None = None
) -> tuple[int, int]:
    """`(fan_in, fan_out)` of a Keras-layout weight shape, as Keras computes them.

    Rank 1: both are `shape[0]`; rank 2: `(shape[0], shape[1])`; conv kernels
    `(*spatial, in, out)`: `in` and `out` times the receptive field size. `input_axes` and
    `output_axes`, when both given, name the axes to multiply instead.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = as_shape(shape)
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Scale the distribution to the weight's fans: variance `scale / n`.

    `n` is `fan_in`, `fan_out` or their mean (`mode`). Distributions:
    `"truncated_normal"` (stddev `sqrt(scale / n) / 0.8796...`, so that the variance after
    truncation at two stddevs is `scale / n`), `"untruncated_normal"` (stddev
    `sqrt(scale / n)`) and `"uniform"` (on `[-limit, limit]`, `limit = sqrt(3 * scale / n)`).

    Args:
        scale: Positive scaling factor. Defaults to `1.0`.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`. Defaults to `"fan_in"`.
        distribution: `"truncated_normal"` (also `"normal"`), `"untruncated_normal"` or
            `"uniform"`. Defaults to `"truncated_normal"`.
        seed: An int for reproducible values, or `None`.
        input_axes / output_axes: Axes whose sizes make the fans (see `compute_fans`).

    Example:
        >>> VarianceScaling(scale=2.0, distribution="uniform", seed=0)((4, 3)).abs().max() <= 1.5
        tensor(True)
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: int | None = None,
        input_axes: Sequence[int] | None = None,
        output_axes: Sequence[int] | None = None,
    ):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        allowed_modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in allowed_modes:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {allowed_modes}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        allowed_distributions = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in allowed_distributions:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}. Please use one of "
                f"{allowed_distributions}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def scaled_variance(self, shape: Shape) -> float:
        """`scale / n` for a weight of this shape (the target variance)."""
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        return self.scale / max(1.0, n)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        variance = self.scaled_variance(shape)
        if self.distribution == "truncated_normal":
            # 0.8796... is the stddev of a standard normal truncated to [-2, 2].
            stddev = math.sqrt(variance) / 0.87962566103423978
            return self._truncated_normal(shape, 0.0, stddev, dtype)
        if self.distribution == "untruncated_normal":
            return self._normal(shape, 0.0, math.sqrt(variance), dtype)
        limit = math.sqrt(3.0 * variance)
        return self._uniform(shape, -limit, limit, dtype)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _FixedVarianceScaling(VarianceScaling):
    """A `VarianceScaling` preset: only `seed` and the fan axes are arguments."""

    _preset: ClassVar[tuple[float, str, str]]  # (scale, mode, distribution)

    def __init__(
        self,
        seed: int | None = None,
        input_axes: Sequence[int] | None = None,
        output_axes: Sequence[int] | None = None,
    ):
        scale, mode, distribution = self._preset
        super().__init__(scale, mode, distribution, seed, input_axes, output_axes)

    def get_config(self) -> dict[str, Any]:
        return {
            "seed": serialization.serialize_keras_object(self._init_seed),
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform: `[-limit, limit]` with `limit = sqrt(6 / (fan_in + fan_out))`.

    Example:
        >>> GlorotUniform(seed=0)((6, 6)).abs().max() <= math.sqrt(6 / 12)
        tensor(True)
    """

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal, stddev `sqrt(2 / (fan_in + fan_out))`."""

    _preset = (1.0, "fan_avg", "truncated_normal")


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal: truncated normal with stddev `sqrt(1 / fan_in)`."""

    _preset = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform: `[-limit, limit]` with `limit = sqrt(3 / fan_in)`."""

    _preset = (1.0, "fan_in", "uniform")


class HeNormal(_FixedVarianceScaling):
    """He normal: truncated normal with stddev `sqrt(2 / fan_in)`."""

    _preset = (2.0, "fan_in", "truncated_normal")


class HeUniform(_FixedVarianceScaling):
    """He uniform: `[-limit, limit]` with `limit = sqrt(6 / fan_in)`."""

    _preset = (2.0, "fan_in", "uniform")


class Orthogonal(RandomInitializer):
    """A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a normal matrix.

    Shapes of rank > 2 are treated as `(prod(shape[:-1]), shape[-1])` and reshaped back.
    With fewer rows than columns the rows are orthonormal, otherwise the columns.

    Example:
        >>> w = Orthogonal(seed=0)((4, 3))
        >>> torch.allclose(w.T @ w, torch.eye(3), atol=1e-6)
        True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        shape = as_shape(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. Received: "
                f"shape={shape} of rank {len(shape)}."
            )
        num_rows, num_cols = math.prod(shape[:-1]), shape[-1]
        a, dtype = self._empty((max(num_rows, num_cols), min(num_rows, num_cols)), dtype)
        a.normal_(generator=self._generator_for_call())
        q, r = torch.linalg.qr(a)
        q = q * torch.sign(torch.diagonal(r))  # a unique decomposition: diag(r) > 0
        if num_rows < num_cols:
            q = q.T
        return place((self.gain * q.reshape(shape)).to(dtype))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "gain": self.gain}
