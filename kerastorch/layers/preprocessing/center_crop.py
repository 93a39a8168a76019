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
from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    clip_to_image_size,
    convert_format,
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
    instead (as Keras does), so the output shape is always the target. Dict inputs have
    their `"bounding_boxes"` (needs `bounding_box_format`) and `"segmentation_masks"`
    cropped too.

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

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any]:
        images = data["images"] if isinstance(data, dict) else data
        return {"input_shape": tuple(images.shape)}

    def transform_images(
        self, images: torch.Tensor, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        x, _ = self._to_nchw(self._to_float(images))
        h_diff, w_diff = x.shape[2] - self.height, x.shape[3] - self.width
        if h_diff >= 0 and w_diff >= 0:
            top, left = h_diff // 2, w_diff // 2
            x = x[:, :, top : top + self.height, left : left + self.width]
        else:
            x = crop_or_resize(x, self.height, self.width)
        return self._from_nchw(x, False)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        return self.transform_images(segmentation_masks, transformation, training=training)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        height, width = self._height_width(transformation["input_shape"])
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=height, width=width
        )
        h_diff, w_diff = height - self.height, width - self.width
        if h_diff >= 0 and w_diff >= 0:
            top, left = int(h_diff / 2), int(w_diff / 2)
            boxes["boxes"] = _clip_shift(boxes["boxes"], top, left, self.height, self.width)
        else:  # Keras's smart_resize window, then scaled to the target size
            crop_h = max(min(height, int(float(width * self.height) / self.width)), 1)
            crop_w = max(min(width, int(float(height * self.width) / self.height)), 1)
            top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
            boxes["boxes"] = _clip_shift(boxes["boxes"], top, left, crop_h, crop_w)
            boxes = convert_format(boxes, "xyxy", "rel_xyxy", height=crop_h, width=crop_w)
            boxes = convert_format(boxes, "rel_xyxy", "xyxy", self.height, self.width)
        boxes = clip_to_image_size(boxes, height=self.height, width=self.width)
        return convert_format(
            boxes, "xyxy", self.bounding_box_format, height=self.height, width=self.width
        )

    def compute_output_shape(self, input_shape: tuple, *args: Any, **kwargs: Any) -> tuple:
        return with_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height": self.height, "width": self.width}


def _clip_shift(boxes: torch.Tensor, top: int, left: int, height: int, width: int):
    """`"xyxy"` boxes clipped to the window at `(top, left)` and moved into its frame."""
    x1, y1, x2, y2 = boxes.split(1, dim=-1)
    x1, x2 = (torch.clamp(x, left, left + width) - left for x in (x1, x2))
    y1, y2 = (torch.clamp(y, top, top + height) - top for y in (y1, y2))
    return torch.cat([x1, y1, x2, y2], dim=-1)


def with_size(input_shape: tuple, height: int, width: int, data_format: str) -> tuple:
    """`input_shape` with its spatial sizes replaced by `(height, width)`."""
    shape = list(input_shape)
    h_axis = -3 if data_format == "channels_last" else -2
    shape[h_axis], shape[h_axis + 1] = height, width
    return tuple(shape)
