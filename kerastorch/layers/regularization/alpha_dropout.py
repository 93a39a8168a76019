"""`AlphaDropout`: dropout that keeps the mean and variance of SELU activations.

Example:
    >>> import torch
    >>> x = torch.randn(4, 5)
    >>> AlphaDropout(0.1)(x) is x
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.layer import Layer
from kerastorch.layers.regularization.gaussian_noise import seeded_generator

# SELU's constants; dropped units are set to SELU's negative saturation value.
_ALPHA = 1.6732632423543772
_SCALE = 1.0507009873554805
_ALPHA_P = -_ALPHA * _SCALE


class AlphaDropout(Layer):
    """Dropout for self-normalizing networks (SELU activations, LeCun-normal init).

    In training, each input is set to `alpha' = -alpha * scale` (SELU's saturation value)
    with probability `rate`, then the result is transformed affinely by `a * x + b`, with
    `a = ((1 - rate) * (1 + rate * alpha'^2)) ** -0.5` and `b = -a * alpha' * rate`, so
    that inputs of zero mean and unit variance keep them. Active only when the call is
    made with a truthy `training`; otherwise it returns its inputs.

    Args:
        rate: float in `[0, 1)`, the drop probability.
        noise_shape: shape of the binary mask, broadcast to the inputs; `None` in it takes
            the input's size.
        seed: int, makes the sequence of masks reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> out = AlphaDropout(0.2, seed=1)(torch.randn(1000, 100), training=True)
        >>> abs(float(out.mean())) < 0.05, round(float(out.std()), 1)
        (True, 1.0)
    """

    def __init__(
        self,
        rate: float,
        noise_shape: tuple[int | None, ...] | list[int | None] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between 0 "
                f"and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        shape = tuple(inputs.shape)
        if self.noise_shape is not None:
            if len(self.noise_shape) != len(shape):
                raise ValueError(
                    f"Layer '{self.name}' (AlphaDropout): `noise_shape` must have the rank of "
                    f"the inputs. Received: noise_shape={self.noise_shape}, inputs.shape={shape}"
                )
            shape = tuple(
                s if d is None else d for d, s in zip(self.noise_shape, shape, strict=True)
            )
        uniform = torch.rand(
            shape,
            generator=seeded_generator(self, inputs.device),
            dtype=inputs.dtype if inputs.is_floating_point() else torch.float32,
            device=inputs.device,
        )
        a = ((1 - self.rate) * (1 + self.rate * _ALPHA_P**2)) ** -0.5
        b = -a * _ALPHA_P * self.rate
        x = torch.where(uniform >= self.rate, inputs, _ALPHA_P)
        return x * a + b

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }
