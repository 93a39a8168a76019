"""`RandomPosterization`: keeps only the top bits of each 8-bit value, in training.

Example:
    >>> import torch
    >>> layer = RandomPosterization((1, 1))  # keep 1 bit: values become 0 or 128
    >>> layer(torch.tensor([[[[100.0], [200.0]]]]), training=True).flatten().tolist()
    [0.0, 128.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import (
    check_value_range,
    transform_value_range,
)

_MAX_BITS = 8


class RandomPosterization(BaseImagePreprocessingLayer):
    """Reduces each image to `b` bits per channel, `b` random per image (training only).

    The values are moved to `(0, 255)`, cast to `uint8` (truncating), shifted right and
    back left by `8 - b` bits and moved back to `value_range`. `b` is drawn in
    `[lower, upper)` (upper excluded, as Keras's `randint`), or is `lower` when both are
    equal; a single number `f` means `(1, f)`.

    Args:
        factor: an int in `[1, 8]` or a pair `(lower, upper)` in `[1, 8]`.
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the bit counts reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3) * 255
        >>> bool(torch.equal(RandomPosterization(4)(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (1, 8)

    def __init__(
        self,
        factor: int | tuple[int, int],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = check_value_range(value_range)
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        x = self._augment(x, self._sample(x.shape[0], x.device))
        return self._from_nchw(x, unbatched)

    def _sample(self, batch: int, device: torch.device) -> dict[str, torch.Tensor]:
        """Keras's transformation: `shift_factor = 8 - bits`, `(batch,)` uint8."""
        low, high = int(self.factor[0]), int(self.factor[1])
        if low != high:
            generator = self._generator(device)
            bits = torch.randint(low, high, (batch,), generator=generator, device=device)
        else:
            bits = torch.full((batch,), low, device=device)
        return {"shift_factor": (_MAX_BITS - bits).to(torch.uint8)}

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Posterize NCHW images."""
        dtype = x.dtype
        shift = params["shift_factor"].view(-1, 1, 1, 1)
        x = transform_value_range(x, self.value_range, (0, 255)).to(torch.uint8)
        x = ((x >> shift) << shift).to(dtype)
        return transform_value_range(x, (0, 255), self.value_range)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
