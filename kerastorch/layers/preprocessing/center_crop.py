"""`CenterCrop`: crops the central `(height, width)` window of images.

Example:
    >>> import torch
    >>> CenterCrop(4, 4)(torch.rand(2, 8, 8, 3)).shape
    torch.Size([2, 4, 4, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.resizing import resize_images


def crop_or_resize(images: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Keras's `smart_resize` on NCHW images: crop the largest centred window with the
    target aspect ratio, then resize it (bilinear) to `(height, width)`."""
    return resize_images(images, (height, width), crop_to_aspect_ratio=True)


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the centre of images to `(height, width)`, in training and inference.

    When an image is smaller than the target in either dimension, the largest centred
    window with the target aspect ratio is cropped and resized to `(height, width)`
    instead (as Keras does), so the output shape is always the target.

    Args:
        height: int, output height.
        width: int, output width.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Input shape:
        `(batch, height, width, channels)` or unbatched `(height, width, channels)`.
    Output shape:
        `(batch, target_height, target_width, channels)`, in the compute dtype (float32).

    Example:
        >>> import torch
        >>> CenterCrop(4, 4)(torch.rand(2, 2, 8, 3)).shape  # smaller: crop + resize
        torch.Size([2, 4, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs: Any):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x, unbatched = self._to_nchw(self._to_float(inputs))
        h_diff, w_diff = x.shape[2] - self.height, x.shape[3] - self.width
        if h_diff >= 0 and w_diff >= 0:
            top, left = h_diff // 2, w_diff // 2
            x = x[:, :, top : top + self.height, left : left + self.width]
        else:
            x = crop_or_resize(x, self.height, self.width)
        return self._from_nchw(x, unbatched)

    def compute_output_shape(self, input_shape: tuple, *args: Any, **kwargs: Any) -> tuple:
        return with_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height": self.height, "width": self.width}


def with_size(input_shape: tuple, height: int, width: int, data_format: str) -> tuple:
    """`input_shape` with its spatial sizes replaced by `(height, width)`."""
    shape = list(input_shape)
    h_axis = -3 if data_format == "channels_last" else -2
    shape[h_axis], shape[h_axis + 1] = height, width
    return tuple(shape)
