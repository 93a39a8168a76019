"""`RandomColorDegeneration`: blends each image towards its grayscale version, in training.

Example:
    >>> import torch
    >>> layer = RandomColorDegeneration((1.0, 1.0), value_range=(0, 1))
    >>> y = layer(torch.rand(2, 4, 4, 3), training=True)
    >>> bool(torch.allclose(y[..., 0], y[..., 1]))
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import check_value_range
from kerastorch.ops.image.color import rgb_to_grayscale


class RandomColorDegeneration(BaseImagePreprocessingLayer):
    """Mixes each image with its grayscale version by a random factor (training only).

    `outputs = clip(x + f * (gray(x) - x), *value_range)`, with `f` drawn per image in
    `factor`: `0` keeps the image, `1` makes it fully gray. As in Keras, a single number
    `f` means the range `(-f, f)` (negative factors push colours away from gray); pass a
    pair `(f, f)` for a fixed factor.

    Args:
        factor: a float in `[0, 1]` or a pair `(lower, upper)` in `[-1, 1]`.
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the factors reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3) * 255
        >>> bool(torch.equal(RandomColorDegeneration(0.5)(x, training=False), x))
        True
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
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
        """Keras's transformation: one blend factor per image, `(batch, 1, 1, 1)`."""
        return {"factor": self._uniform((batch, 1, 1, 1), *self.factor, device)}

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Blend NCHW images with their grayscale versions."""
        factor = params["factor"].to(x.dtype)
        gray = rgb_to_grayscale(x, data_format="channels_first")
        return (x + factor * (gray - x)).clamp(self.value_range[0], self.value_range[1])

    def compute_output_shape(self, input_shape: tuple, *args: Any, **kwargs: Any) -> tuple:
        check_rgb(input_shape, self.data_format)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }


def check_rgb(input_shape: tuple, data_format: str) -> None:
    """Keras's symbolic check: rank 3 or 4 and, where known, 3 channels."""
    if len(input_shape) not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of "
            f"images). Received: input_shape={input_shape}"
        )
    channels = input_shape[-1 if data_format == "channels_last" else -3]
    if channels is not None and channels != 3:
        raise ValueError(
            f"Input images must have 3 channels, but received images with {channels} channels."
        )
