"""`GaussianDropout`: multiplies the inputs by 1-centred Gaussian noise in training.

Example:
    >>> import torch
    >>> x = torch.ones(2, 3)
    >>> bool((GaussianDropout(0.2)(x) == x).all())
    True
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch.layers.layer import Layer
from kerastorch.layers.regularization.gaussian_noise import noise_dtype, seeded_generator


class GaussianDropout(Layer):
    """Multiplicative 1-centred Gaussian noise, of standard deviation `sqrt(rate / (1 - rate))`.

    The variance matches that of `Dropout(rate)`'s mask, and the expected output equals the
    input. Active only when the call is made with a truthy `training`; otherwise it returns
    its inputs unchanged.

    Args:
        rate: float in `[0, 1)`, the drop probability of the equivalent `Dropout`.
        seed: int, makes the sequence of noise tensors reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> out = GaussianDropout(0.5, seed=0)(torch.ones(1000, 100), training=True)
        >>> round(float(out.mean()), 1), round(float(out.std()), 1)
        (1.0, 1.0)
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between 0 "
                f"and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = torch.randn(
            inputs.shape,
            generator=seeded_generator(self, inputs.device),
            dtype=noise_dtype(self, inputs),
            device=inputs.device,
        )
        return inputs * (noise * stddev + 1.0)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
