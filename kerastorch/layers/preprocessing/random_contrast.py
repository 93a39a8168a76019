"""`RandomContrast`: scales each image's deviation from its mean by a random factor.

Example:
    >>> import torch
    >>> RandomContrast(0.5, seed=0)(torch.rand(2, 8, 8, 3) * 255, training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandomContrast(BaseImagePreprocessingLayer):
    """Adjusts the contrast of each image by a random factor (training only).

    Per image and channel, `outputs = (x - mean) * c + mean`, with `mean` taken over the
    pixels and `c` drawn per image in `[1 - lower, 1 + upper]`; then clipped to
    `value_range`. As in Keras 3, a single number `f` is stored as `factor=(0, f)` (bounds
    `[0, 1]`), so it only *raises* contrast, up to `1 + f`; pass a pair `(f, f)` for the
    symmetric range `[1 - f, 1 + f]`.

    Args:
        factor: a float in `[0, 1]` or a pair `(lower, upper)`.
        value_range: `(min, max)` of the image values (default `(0, 255)`).
        seed: int, makes the factors reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(1, 8, 8, 3)
        >>> bool(torch.equal(RandomContrast(0.3)(x, training=False), x))
        True
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, **kwargs)
        self.value_range = value_range
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        factor = self._uniform(
            (x.shape[0], 1, 1, 1), 1.0 - self.factor[0], 1.0 + self.factor[1], x.device
        ).to(x.dtype)
        mean = x.mean(dim=(2, 3), keepdim=True)
        x = ((x - mean) * factor + mean).clamp(self.value_range[0], self.value_range[1])
        return self._from_nchw(x, unbatched)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
