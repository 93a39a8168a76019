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

from kerastorch.layers.preprocessing._augmentation import (
    beta,
    merge_data,
    permutation,
    split_data,
)
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


class MixUp(BaseImagePreprocessingLayer):
    """MixUp augmentation ([Zhang et al., 2017](https://arxiv.org/abs/1710.09412)), training only.

    Each image gets a weight `w ~ Beta(alpha, alpha)` and a partner from a random permutation
    of the batch: `images = w * images + (1 - w) * images[permutation]`, and the same for
    `"labels"` and `"segmentation_masks"` of a dict input.

    Args:
        alpha: the Beta distribution's concentration (default 0.2): small values mix little.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the weights and permutations reproducible.
        **kwargs: base layer arguments.

    Call arguments:
        data: images (batched or not), or a dict with `"images"` and optionally `"labels"`
            and `"segmentation_masks"`. Dicts with `"bounding_boxes"` are not supported.
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

    def call(self, data: Any, training: bool | None = True) -> Any:
        images, rest = split_data(data, "MixUp")
        if rest is not None and "bounding_boxes" in rest:
            raise NotImplementedError(
                "MixUp: 'bounding_boxes' inputs are not supported in kerastorch (Keras's "
                "concatenates the labels of the two boxes sets along the batch axis)."
            )
        if not self._is_training(training):
            return merge_data(rest, torch.as_tensor(images))
        x, unbatched = self._to_nchw(self._to_float(images))
        n, device = x.shape[0], x.device
        weight = beta(self, self.alpha, n, device).to(x.dtype)
        order = permutation(self, n, device)

        def mix(t: torch.Tensor, batched: bool) -> torch.Tensor:
            t = t if batched else t.unsqueeze(0)
            w = weight.view(-1, *([1] * (t.ndim - 1)))
            mixed = w * t + (1.0 - w) * t[order]
            return mixed if batched else mixed.squeeze(0)

        x = mix(x, True)
        updates = {}
        for key in ("labels", "segmentation_masks"):
            if rest is not None and key in rest:
                value = self._to_float(rest[key])
                updates[key] = mix(value, not unbatched)
        return merge_data(rest, self._from_nchw(x, unbatched), **updates)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}
