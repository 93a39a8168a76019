"""`RandomGrayscale`: turns a random subset of the images to grayscale, in training.

Example:
    >>> import torch
    >>> y = RandomGrayscale(factor=1.0)(torch.rand(2, 4, 4, 3), training=True)
    >>> bool(torch.equal(y[..., 0], y[..., 2]))
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.ops.image.color import rgb_to_grayscale


class RandomGrayscale(BaseImagePreprocessingLayer):
    """Converts each image to grayscale with probability `factor` (training only).

    The grayscale image (`0.2989 R + 0.587 G + 0.114 B`) is repeated over the channels,
    so the output keeps the input's shape.

    On Keras's dict inputs the labels, bounding boxes (which need `bounding_box_format`) and
    segmentation masks pass through unchanged, as Keras's hooks say; Keras 3.15 itself
    fails on any dict (its `get_random_transformation` reads `data.shape`).

    Args:
        factor: the probability, in `[0, 1]`, that an image is converted (default 0.5).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the choices reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3)
        >>> bool(torch.equal(RandomGrayscale(factor=0.0)(x, training=True), x))
        True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        factor: float = 0.5,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        if factor < 0 or factor > 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor}")
        self.factor = factor
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        x = self._augment(x, self._sample(x.shape[0], x.device))
        return self._from_nchw(x, unbatched)

    def _sample(self, batch: int, device: torch.device) -> dict[str, torch.Tensor]:
        """Whether each image is converted, `(batch, 1, 1, 1)` booleans."""
        return {"apply": self._uniform((batch, 1, 1, 1), 0.0, 1.0, device) < self.factor}

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Replace the chosen NCHW images by their grayscale versions."""
        gray = rgb_to_grayscale(x, data_format="channels_first")
        return torch.where(params["apply"], gray, x)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": self.factor}
