"""`RandAugment`: applies `num_ops` augmentations chosen at random from a fixed set.

Example:
    >>> import torch
    >>> layer = RandAugment(value_range=(0, 1), num_ops=2, seed=0)
    >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.augment_layers import (
    draw_step,
    make_augment_layers,
    share_generators,
    step_boxes,
    step_images,
    step_masks,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class RandAugment(BaseImagePreprocessingLayer):
    """RandAugment (Cubuk et al., 2019): `num_ops` random augmentations per call (training).

    The operations are drawn (with replacement) from Keras's set: shear, translation,
    rotation, brightness, colour degeneration, contrast, sharpness, posterization,
    solarization, auto-contrast and equalization, each built with `factor` (posterization
    keeps `max(1, int(8 * factor[1]))` bits at most). As in Keras, one choice of operations
    is made per call and applied to the whole batch (each operation still draws its own
    per-image amounts). The choice is drawn on the host, so only the chosen operations run
    and nothing waits on the device.

    Dict inputs (Keras's `{"images", "bounding_boxes", "segmentation_masks", "labels"}`):
    the boxes (in `bounding_box_format`) and the masks go through the chosen geometric
    operations with the images' transformations; the colour operations and the labels
    leave them unchanged. Keras 3.15 moves the boxes through each chosen operation at most
    once and in its list order, not in the drawn order, so its boxes leave its images
    when an operation is drawn twice or two geometric ones are drawn out of list order;
    here the boxes follow the images' operations one by one.

    Args:
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        num_ops: number of operations applied in turn (default 2).
        factor: a float in `[0, 1]` (meaning `(0, f)`) or a pair in `[0, 1]`: the strength
            of every operation (default 0.5).
        interpolation: `"bilinear"` (default) or `"nearest"`, for the geometric operations.
        seed: int, makes the draws reproducible.
        bounding_box_format: the format of a dict input's `"bounding_boxes"` (e.g.
            `"xyxy"`); required for boxes, as in Keras.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 8, 8, 3) * 255
        >>> bool(torch.equal(RandAugment()(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        num_ops: int = 2,
        factor: float | tuple[float, float] = 0.5,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self._set_factor(factor)
        self.interpolation = interpolation
        self.seed = seed
        layers = make_augment_layers(
            self.factor,
            value_range,
            interpolation,
            seed,
            self.data_format,
            kwargs.get("dtype"),
            self.bounding_box_format,
        )
        for name, layer in layers.items():
            setattr(self, name, layer)
        self._augment_names = list(layers)
        self._augment_layers = list(layers.values())
        share_generators(self, self._augment_layers)

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> list[dict[str, Any]] | None:
        """The `num_ops` chosen operations, each with its drawn transformation."""
        if not training:
            return None
        choices = torch.randint(
            0, len(self._augment_names), (self.num_ops,),
            generator=self._generator(torch.device("cpu")),
        )  # fmt: skip
        return [draw_step(self, self._augment_names[i], data) for i in choices.tolist()]

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        images = self._to_float(images)
        if training and transformation is not None:
            for step in transformation:
                images = step_images(self, step, images)
        return images

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        if training and transformation is not None:
            for step in transformation:
                bounding_boxes = step_boxes(self, step, bounding_boxes)
        return bounding_boxes

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> Any:
        if training and transformation is not None:
            for step in transformation:
                segmentation_masks = step_masks(self, step, segmentation_masks)
        return segmentation_masks

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "num_ops": self.num_ops,
            "factor": self.factor,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
