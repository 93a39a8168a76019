"""`RandomShear`: shears images along x and y by random amounts, in training.

Example:
    >>> import torch
    >>> RandomShear(x_factor=0.3, y_factor=0.2, seed=0)(torch.rand(2, 8, 8, 3)).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    affine_transform,
    check_fill_and_interpolation,
)
from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    clip_to_image_size,
    convert_format,
)

_FACTOR_ERROR = (
    "The `factor` argument should be a number (or a list of two numbers) in the range [0, 1.0]. "
)


def _check_factor(factor: Any, name: str) -> tuple[float, float]:
    """Keras's `RandomShear._set_factor_with_name`: a number `f` in `[0, 1]` means `(-f, f)`.

    Keras also requires pairs in `[0, 1]`, so its own `get_config()` of `RandomShear(0.3)`,
    `x_factor=(-0.3, 0.3)`, fails to load; pairs here may lie in `[-1, 1]`.
    """

    def check(value: float, low: float) -> None:
        if value > 1.0 or value < low:
            raise ValueError(_FACTOR_ERROR + f"Received: input_number={value}")

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")
        check(factor[0], -1.0)
        check(factor[1], -1.0)
        lower, upper = sorted(factor)
        return lower, upper
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        check(factor, 0.0)
        return -abs(factor), abs(factor)
    raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")


class RandomShear(BaseImagePreprocessingLayer):
    """Shears each image by random x and y amounts about the top-left corner (training).

    Per image, `s_x` is drawn in `x_factor`, `s_y` in `y_factor`, and both are negated
    together with probability 1/2; output pixel `(x, y)` samples the input at
    `(x + s_x y, s_y x + y)`, as Keras's `[1, s_x, 0, s_y, 1, 0, 0, 0]` transform.

    Args:
        x_factor: a float `f` in `[0, 1]` (shears in `(-f, f)`) or a pair `(lower, upper)`
            (Keras allows `[0, 1]`; `[-1, 1]` here, so saved configs reload).
        y_factor: the same for the vertical shear.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"` or `"nearest"`.
        fill_value: the value outside the image for `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the shears reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 8, 8, 3)
        >>> bool(torch.equal(RandomShear(0.5)(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        x_factor: float | tuple[float, float] = 0.0,
        y_factor: float | tuple[float, float] = 0.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.x_factor = _check_factor(x_factor, "x_factor")
        self.y_factor = _check_factor(y_factor, "y_factor")
        check_fill_and_interpolation(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        params = self._sample(images.shape[0], images.device)
        return {**params, "input_shape": tuple(images.shape)}

    def _transform_images(
        self, images: torch.Tensor, transformation: Any, interpolation: str
    ) -> torch.Tensor:
        if transformation is None:
            return images
        x, _ = self._to_nchw(images)
        return self._from_nchw(self._augment(x, transformation, interpolation), False)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        """Keras's box shear (x first, then y from the sheared x), in pixel units.

        Keras 3.15 shears relative coordinates, which agrees for square images only.
        """
        if not training:
            return bounding_boxes
        height, width = self._height_width(transformation["input_shape"])
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=height, width=width
        )
        shear = transformation["shear_factor"].to(boxes["boxes"].dtype)
        sx, sy = shear[:, :1], shear[:, 1:]  # (batch, 1): one per box
        x1, y1, x2, y2 = boxes["boxes"].unbind(-1)
        x1 = torch.where(sx < 0, x1 - sx * y1, x1 - sx * y2)
        x2 = torch.where(sx < 0, x2 - sx * y2, x2 - sx * y1)
        y1 = torch.where(sy > 0, y1 - sy * x2, y1 - sy * x1)
        y2 = torch.where(sy > 0, y2 - sy * x1, y2 - sy * x2)
        boxes["boxes"] = torch.stack([x1, y1, x2, y2], dim=-1)
        boxes = clip_to_image_size(boxes, height=height, width=width)
        return convert_format(boxes, "xyxy", self.bounding_box_format, height=height, width=width)

    def _sample(self, batch: int, device: torch.device) -> dict[str, torch.Tensor]:
        """Keras's transformation: `shear_factor`, `(batch, 2)` = `(s_x, s_y)`."""
        sign = torch.where(self._uniform((batch, 1), 0.0, 1.0, device) > 0.5, -1.0, 1.0)
        shear_y = self._uniform((batch, 1), *self.y_factor, device)
        shear_x = self._uniform((batch, 1), *self.x_factor, device)
        return {"shear_factor": torch.cat([shear_x, shear_y], dim=1) * sign}

    def _augment(
        self, x: torch.Tensor, params: dict[str, Any], interpolation: str | None = None
    ) -> torch.Tensor:
        """Shear NCHW images."""
        shear = params["shear_factor"].to(x.dtype)
        ones, zeros = torch.ones_like(shear[:, 0]), torch.zeros_like(shear[:, 0])
        matrix = torch.stack(
            [ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], dim=1
        )
        interpolation = interpolation or self.interpolation
        return affine_transform(x, matrix, interpolation, self.fill_mode, self.fill_value)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "x_factor": self.x_factor,
            "y_factor": self.y_factor,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }
