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

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        n, _, h, w = x.shape
        zoom_y = self._uniform((n,), 1.0 + self.height_lower, 1.0 + self.height_upper, x.device)
        if self.width_factor is not None:
            zoom_x = self._uniform((n,), 1.0 + self.width_lower, 1.0 + self.width_upper, x.device)
        else:
            zoom_x = zoom_y
        zeros = torch.zeros_like(zoom_x)
        matrix = torch.stack(
            [
                zoom_x,
                zeros,
                (w - 1.0) / 2.0 * (1.0 - zoom_x),
                zeros,
                zoom_y,
                (h - 1.0) / 2.0 * (1.0 - zoom_y),
                zeros,
                zeros,
            ],
            dim=1,
        )
        x = affine_transform(x, matrix, self.interpolation, self.fill_mode, self.fill_value)
        return self._from_nchw(x, unbatched)

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
