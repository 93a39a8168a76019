"""`RandomFlip`: flips images horizontally and/or vertically at random, in training.

Example:
    >>> import torch
    >>> layer = RandomFlip("horizontal", seed=0)
    >>> x = torch.arange(4.0).reshape(1, 2, 2, 1)
    >>> y = layer(x, training=True)
    >>> bool(torch.equal(y, x) or torch.equal(y, x.flip(2)))
    True
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

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """Randomly flips each image of a batch (probability 0.5), in training.

    As in Keras 3, one coin is tossed per image: with `"horizontal_and_vertical"` an image
    is either left alone or flipped along both axes (a 180 degree rotation). Dict inputs
    have their `"bounding_boxes"` (needs `bounding_box_format`) and `"segmentation_masks"`
    flipped with their images.

    Args:
        mode: `"horizontal"` (left-right), `"vertical"` (up-down) or
            `"horizontal_and_vertical"` (default).
        seed: int, makes the sequence of flips reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Input shape:
        `(batch, height, width, channels)` or an unbatched `(height, width, channels)`
        (channels first likewise). Output: the same shape, in the compute dtype (float32).

    Example:
        >>> import torch
        >>> RandomFlip()(torch.ones(2, 8, 8, 3), training=False).shape
        torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        mode: str = HORIZONTAL_AND_VERTICAL,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f"RandomFlip layer {self.name} received an unknown mode argument {mode!r}. "
                f"Expected one of {(HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)}."
            )
        self.mode = mode
        self.seed = seed

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        flips = self._uniform((images.shape[0], 1, 1, 1), 0.0, 1.0, images.device) <= 0.5
        return {"flips": flips, "input_shape": tuple(images.shape)}

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = self._to_float(images)
        if not training or transformation is None:
            return images
        x, _ = self._to_nchw(images)
        dims = {HORIZONTAL: (3,), VERTICAL: (2,), HORIZONTAL_AND_VERTICAL: (2, 3)}[self.mode]
        x = torch.where(transformation["flips"], x.flip(dims), x)
        return self._from_nchw(x, False)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        if not training:
            return bounding_boxes
        flips = transformation["flips"].squeeze(-1)  # (batch, 1, 1): one per box
        height, width = self._height_width(transformation["input_shape"])
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "rel_xyxy", height=height, width=width
        )
        x1, y1, x2, y2 = boxes["boxes"].split(1, dim=-1)
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            x1, x2 = torch.where(flips, 1 - x2, x1), torch.where(flips, 1 - x1, x2)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            y1, y2 = torch.where(flips, 1 - y2, y1), torch.where(flips, 1 - y1, y2)
        boxes["boxes"] = torch.cat([x1, y1, x2, y2], dim=-1)
        boxes = clip_to_image_size(boxes, height=height, width=width, bounding_box_format="xyxy")
        return convert_format(
            boxes, "rel_xyxy", self.bounding_box_format, height=height, width=width
        )

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        return self.transform_images(segmentation_masks, transformation, training=training)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
