"""`RandomTranslation`: shifts images by a random fraction of their size, in training.

Example:
    >>> import torch
    >>> RandomTranslation(0.1, 0.1, seed=0)(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    affine_transform,
    check_factor,
    check_fill_and_interpolation,
)
from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    clip_to_image_size,
    convert_format,
)

_FACTOR_ERROR = (
    "The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. "
)


class RandomTranslation(BaseImagePreprocessingLayer):
    """Translates each image by random offsets (training only).

    Offsets are drawn per image as fractions of the height/width: `height_factor=0.2`
    shifts by up to 20% of the height, up or down. Positive offsets move the content down
    / right.

    Args:
        height_factor: a float `f` (vertical shift in `[-f, f] * height`) or a pair
            `(lower, upper)`, each in `[-1, 1]`.
        width_factor: the same for the horizontal shift.
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: int, makes the shifts reproducible.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> layer = RandomTranslation((0.25, 0.25), 0.0, fill_mode="constant")
        >>> layer(torch.ones(1, 4, 4, 1))[0, :, 0, 0].tolist()  # shifted down by one row
        [0.0, 1.0, 1.0, 1.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float],
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = check_factor(
            height_factor, "height_factor", _FACTOR_ERROR, allow_minus_one=True
        )
        self.width_factor = width_factor
        self.width_lower, self.width_upper = check_factor(
            width_factor, "width_factor", _FACTOR_ERROR, allow_minus_one=True
        )
        check_fill_and_interpolation(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """Keras's `{"translations": (batch, 2) pixel shifts (x, y), "input_shape"}`."""
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        n, device = images.shape[0], images.device
        h, w = self._height_width(images.shape)
        dy = self._uniform((n,), self.height_lower, self.height_upper, device) * h
        dx = self._uniform((n,), self.width_lower, self.width_upper, device) * w
        return {"translations": torch.stack([dx, dy], dim=1), "input_shape": tuple(images.shape)}

    def _transform_images(
        self, images: torch.Tensor, transformation: Any, interpolation: str
    ) -> torch.Tensor:
        if transformation is None:
            return images
        x, _ = self._to_nchw(images)
        dx, dy = transformation["translations"].to(x.dtype).unbind(1)
        ones, zeros = torch.ones_like(dx), torch.zeros_like(dx)
        matrix = torch.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], dim=1)
        x = affine_transform(x, matrix, interpolation, self.fill_mode, self.fill_value)
        return self._from_nchw(x, False)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        if not training:
            return bounding_boxes
        height, width = self._height_width(transformation["input_shape"])
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=height, width=width
        )
        shift = transformation["translations"].to(boxes["boxes"].dtype).unsqueeze(1)  # (B,1,2)
        boxes["boxes"] = boxes["boxes"] + shift.repeat(1, 1, 2)
        boxes = clip_to_image_size(boxes, height=height, width=width)
        return convert_format(boxes, "xyxy", self.bounding_box_format, height=height, width=width)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }
