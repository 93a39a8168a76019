"""`RandomHue`: rotates the hue of each image by a random amount, in training.

Example:
    >>> import torch
    >>> red = torch.tensor([[[[255.0, 0.0, 0.0]]]])  # (1, 1, 1, 3)
    >>> RandomHue((1.0, 1.0))(red, training=True).flatten().round().tolist()  # half a turn
    [0.0, 255.0, 255.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import transform_value_range
from kerastorch.ops.image.color import hsv_to_rgb, rgb_to_hsv


class RandomHue(BaseImagePreprocessingLayer):
    """Shifts the hue of each image by a random fraction of a turn (training only).

    Per image, `f` is drawn in `factor` and a random sign `s`; the hue (in `[0, 1]`) is
    shifted by `s * f / 2` (wrapped into `[0, 1]`): `factor=1.0` allows half a turn either
    way, `factor=0` keeps the image. A single number `f` means the range `(0, f)`.

    Args:
        factor: a float in `[0, 1]` or a pair `(lower, upper)` in `[0, 1]`.
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the shifts reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3) * 255
        >>> bool(torch.equal(RandomHue(0.5)(x, training=False), x))
        True
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        x = self._augment(x, self._sample(x.shape[0], x.device))
        return self._from_nchw(x, unbatched)

    def _sample(self, batch: int, device: torch.device) -> dict[str, torch.Tensor]:
        """Keras's transformation: the signed hue shift of each image, `(batch,)`."""
        sign = torch.where(self._uniform((batch,), 0.0, 1.0, device) > 0.5, -1.0, 1.0)
        return {"factor": sign * self._uniform((batch,), *self.factor, device) * 0.5}

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Shift the hue of NCHW images."""
        x = transform_value_range(x, self.value_range, (0, 1))
        hsv = rgb_to_hsv(x, data_format="channels_first")
        hue = hsv[:, 0] + params["factor"].to(x.dtype).view(-1, 1, 1)
        hue = torch.where(hue > 1.0, hue - 1.0, hue)
        hue = torch.where(hue < 0.0, hue + 1.0, hue)
        hsv = torch.stack([hue, hsv[:, 1], hsv[:, 2]], dim=1)
        x = hsv_to_rgb(hsv, data_format="channels_first").clamp(0, 1)
        return transform_value_range(x, (0, 1), self.value_range)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
