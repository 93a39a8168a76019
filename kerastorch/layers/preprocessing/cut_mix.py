"""`CutMix`: pastes a random box of another image of the batch, mixing labels by area.

Example:
    >>> import torch
    >>> data = {"images": torch.rand(4, 8, 8, 3), "labels": torch.eye(4)}
    >>> out = CutMix(seed=0)(data, training=True)
    >>> out["images"].shape, bool(torch.allclose(out["labels"].sum(-1), torch.ones(4)))
    (torch.Size([4, 8, 8, 3]), True)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing._augmentation import (
    beta,
    box_masks,
    check_unit_pair,
    merge_data,
    permutation,
    random_boxes,
    split_data,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class CutMix(BaseImagePreprocessingLayer):
    """CutMix augmentation ([Yun et al., 2019](https://arxiv.org/abs/1905.04899)), training only.

    For each image, a weight `w ~ Beta(a, a)` (with `a` drawn in `factor`, plus `1e-6`, once
    per batch) sets a box of `sqrt(1 - w)` of the height and width, at a random place; the
    box is filled from the same place of another image of the batch (a random permutation).
    Labels are mixed as `w * labels + (1 - w) * labels[permutation]`.

    Args:
        factor: a float `f` in `[0, 1]` (`a` drawn in `[0, f]`) or a pair `(lower, upper)`;
            default 1.
        seed: int, makes the boxes and permutations reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images (batched or not), or a dict with `"images"` and optionally `"labels"`
            and `"segmentation_masks"` (cut and pasted like the images). `"bounding_boxes"`
            raise NotImplementedError, as in Keras.
        training: only `training=False` disables the augmentation. Unbatched images are
            returned unchanged, as in Keras.

    Example:
        >>> import torch
        >>> CutMix(seed=1)(torch.rand(2, 6, 6, 1), training=False).shape
        torch.Size([2, 6, 6, 1])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = check_unit_pair(factor, "factor")
        self.seed = seed

    def call(self, data: Any, training: bool | None = True) -> Any:
        self._refuse_bounding_boxes(data, "Keras 3.15 raises NotImplementedError for them too")
        images, rest = split_data(data, "CutMix")
        x, unbatched = self._to_nchw(self._to_float(images))
        if not self._is_training(training) or unbatched:
            return merge_data(rest, self._from_nchw(x, unbatched))
        n, _, h, w = x.shape
        device = x.device
        alpha = self._uniform((), self.factor[0], self.factor[1], device) + 1e-6
        ratio = torch.sqrt(1.0 - beta(self, alpha, n, device))
        x0, x1, y0, y1 = random_boxes(self, ratio, ratio, h, w)
        masks = box_masks(x0, x1, y0, y1, h, w)
        order = permutation(self, n, device)
        x = torch.where(masks, x[order], x)
        updates = {}
        if rest is not None and "labels" in rest:
            labels = torch.as_tensor(rest["labels"])
            weight = (1.0 - (x1 - x0) * (y1 - y0) / (w * h)).view(-1, 1).to(x.dtype)
            updates["labels"] = weight * labels + (1.0 - weight) * labels[order]
        if rest is not None and "segmentation_masks" in rest:
            seg, _ = self._to_nchw(self._to_float(rest["segmentation_masks"]))
            seg = torch.where(masks, seg[order], seg)
            updates["segmentation_masks"] = self._from_nchw(seg, False)
        return merge_data(rest, self._from_nchw(x, unbatched), **updates)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
