"""`GaussianNoise`: adds zero-centred Gaussian noise in training (a regularizer).

Also home of `seeded_generator`, the per-device seeded `torch.Generator` of the noise layers.

Example:
    >>> import torch
    >>> layer = GaussianNoise(0.1, seed=1)
    >>> x = torch.zeros(2, 3)
    >>> bool((layer(x) == x).all()), bool((layer(x, training=True) != 0).all())
    (True, True)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer


def seeded_generator(layer: Layer, device: torch.device) -> torch.Generator | None:
    """`layer`'s generator on `device`, seeded with `layer.seed` on first use.

    None (torch's global generator) when the layer has no seed, or on the `meta` device.
    Two layers with the same seed draw the same sequence of noise tensors.
    """
    seed = getattr(layer, "seed", None)
    if seed is None or device.type == "meta":
        return None
    generators = layer.__dict__.setdefault("_generators", {})
    if device not in generators:
        generators[device] = torch.Generator(device=device).manual_seed(int(seed))
    return generators[device]


def noise_dtype(layer: Layer, inputs: torch.Tensor) -> torch.dtype:
    """The dtype of the noise: the inputs' when floating, else the layer's compute dtype."""
    if inputs.is_floating_point():
        return inputs.dtype
    return to_torch_dtype(layer.compute_dtype)


class GaussianNoise(Layer):
    """Adds additive zero-centred Gaussian noise of standard deviation `stddev`.

    A regularizer against overfitting (and a form of data augmentation) for real-valued
    inputs. Active only when the call is made with a truthy `training`; otherwise it
    returns its inputs unchanged.

    Args:
        stddev: float in `[0, 1]`, the standard deviation of the noise.
        seed: int, makes the sequence of noise tensors reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> out = GaussianNoise(0.5, seed=0)(torch.zeros(1000, 100), training=True)
        >>> round(float(out.std()), 1)
        0.5
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a float value between "
                f"0 and 1. Received: stddev={stddev}"
            )
        self.stddev = stddev
        self.seed = seed
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.stddev == 0:
            return inputs
        noise = torch.randn(
            inputs.shape,
            generator=seeded_generator(self, inputs.device),
            dtype=noise_dtype(self, inputs),
            device=inputs.device,
        )
        return inputs + noise * self.stddev

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
