"""`RandomPerspective`: warps images by a random projective transform, in training.

Example:
    >>> import torch
    >>> RandomPerspective(scale=0.5, seed=0)(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing._augmentation import apply_mask, check_unit_pair
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    SUPPORTED_INTERPOLATIONS,
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    clip_to_image_size,
    convert_format,
)
from kerastorch.ops.image.geometry import _homography, perspective_transform


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
            (unchanged), `"segmentation_masks"` (warped with nearest interpolation) and
            `"bounding_boxes"` (needs `bounding_box_format`; each box becomes the box
            enclosing its warped corners, clipped to the image, in the layer's format:
            Keras 3.15 returns them in `"xyxy"` whatever the format).
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

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """Keras's keys: `apply_perspective`, `start_points`, `end_points`, `input_shape`."""
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        n, device = images.shape[0], images.device
        h, w = self._height_width(images.shape)
        apply = apply_mask(self, self.factor, n, device)
        corners = torch.tensor(
            [[0.0, 0.0], [w - 1.0, 0.0], [0.0, h - 1.0], [w - 1.0, h - 1.0]], device=device
        ).expand(n, 4, 2)
        shift = self._uniform((n, 4, 2), -0.5 * self.scale, 0.5 * self.scale, device)
        return {
            "apply_perspective": apply,
            "start_points": corners,
            "end_points": corners + corners * shift,
            "input_shape": tuple(images.shape),
        }

    def _transform_images(
        self, images: torch.Tensor, transformation: Any, interpolation: str
    ) -> torch.Tensor:
        if transformation is None:
            return images
        x, _ = self._to_nchw(images)
        out = perspective_transform(
            x,
            transformation["start_points"],
            transformation["end_points"],
            interpolation,
            self.fill_value,
            "channels_first",
        )
        apply = transformation["apply_perspective"].view(-1, 1, 1, 1)
        return self._from_nchw(torch.where(apply, out, x), False)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._height_width(transformation["input_shape"])
        boxes = convert_format(
            dict(bounding_boxes), self.bounding_box_format, "xyxy", height=height, width=width
        )
        # The projective map of input points to output points (start corners -> end corners).
        forward = _homography(transformation["end_points"], transformation["start_points"])
        a0, a1, a2, b0, b1, b2, c0, c1 = forward.to(boxes["boxes"].dtype)[:, :, None, None].unbind(
            1
        )
        x0, y0, x1, y1 = boxes["boxes"].split(1, dim=-1)
        xs = torch.cat(
            [x0, x1, x0, x1], dim=-1
        )  # the corners (x0, y0), (x1, y1), (x0, y1), (x1, y0)
        ys = torch.cat([y0, y1, y1, y0], dim=-1)
        k = c0 * xs + c1 * ys + 1.0
        new_x, new_y = (a0 * xs + a1 * ys + a2) / k, (b0 * xs + b1 * ys + b2) / k
        warped = torch.stack([new_x.amin(-1), new_y.amin(-1), new_x.amax(-1), new_y.amax(-1)], -1)
        apply = transformation["apply_perspective"].view(-1, 1, 1)
        boxes["boxes"] = torch.where(apply, warped, boxes["boxes"])
        boxes = clip_to_image_size(boxes, height=height, width=width)
        return convert_format(boxes, "xyxy", self.bounding_box_format, height=height, width=width)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
            "seed": self.seed,
        }
