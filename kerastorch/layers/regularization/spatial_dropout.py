"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps (channels) rather than elements.

Example:
    >>> import torch
    >>> out = SpatialDropout1D(0.5, seed=0)(torch.ones(2, 4, 6), training=True)
    >>> bool((out == out[:, :1, :]).all())  # a channel is kept or dropped at every step
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.regularization.dropout import Dropout


class _SpatialDropout(Dropout):
    """Shared body: a Bernoulli mask of shape `(batch, channels)` broadcast over space."""

    rank: int = 0

    def __init__(
        self,
        rate: float,
        data_format: str | None = None,
        seed: int | None = None,
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _spatial_noise_shape(self, inputs: torch.Tensor) -> tuple[int, ...]:
        ones = (1,) * self.rank
        batch = inputs.shape[0]
        if self.data_format == "channels_first":
            return (batch, inputs.shape[1], *ones)
        return (batch, *ones, inputs.shape[-1])

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return torch.zeros_like(inputs)
        keep_prob = 1.0 - self.rate
        dtype = inputs.dtype if inputs.is_floating_point() else torch.float32
        probs = torch.full(
            self._spatial_noise_shape(inputs), keep_prob, dtype=dtype, device=inputs.device
        )
        keep = torch.bernoulli(probs, generator=self._generator(inputs.device)).bool()
        return torch.where(keep, inputs / keep_prob, 0.0)

    def get_config(self) -> dict[str, Any]:
        # Keras's SpatialDropout config: no `trainable`, and `dtype` as a plain name.
        return {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": self.dtype,
            "data_format": self.data_format,
        }


class SpatialDropout1D(_SpatialDropout):
    """Spatial 1D dropout: drops entire 1D feature maps (a channel at every timestep).

    Use it instead of `Dropout` after early convolutions, where neighbouring timesteps are
    strongly correlated. Kept channels are scaled by `1 / (1 - rate)`. Active only when the
    call is made with a truthy `training`.

    Args:
        rate: float in `[0, 1]`, the fraction of the channels to drop.
        seed: int, makes the sequence of masks reproducible.
        name: the layer's name.
        dtype: the layer's dtype.

    Input shape:
        `(samples, timesteps, channels)`. Output shape: the same.

    Example:
        >>> import torch
        >>> SpatialDropout1D(0.2)(torch.ones(2, 3, 4), training=True).shape
        torch.Size([2, 3, 4])
    """

    rank = 1

    def __init__(
        self,
        rate: float,
        seed: int | None = None,
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(rate, "channels_last", seed=seed, name=name, dtype=dtype, **kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["data_format"]
        return config


class SpatialDropout2D(_SpatialDropout):
    """Spatial 2D dropout: drops entire 2D feature maps (a channel at every pixel).

    Kept channels are scaled by `1 / (1 - rate)`. Active only when the call is made with a
    truthy `training`.

    Args:
        rate: float in `[0, 1]`, the fraction of the channels to drop.
        data_format: `"channels_last"` (`(samples, rows, cols, channels)`) or
            `"channels_first"` (`(samples, channels, rows, cols)`); defaults to
            `image_data_format()`.
        seed: int, makes the sequence of masks reproducible.
        name: the layer's name.
        dtype: the layer's dtype.

    Example:
        >>> import torch
        >>> out = SpatialDropout2D(0.5)(torch.ones(2, 3, 3, 8), training=True)
        >>> bool((out == out[:, :1, :1, :]).all())
        True
    """

    rank = 2


class SpatialDropout3D(_SpatialDropout):
    """Spatial 3D dropout: drops entire 3D feature maps (a channel at every voxel).

    Kept channels are scaled by `1 / (1 - rate)`. Active only when the call is made with a
    truthy `training`.

    Args:
        rate: float in `[0, 1]`, the fraction of the channels to drop.
        data_format: `"channels_last"` (`(samples, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(samples, channels, dim1, dim2, dim3)`); defaults to
            `image_data_format()`.
        seed: int, makes the sequence of masks reproducible.
        name: the layer's name.
        dtype: the layer's dtype.

    Example:
        >>> import torch
        >>> SpatialDropout3D(0.5, data_format="channels_first")(torch.ones(2, 4, 1, 2, 3)).shape
        torch.Size([2, 4, 1, 2, 3])
    """

    rank = 3
