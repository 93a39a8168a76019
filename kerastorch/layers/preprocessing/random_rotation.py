"""`RandomRotation`: rotates images by a random angle about their centre, in training.

Example:
    >>> import torch
    >>> layer = RandomRotation(0.1, seed=0)
    >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    affine_matrix,
    affine_transform,
    check_fill_and_interpolation,
)
from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    affine_transform as bbox_affine,
)
from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    clip_to_image_size,
    convert_format,
)


class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates each image by an angle drawn uniformly in `factor * 360` degrees (training).

    Args:
        factor: a float `f` (angles in `[-f * 360, f * 360]` degrees) or a pair
            `(lower, upper)` of fractions of a full turn. Positive angles rotate
            counter-clockwise (as in Keras).
        fill_mode: how points outside the image are filled: `"reflect"` (default,
            `d c b a | a b c d | d c b a`), `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: int, makes the angles reproducible.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    The rotation runs batched with `F.affine_grid` + `F.grid_sample` (one gather for
    `"wrap"`), with Keras's pixel geometry (pixel centres on integers, rotation about
    `((width - 1) / 2, (height - 1) / 2)`).

    Example:
        >>> import torch
        >>> RandomRotation((0.25, 0.25), fill_mode="constant")(torch.ones(8, 8, 1)).shape
        torch.Size([8, 8, 1])
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        check_fill_and_interpolation(fill_mode, interpolation)
        self.seed = seed
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """Keras's keys: `angle` (degrees), `rotation_matrix`, the image size, `batch_size`."""
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        n = images.shape[0]
        h, w = self._height_width(images.shape)
        lower, upper = self.factor[0] * 360.0, self.factor[1] * 360.0
        angle = self._uniform((n,), lower, upper, images.device)
        return {
            "angle": angle,
            "rotation_matrix": affine_matrix(angle, h, w),
            "image_height": h,
            "image_width": w,
            "batch_size": n,
        }

    def _transform_images(
        self, images: torch.Tensor, transformation: Any, interpolation: str
    ) -> torch.Tensor:
        if transformation is None:
            return images
        x, _ = self._to_nchw(images)
        matrix = transformation["rotation_matrix"]
        x = affine_transform(x, matrix, interpolation, self.fill_mode, self.fill_value)
        return self._from_nchw(x, False)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        """Each box becomes the box enclosing its rotated corners, clipped to the image.

        Boxes are read in `bounding_box_format` (Keras 3.15 reads them as `"xyxy"` whatever
        the format: the same for `"xyxy"` boxes).
        """
        if not training:
            return bounding_boxes
        height, width = transformation["image_height"], transformation["image_width"]
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=height, width=width
        )
        angle = transformation["angle"]
        zeros, ones = torch.zeros_like(angle), torch.ones_like(angle)
        boxes["boxes"] = bbox_affine(
            boxes["boxes"], angle, zeros, zeros, ones, zeros, zeros, height, width
        )
        boxes = clip_to_image_size(boxes, height=height, width=width)
        return convert_format(boxes, "xyxy", self.bounding_box_format, height=height, width=width)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
