"""`Equalization`: histogram equalization of each image channel, in training.

Example:
    >>> import torch
    >>> x = torch.tensor([0.0, 0.0, 10.0, 20.0]).reshape(1, 2, 2, 1)
    >>> Equalization()(x).flatten().tolist()
    [0.0, 0.0, 128.0, 255.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import check_value_range


class Equalization(BaseImagePreprocessingLayer):
    """Equalizes the histogram of each channel (Keras's `Equalization`).

    Per channel, a `bins`-bin histogram of the values (moved to `(0, 255)`) gives a
    lookup table `round(255 * (cdf - cdf_min) / (cdf[-1] - cdf_min))` applied to each
    pixel; channels with at most one occupied bin are left as they are. As in Keras, one
    histogram per channel is taken over the whole *batch*, and the layer equalizes only
    in training: `training=False` (`predict`, `evaluate`) returns the images unchanged.
    The histogram is a device `scatter_add_` (no host sync).

    Args:
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        bins: number of histogram bins (default 256).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 8, 8, 3)
        >>> bool(torch.equal(Equalization(value_range=(0, 1))(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        bins: int = 256,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = bins
        self.value_range = check_value_range(value_range)

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        return self._from_nchw(self._equalize(x), unbatched)

    def _equalize(self, x: torch.Tensor) -> torch.Tensor:
        """Equalize NCHW images (one histogram per channel over the batch)."""
        n, c, h, w = x.shape
        bins = self.bins
        low, high = self.value_range
        scale = 255.0 / (high - low)
        x = x * scale + (0.0 - low * scale)
        index = (x * (bins - 1) / 255.0).to(torch.int32).clamp(0, bins - 1)
        flat = index.transpose(0, 1).reshape(c, n * h * w).long()
        hist = torch.zeros(c, bins, dtype=torch.int64, device=x.device)
        hist.scatter_add_(1, flat, torch.ones_like(flat))
        cdf = hist.cumsum(1)
        total = cdf[:, -1:]
        cdf_min = torch.where(cdf > 0, cdf, total).amin(1, keepdim=True)
        denominator = total - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        table = torch.round(((cdf - cdf_min) * 255) / denominator).clamp(0, 255)
        lookup = ((x / 255.0) * (bins - 1)).clamp(0, bins - 1).to(torch.int32).long()
        offsets = torch.arange(c, device=x.device).view(1, c, 1, 1) * bins
        equalized = torch.take(table, lookup + offsets).to(x.dtype)
        occupied = (hist > 0).sum(1).view(1, c, 1, 1)
        x = torch.where(occupied <= 1, x, equalized)
        back = (high - low) / 255.0
        return x * back + (low - 0.0 * back)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
