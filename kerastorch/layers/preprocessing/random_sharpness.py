"""`RandomSharpness`: sharpens or blurs each image by a random amount, in training.

Example:
    >>> import torch
    >>> x = torch.rand(2, 6, 6, 3) * 255
    >>> RandomSharpness(0.5, seed=0)(x, training=True).shape
    torch.Size([2, 6, 6, 3])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import check_value_range


class RandomSharpness(BaseImagePreprocessingLayer):
    """Blends each image with a smoothed copy by a random factor (training only).

    The smoothed image is a depthwise 3x3 convolution (weights `1/13`, centre `5/13`,
    zero padding); with `f` drawn per image in `factor`,
    `outputs = clip(x + (1 - 2 f) * (smoothed - x), *value_range)`: `f = 0.5` keeps the
    image, `0` gives the smoothed one, `1` sharpens. A single number `f` means `(0, f)`.

    Args:
        factor: a float in `[0, 1]` or a pair `(lower, upper)` in `[0, 1]`.
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the factors reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3) * 255
        >>> bool(torch.allclose(RandomSharpness((0.5, 0.5))(x, training=True), x))
        True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: float | tuple[float, float],
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
        """Keras's transformation: one sharpness factor per image, `(batch,)`."""
        return {"factor": self._uniform((batch,), *self.factor, device)}

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Sharpen NCHW images."""
        channels = x.shape[1]
        sharpness = (params["factor"] * 2).to(x.dtype).view(-1, 1, 1, 1)
        kernel = torch.full((3, 3), 1.0 / 13.0, dtype=x.dtype, device=x.device)
        kernel[1, 1] = 5.0 / 13.0
        kernel = kernel.expand(channels, 1, 3, 3)
        smoothed = F.conv2d(x, kernel, padding=1, groups=channels)
        x = x + (1.0 - sharpness) * (smoothed - x)
        return x.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
