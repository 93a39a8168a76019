"""`RandomPerspective`: warps images by a random projective transform, in training.

Example:
    >>> import torch
    >>> RandomPerspective(scale=0.5, seed=0)(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing._augmentation import (
    apply_mask,
    check_unit_pair,
    merge_data,
    split_data,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    SUPPORTED_INTERPOLATIONS,
    BaseImagePreprocessingLayer,
)
from kerastorch.ops.image.geometry import perspective_transform


class RandomPerspective(BaseImagePreprocessingLayer):
    """Random perspective warp of each image (training only).

    Each image is warped with a probability drawn in `factor`: its corners `(0, 0)`,
    `(w - 1, 0)`, `(0, h - 1)`, `(w - 1, h - 1)` move to `corner * (1 + d)`, with each
    coordinate's `d` drawn in `[-scale / 2, scale / 2]` (so, as in Keras, the top-left
    corner stays put); outside points take `fill_value`.

    Args:
        factor: the warp probability: a float `f` in `[0, 1]` (drawn in `[0, f]`) or a
            pair; default 1.
        scale: the strength of the warp, in `[0, 1]` (default 1).
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_value: the value of points from outside the image (default 0).
        seed: int, makes the warps reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images (batched or not), or a dict with `"images"` and optionally `"labels"`
            (unchanged) and `"segmentation_masks"` (warped with nearest interpolation).
            Bounding boxes are not supported.
        training: only `training=False` disables the augmentation.

    Example:
        >>> import torch
        >>> RandomPerspective(seed=1)(torch.rand(8, 8, 3), training=False).shape
        torch.Size([8, 8, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float = 1.0,
        interpolation: str = "bilinear",
        fill_value: float = 0.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = check_unit_pair(factor, "factor")
        if scale < 0.0 or scale > 1.0:
            raise ValueError(
                f"The `scale` argument should be a number in the range [0,1]. Received: "
                f"scale={scale}"
            )
        if interpolation not in SUPPORTED_INTERPOLATIONS:
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one "
                f"{SUPPORTED_INTERPOLATIONS}."
            )
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value
        self.seed = seed

    def call(self, data: Any, training: bool | None = True) -> Any:
        images, rest = split_data(data, "RandomPerspective")
        if rest is not None and "bounding_boxes" in rest:
            raise NotImplementedError(
                "RandomPerspective: 'bounding_boxes' inputs are not supported in kerastorch."
            )
        x, unbatched = self._to_nchw(self._to_float(images))
        if not self._is_training(training):
            return merge_data(rest, self._from_nchw(x, unbatched))
        n, _, h, w = x.shape
        device = x.device
        apply = apply_mask(self, self.factor, n, device).view(-1, 1, 1, 1)
        corners = torch.tensor(
            [[0.0, 0.0], [w - 1.0, 0.0], [0.0, h - 1.0], [w - 1.0, h - 1.0]], device=device
        ).expand(n, 4, 2)
        shift = self._uniform((n, 4, 2), -0.5 * self.scale, 0.5 * self.scale, device)
        end = corners + corners * shift

        def warp(t: torch.Tensor, interpolation: str) -> torch.Tensor:
            out = perspective_transform(
                t, corners, end, interpolation, self.fill_value, "channels_first"
            )
            return torch.where(apply, out, t)

        x = warp(x, self.interpolation)
        updates = {}
        if rest is not None and "segmentation_masks" in rest:
            masks, _ = self._to_nchw(self._to_float(rest["segmentation_masks"]))
            updates["segmentation_masks"] = self._from_nchw(warp(masks, "nearest"), unbatched)
        return merge_data(rest, self._from_nchw(x, unbatched), **updates)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
            "seed": self.seed,
        }
