"""`RandomZoom`: zooms images in or out by a random factor, in training.

Example:
    >>> import torch
    >>> RandomZoom(0.2, seed=0)(torch.rand(2, 8, 8, 3), training=True).shape
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
    "The `height_factor` and `width_factor` arguments should be a number (or a list of two "
    "numbers) in the range (-1.0, 1.0]. "
)


class RandomZoom(BaseImagePreprocessingLayer):
    """Zooms each image by random factors about its centre (training only).

    A factor `z` drawn in `[1 + lower, 1 + upper]` scales the sampled input window: positive
    values zoom *out* (the content shrinks), negative values zoom in, as in Keras.

    Args:
        height_factor: a float `f` (vertical zoom in `[1 - f, 1 + f]`) or a pair
            `(lower, upper)`, each in `(-1, 1]`.
        width_factor: the same for the horizontal zoom; `None` (default) zooms both axes by
            the vertical factor, preserving the aspect ratio.
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: int, makes the zooms reproducible.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> RandomZoom((-0.3, -0.3))(torch.rand(8, 8, 1)).shape  # a fixed 30% zoom in
        torch.Size([8, 8, 1])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float] | None = None,
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
            height_factor, "height_factor", _FACTOR_ERROR, allow_minus_one=False
        )
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = check_factor(
                width_factor, "width_factor", _FACTOR_ERROR, allow_minus_one=False
            )
        check_fill_and_interpolation(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """Keras's `{"height_zoom": (batch, 1), "width_zoom": (batch, 1), "input_shape"}`."""
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        n, device = images.shape[0], images.device
        zoom_y = self._uniform((n, 1), 1.0 + self.height_lower, 1.0 + self.height_upper, device)
        if self.width_factor is not None:
            zoom_x = self._uniform((n, 1), 1.0 + self.width_lower, 1.0 + self.width_upper, device)
        else:
            zoom_x = zoom_y
        return {"height_zoom": zoom_y, "width_zoom": zoom_x, "input_shape": tuple(images.shape)}

    def _matrix(self, transformation: dict[str, Any], h: int, w: int) -> torch.Tensor:
        """Keras's `(batch, 8)` zoom transform about the image centre."""
        zoom_x, zoom_y = transformation["width_zoom"][:, 0], transformation["height_zoom"][:, 0]
        zeros = torch.zeros_like(zoom_x)
        x_offset = (w - 1.0) / 2.0 * (1.0 - zoom_x)
        y_offset = (h - 1.0) / 2.0 * (1.0 - zoom_y)
        return torch.stack([zoom_x, zeros, x_offset, zeros, zoom_y, y_offset, zeros, zeros], 1)

    def _transform_images(
        self, images: torch.Tensor, transformation: Any, interpolation: str
    ) -> torch.Tensor:
        if transformation is None:
            return images
        x, _ = self._to_nchw(images)
        matrix = self._matrix(transformation, x.shape[2], x.shape[3])
        x = affine_transform(x, matrix, interpolation, self.fill_mode, self.fill_value)
        return self._from_nchw(x, False)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        """Boxes are clipped to the zoomed window, then scaled from it to the image."""
        if not training:
            return bounding_boxes
        height, width = self._height_width(transformation["input_shape"])
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=height, width=width
        )
        a0, _, a2, _, b1, b2, _, _ = self._matrix(transformation, height, width).unbind(1)
        w_start, h_start = a2.view(-1, 1, 1), b2.view(-1, 1, 1)  # the window's corners
        w_end, h_end = (a0 * width + a2).view(-1, 1, 1), (b1 * height + b2).view(-1, 1, 1)
        x1, y1, x2, y2 = boxes["boxes"].split(1, dim=-1)
        x1, x2 = (torch.minimum(torch.maximum(x, w_start), w_end) - w_start for x in (x1, x2))
        y1, y2 = (torch.minimum(torch.maximum(y, h_start), h_end) - h_start for y in (y1, y2))
        boxes["boxes"] = torch.cat([x1, y1, x2, y2], dim=-1)
        window_h, window_w = h_end - h_start, w_end - w_start
        boxes = convert_format(boxes, "xyxy", "rel_xyxy", height=window_h, width=window_w)
        boxes = clip_to_image_size(boxes, window_h, window_w, bounding_box_format="rel_xyxy")
        return convert_format(
            boxes, "rel_xyxy", self.bounding_box_format, height=height, width=width
        )

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
