"""`Dropout`: zeroes a random fraction `rate` of the inputs in training, scaling the rest.

Example:
    >>> import torch
    >>> layer = Dropout(0.5)
    >>> x = torch.ones(2, 4)
    >>> bool((layer(x) == x).all())  # inactive outside training
    True
    >>> sorted(set(layer(x, training=True).flatten().tolist())) <= [0.0, 2.0]
    True
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.layer import Layer


class Dropout(Layer):
    """Applies dropout: in training, each input is set to 0 with probability `rate` and the
    others are scaled by `1 / (1 - rate)`, so that the expected sum is unchanged.

    Active only when the call is made with a truthy `training` (passed explicitly, or by
    `fit()` / a model called with `training=True`); otherwise it returns its inputs.

    Args:
        rate: float in `[0, 1]`, the fraction of the inputs to drop.
        noise_shape: shape of the binary dropout mask, broadcast to the inputs; `None` in
            it takes the input's size. E.g. `(batch, 1, features)` drops the same features at
            every timestep.
        seed: int, makes the sequence of masks reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> Dropout(0.25, noise_shape=(None, 1, 3))(torch.ones(2, 5, 3), training=True).shape
        torch.Size([2, 5, 3])
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
        self.noise_shape = _validate_noise_shape(noise_shape)
        self._generators: dict[torch.device, torch.Generator] = {}
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return torch.zeros_like(inputs)
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, training=True)
        keep_prob = 1.0 - self.rate
        shape = self._concrete_noise_shape(inputs)
        probs = torch.full(shape, keep_prob, dtype=inputs.dtype, device=inputs.device)
        keep = torch.bernoulli(probs, generator=self._generator(inputs.device)).bool()
        return torch.where(keep, inputs / keep_prob, 0.0)

    def _concrete_noise_shape(self, inputs: torch.Tensor) -> tuple[int, ...]:
        if self.noise_shape is None:
            return tuple(inputs.shape)
        if len(self.noise_shape) != inputs.ndim:
            raise ValueError(
                f"Layer '{self.name}' (Dropout): `noise_shape` must have the rank of the "
                f"inputs. Received: noise_shape={self.noise_shape}, inputs.shape="
                f"{tuple(inputs.shape)}"
            )
        return tuple(
            size if dim is None else dim
            for dim, size in zip(self.noise_shape, inputs.shape, strict=False)
        )

    def _generator(self, device: torch.device) -> torch.Generator | None:
        """The seeded generator of `device` (None when unseeded or tracing on `meta`)."""
        if self.seed is None or device.type == "meta":
            return None
        if device not in self._generators:
            self._generators[device] = torch.Generator(device=device).manual_seed(self.seed)
        return self._generators[device]

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }


def _validate_noise_shape(noise_shape: Any) -> tuple[int | None, ...] | None:
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str):
        raise ValueError(
            "Invalid value received for argument `noise_shape`. Expected a tuple or list of "
            f"integers. Received: noise_shape={noise_shape}"
        )
    try:
        noise_shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(
            "Invalid value received for argument `noise_shape`. Expected an iterable of "
            f"integers (e.g., a tuple or list). Received: noise_shape={noise_shape}"
        ) from None
    for i, dim in enumerate(noise_shape):
        if dim is None:
            continue
        if not isinstance(dim, int) or isinstance(dim, bool):
            raise ValueError(
                "Invalid value received for argument `noise_shape`. Expected all elements to "
                f"be integers or None. Received element at index {i}: {dim} "
                f"(type: {type(dim).__name__})"
            )
        if dim <= 0:
            raise ValueError(
                "Invalid value received for argument `noise_shape`. Expected all dimensions to "
                f"be positive integers or None. Received negative or zero value at index {i}: "
                f"{dim}"
            )
    return noise_shape
