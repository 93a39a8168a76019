"""`MixUp`: blends each image (and its label) with another image of the batch.

Example:
    >>> import torch
    >>> data = {"images": torch.rand(4, 8, 8, 3), "labels": torch.eye(4)}
    >>> out = MixUp(alpha=0.2, seed=0)(data, training=True)
    >>> out["images"].shape, bool(torch.allclose(out["labels"].sum(-1), torch.ones(4)))
    (torch.Size([4, 8, 8, 3]), True)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing._augmentation import beta, permutation
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class MixUp(BaseImagePreprocessingLayer):
    """MixUp augmentation ([Zhang et al., 2017](https://arxiv.org/abs/1710.09412)), training only.

    Each image gets a weight `w ~ Beta(alpha, alpha)` and a partner from a random permutation
    of the batch: `images = w * images + (1 - w) * images[permutation]`, and the same for
    `"labels"` and `"segmentation_masks"` of a dict input (Keras 3.15 mixes the masks'
    flattened elements instead: a bug not followed). `"bounding_boxes"` (with
    `bounding_box_format`) keep both images' boxes: `(batch, 2 * N, 4)` boxes, as in
    Keras, and `(batch, 2 * N)` labels (Keras 3.15 stacks the labels on the batch axis,
    `(2 * batch, N)`, which no longer pairs them with their boxes).

    Args:
        alpha: the Beta distribution's concentration (default 0.2): small values mix little.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the weights and permutations reproducible.
        **kwargs: base layer arguments.

    Call arguments:
        data: images (batched or not), or a dict with `"images"` and optionally `"labels"`,
            `"bounding_boxes"` and `"segmentation_masks"`.
        training: only `training=False` disables the augmentation; then the images are
            returned as they came (in their dtype, as Keras does).

    Example:
        >>> import torch
        >>> x = torch.rand(2, 6, 6, 1)
        >>> bool(torch.equal(MixUp(seed=1)(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        alpha: float = 0.2,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self.seed = seed

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, torch.Tensor]:
        """Keras's `{"mix_weight": (batch,), "permutation_order": (batch,) int64}`."""
        images = data["images"] if isinstance(data, dict) else data
        n, device = images.shape[0], images.device
        weight = beta(self, self.alpha, n, device)
        return {"mix_weight": weight, "permutation_order": permutation(self, n, device)}

    @staticmethod
    def _mix(t: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        w = transformation["mix_weight"].to(t.dtype).view(-1, *([1] * (t.ndim - 1)))
        return w * t + (1.0 - w) * t[transformation["permutation_order"]]

    def transform_images(
        self, images: torch.Tensor, transformation: Any, training: bool = True
    ) -> torch.Tensor:
        if not training:
            return images
        return self._mix(self._to_float(images), transformation)

    def transform_labels(self, labels: Any, transformation: Any, training: bool = True) -> Any:
        if not training:
            return labels
        return self._mix(self._to_float(labels), transformation)

    def transform_segmentation_masks(
        self, segmentation_masks: Any, transformation: Any, training: bool = True
    ) -> Any:
        return self.transform_labels(segmentation_masks, transformation, training)

    def transform_bounding_boxes(
        self, bounding_boxes: dict[str, Any], transformation: Any, training: bool = True
    ) -> dict[str, Any]:
        if not training:
            return bounding_boxes
        order = transformation["permutation_order"]
        boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
        return {
            "boxes": torch.cat([boxes, boxes[order]], dim=1),
            "labels": torch.cat([labels, labels[order]], dim=1),
        }

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}
