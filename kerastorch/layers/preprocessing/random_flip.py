"""`RandomFlip`: flips images horizontally and/or vertically at random, in training.

Example:
    >>> import torch
    >>> layer = RandomFlip("horizontal", seed=0)
    >>> x = torch.arange(4.0).reshape(1, 2, 2, 1)
    >>> y = layer(x, training=True)
    >>> bool(torch.equal(y, x) or torch.equal(y, x.flip(2)))
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """Randomly flips each image of a batch (probability 0.5), in training.

    As in Keras 3, one coin is tossed per image: with `"horizontal_and_vertical"` an image
    is either left alone or flipped along both axes (a 180 degree rotation).

    Args:
        mode: `"horizontal"` (left-right), `"vertical"` (up-down) or
            `"horizontal_and_vertical"` (default).
        seed: int, makes the sequence of flips reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Input shape:
        `(batch, height, width, channels)` or an unbatched `(height, width, channels)`
        (channels first likewise). Output: the same shape, in the compute dtype (float32).

    Example:
        >>> import torch
        >>> RandomFlip()(torch.ones(2, 8, 8, 3), training=False).shape
        torch.Size([2, 8, 8, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        mode: str = HORIZONTAL_AND_VERTICAL,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f"RandomFlip layer {self.name} received an unknown mode argument {mode!r}. "
                f"Expected one of {(HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)}."
            )
        self.mode = mode
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        flips = self._uniform((x.shape[0], 1, 1, 1), 0.0, 1.0, x.device) <= 0.5
        dims = {HORIZONTAL: (3,), VERTICAL: (2,), HORIZONTAL_AND_VERTICAL: (2, 3)}[self.mode]
        x = torch.where(flips, x.flip(dims), x)
        return self._from_nchw(x, unbatched)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
