"""`MaxNumBoundingBoxes`: pads or truncates bounding boxes to a fixed number per image.

Example:
    >>> import torch
    >>> layer = MaxNumBoundingBoxes(max_number=3, bounding_box_format="xyxy")
    >>> boxes = {"boxes": torch.ones(1, 2, 4), "labels": torch.ones(1, 2, dtype=torch.int32)}
    >>> out = layer({"images": torch.zeros(1, 4, 4, 3), "bounding_boxes": boxes})
    >>> out["bounding_boxes"]["labels"].tolist()
    [[1, 1, -1]]
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

_DEFAULT_FILL = -1


class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Makes `bounding_boxes` hold exactly `max_number` boxes per image.

    Extra boxes (and their labels) are dropped; missing ones are padded with `fill_value`.
    Images, labels and segmentation masks pass through unchanged, in training and
    inference. As in Keras, the boxes are densified first (`boxes` become float32, lists of
    unequal lengths are padded).

    Args:
        max_number: the number of boxes per image.
        fill_value: the padding value of `boxes` and `labels` (default -1).
        bounding_box_format: the boxes' format (e.g. `"xyxy"`); required, as in Keras, when
            the input has `"bounding_boxes"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images, or a dict with `"images"` and `"bounding_boxes"` (a dict of
            `"boxes"` `(batch, num_boxes, 4)` and `"labels"` `(batch, num_boxes)`, or without
            the batch axis for one image).

    `get_config` has `fill_value` only when it is not the default: Keras's config never
    has it (so Keras's layers reload with -1).

    Example:
        >>> import torch
        >>> MaxNumBoundingBoxes(max_number=5)(torch.zeros(1, 4, 4, 3)).shape
        torch.Size([1, 4, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        max_number: int,
        fill_value: int = _DEFAULT_FILL,
        bounding_box_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(bounding_box_format=bounding_box_format, **kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def transform_images(
        self, images: torch.Tensor, transformation: Any = None, training: bool = True
    ) -> torch.Tensor:
        return images

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        """Batched (densified) boxes and labels truncated or padded to `max_number`."""
        boxes = dict(bounding_boxes)
        boxes["boxes"] = self._fit(boxes["boxes"], 2)
        boxes["labels"] = self._fit(boxes["labels"], 1)
        return boxes

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> Any:
        return segmentation_masks

    def _fit(self, t: torch.Tensor, box_rank: int) -> torch.Tensor:
        """Truncate or pad the boxes axis of `t` (`box_rank` = rank without batch)."""
        t = t[:, : self.max_number]
        pad = self.max_number - t.shape[1]
        if pad > 0:
            padding = [0, 0] * (box_rank - 1) + [0, pad]
            t = F.pad(t, padding, value=self.fill_value)
        return t

    def compute_output_shape(self, input_shape: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            boxes = input_shape["bounding_boxes"]
            extra = set(boxes) - {"boxes", "labels"}
            if extra:
                raise KeyError(
                    f"There are unsupported keys in `bounding_boxes`: {list(extra)}. Only "
                    "`boxes` and `labels` are supported."
                )
            fitted = {key: (shape[0], self.max_number, *shape[2:]) for key, shape in boxes.items()}
            return {**input_shape, "bounding_boxes": fitted}
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["max_number"] = self.max_number
        if self.fill_value != _DEFAULT_FILL:
            config["fill_value"] = self.fill_value
        return config
