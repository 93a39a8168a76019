"""`RandomCrop`: crops a random `(height, width)` window in training; a centred one otherwise.

Example:
    >>> import torch
    >>> RandomCrop(4, 4, seed=0)(torch.rand(2, 8, 8, 3), training=True).shape
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
    crop,
)
from kerastorch.layers.preprocessing.center_crop import with_size
from kerastorch.layers.preprocessing.resizing import resize_images


class RandomCrop(BaseImagePreprocessingLayer):
    """Randomly crops images to `(height, width)` during training.

    In training, one random window (the same for the whole batch, as in Keras) is cut when
    the images are larger than the target in both dimensions; otherwise Keras's fallback
    runs (a target-size window from the start of the centred aspect-ratio window, resized
    to the target). At inference (`training=False`) the largest centred window with the
    target aspect ratio is cropped and resized to `(height, width)`, as Keras documents
    and tf.keras did. (Keras 3.15 returns the input unchanged at inference, which breaks
    the output shape it declares; kerastorch follows the documentation.)

    Dict inputs have their `"segmentation_masks"` cropped like the images and their
    `"bounding_boxes"` (needs `bounding_box_format`) moved into the window, clipped to it
    and scaled with any resize (boxes left empty get the label -1). Keras 3.15's box
    transform is not followed: it swaps the x and y offsets, reads relative formats against
    the target size and neither clips nor scales the boxes.

    Args:
        height: int, output height.
        width: int, output width.
        seed: int, makes the crop positions reproducible. Keras draws a seed when none is
            given (and reports it in `get_config`); so does kerastorch.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Output shape:
        `(batch, height, width, channels)`, in the compute dtype (float32).

    Example:
        >>> import torch
        >>> RandomCrop(4, 4)(torch.rand(2, 8, 8, 3), training=False).shape
        torch.Size([2, 4, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height: int,
        width: int,
        seed: int | None = None,
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height = height
        self.width = width
        self.seed = seed if seed is not None else int(torch.randint(1, 10**9, ()))
        self._host_generator = torch.Generator().manual_seed(int(self.seed))

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any]:
        """The window: `top`, `left`, `crop_height`, `crop_width` (and `input_shape`)."""
        images = data["images"] if isinstance(data, dict) else data
        in_h, in_w = self._height_width(images.shape)
        if training and in_h > self.height and in_w > self.width:
            # Offsets are drawn on the host: slicing needs Python ints, and no device sync.
            top = int(torch.randint(in_h - self.height + 1, (), generator=self._host_generator))
            left = int(torch.randint(in_w - self.width + 1, (), generator=self._host_generator))
            crop_h, crop_w = self.height, self.width
        else:
            # The centred aspect-ratio window. Inference resizes all of it; training (Keras's
            # fallback) cuts at most the target size from its start, then resizes.
            crop_h = max(min(in_h, int(float(in_w * self.height) / self.width)), 1)
            crop_w = max(min(in_w, int(float(in_h * self.width) / self.height)), 1)
            top, left = int(float(in_h - crop_h) / 2), int(float(in_w - crop_w) / 2)
            if training:
                crop_h, crop_w = min(self.height, in_h - top), min(self.width, in_w - left)
        return {
            "top": top,
            "left": left,
            "crop_height": crop_h,
            "crop_width": crop_w,
            "input_shape": tuple(images.shape),
        }

    def transform_images(
        self, images: torch.Tensor, transformation: dict[str, Any], training: bool = True
    ) -> torch.Tensor:
        x, _ = self._to_nchw(self._to_float(images))
        top, left = transformation["top"], transformation["left"]
        x = x[
            :,
            :,
            top : top + transformation["crop_height"],
            left : left + transformation["crop_width"],
        ]
        if x.shape[2:] != (self.height, self.width):
            x = resize_images(x, (self.height, self.width))
        return self._from_nchw(x, False)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        return self.transform_images(segmentation_masks, transformation, training=training)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        in_h, in_w = self._height_width(transformation["input_shape"])
        crop_h, crop_w = transformation["crop_height"], transformation["crop_width"]
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=in_h, width=in_w
        )
        boxes["boxes"] = crop(
            boxes["boxes"], transformation["top"], transformation["left"], crop_h, crop_w
        )
        if (crop_h, crop_w) != (self.height, self.width):
            boxes = convert_format(boxes, "xyxy", "rel_xyxy", height=crop_h, width=crop_w)
            boxes = convert_format(boxes, "rel_xyxy", "xyxy", self.height, self.width)
        boxes = clip_to_image_size(boxes, height=self.height, width=self.width)
        return convert_format(
            boxes, "xyxy", self.bounding_box_format, height=self.height, width=self.width
        )

    def compute_output_shape(self, input_shape: tuple, *args: Any, **kwargs: Any) -> tuple:
        return with_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "seed": self.seed,
        }
