"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE): local histogram equalization.

Example:
    >>> import torch
    >>> layer = ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
    >>> layer(torch.randint(0, 256, (1, 8, 8, 3)).float()).shape
    torch.Size([1, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import transform_value_range

_BINS = 256
_UNSUPPORTED = (
    "ContrastLimitedAdaptiveHistogramEqualization does not support '{key}' inputs (as in "
    "Keras 3.15, which defines no transform for them)."
)


def _symmetric_index(size: int, padded: int, device: torch.device) -> torch.Tensor:
    """Indices of NumPy's `"symmetric"` padding of an axis of `size` up to `padded`."""
    index = torch.arange(padded, device=device) % (2 * size)
    return torch.where(index < size, index, 2 * size - 1 - index)


class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Contrast Limited Adaptive Histogram Equalization, applied in training and inference.

    The image is cut into `tile_grid_size` tiles (symmetric padding up to a multiple); each
    tile's 256-bin histogram (per channel) is clipped at `clip_limit * tile_pixels / 256`,
    the excess spread over all bins, and turned into an equalizing map; each pixel's value
    is the bilinear blend of the maps of its four nearest tiles (Keras's algorithm).

    The histograms are built with `scatter_add` (Keras's one-hot sum needs
    `pixels x 256` memory); the result is the same. As on Keras's torch backend, where the
    histograms are integers, the clip limit is truncated to an integer.

    Args:
        value_range: `(min, max)` of the image values (default `(0, 255)`); values are
            mapped to `[0, 255]` and truncated to integer bins.
        clip_limit: the contrast limit (default 4.0); `0` disables clipping.
        tile_grid_size: `(rows, columns)` of tiles (default `(8, 8)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    The output has the input's dtype (integer images are truncated back, as in Keras).

    Call arguments:
        data: images (batched or not), or Keras's dict with `"images"`. As in Keras 3.15, a
            dict's `"labels"` and `"bounding_boxes"` raise `NotImplementedError` (boxes
            without a `bounding_box_format` raise Keras's `ValueError` first), and so do its
            `"segmentation_masks"` unless `training=False` (then they pass through).
        training: unused by the equalization itself (applied in training and inference).

    Example:
        >>> import torch
        >>> x = torch.full((4, 4, 1), 100.0)
        >>> ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(1, 1))(x).unique()
        tensor([100.])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        clip_limit: float = 4.0,
        tile_grid_size: tuple[int, int] = (8, 8),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def transform_images(
        self, images: torch.Tensor, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        """CLAHE of batched images, in training and inference; the input's dtype is kept."""
        x, _ = self._to_nchw(images)
        out = transform_value_range(x.to(torch.float32), self.value_range, (0, 255))
        out = transform_value_range(self._equalize(out), (0, 255), self.value_range)
        return self._from_nchw(out.to(images.dtype), False)

    def transform_labels(self, labels: Any, transformation: Any, training: bool = True) -> Any:
        raise NotImplementedError(_UNSUPPORTED.format(key="labels"))

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        raise NotImplementedError(_UNSUPPORTED.format(key="bounding_boxes"))

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> Any:
        if training:
            raise NotImplementedError(_UNSUPPORTED.format(key="segmentation_masks"))
        return segmentation_masks

    def _equalize(self, x: torch.Tensor) -> torch.Tensor:
        """CLAHE of float32 NCHW images in `[0, 255]`."""
        n, c, h, w = x.shape
        device = x.device
        grid_h, grid_w = (int(v) for v in self.tile_grid_size)
        tile_h, tile_w = -(-h // grid_h), -(-w // grid_w)
        padded_h, padded_w = tile_h * grid_h, tile_w * grid_w
        if (padded_h, padded_w) != (h, w):
            x = x[:, :, _symmetric_index(h, padded_h, device)]
            x = x[:, :, :, _symmetric_index(w, padded_w, device)]
        # Histograms per tile: (n, grid_h, grid_w, c, 256).
        tiles = x.reshape(n, c, grid_h, tile_h, grid_w, tile_w).permute(0, 2, 4, 1, 3, 5)
        bins = tiles.reshape(n, grid_h, grid_w, c, tile_h * tile_w).long().clamp(0, _BINS - 1)
        hist = torch.zeros((n, grid_h, grid_w, c, _BINS), device=device)
        hist.scatter_add_(-1, bins, torch.ones(bins.shape, device=device))
        area = float(tile_h * tile_w)
        if self.clip_limit > 0:
            clipped = hist.clamp(0, int(self.clip_limit * area / _BINS))
            hist = clipped + (hist - clipped).sum(-1, keepdim=True) / _BINS
        cdf = hist.cumsum(-1)
        cdf_min = cdf.amin(-1, keepdim=True)
        denominator = area - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        maps = ((cdf - cdf_min) * 255.0 / denominator).clamp(0, 255)
        # Edge-replicate the tile grid by one, then blend the four nearest tiles' maps.
        maps = torch.cat([maps[:, :1], maps, maps[:, -1:]], dim=1)
        maps = torch.cat([maps[:, :, :1], maps, maps[:, :, -1:]], dim=2)

        def nodes(length: int, tile: int, grid: int) -> tuple[torch.Tensor, ...]:
            pos = (torch.arange(length, dtype=torch.float32, device=device) - tile / 2.0) / tile
            pos = pos + 1.0
            lower = torch.floor(pos)
            weight = pos - lower
            return lower.clamp(0, grid + 1).long(), (lower + 1).clamp(0, grid + 1).long(), weight

        y0, y1, wy = (t.view(1, 1, -1, 1) for t in nodes(padded_h, tile_h, grid_h))
        x0, x1, wx = (t.view(1, 1, 1, -1) for t in nodes(padded_w, tile_w, grid_w))
        batch = torch.arange(n, device=device).view(-1, 1, 1, 1)
        channel = torch.arange(c, device=device).view(1, -1, 1, 1)
        pixels = x.clamp(0, 255).long()

        def lookup(ys: torch.Tensor, xs: torch.Tensor) -> torch.Tensor:
            return maps[batch, ys, xs, channel, pixels]

        top = lookup(y0, x0) * (1.0 - wx) + lookup(y0, x1) * wx
        bottom = lookup(y1, x0) * (1.0 - wx) + lookup(y1, x1) * wx
        return (top * (1.0 - wy) + bottom * wy)[:, :, :h, :w]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
            "data_format": self.data_format,
        }
