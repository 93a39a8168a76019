"""`RandomCrop`: crops a random `(height, width)` window in training; a centred one otherwise.

Example:
    >>> import torch
    >>> RandomCrop(4, 4, seed=0)(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 4, 4, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.center_crop import crop_or_resize, with_size
from kerastorch.layers.preprocessing.resizing import resize_images


class RandomCrop(BaseImagePreprocessingLayer):
    """Randomly crops images to `(height, width)` during training.

    In training, one random window (the same for the whole batch, as in Keras) is cut when
    the images are larger than the target in both dimensions; otherwise Keras's fallback
    runs (a target-size window from the start of the centred aspect-ratio window, resized
    to the target). At inference (`training=False`) the largest centred window with the
    target aspect ratio is cropped and resized to `(height, width)`, as Keras documents
    and tf.keras did. (Keras 3.15 returns the input unchanged at inference, which breaks
    the output shape it declares; kerastorch follows the documentation.)

    Args:
        height: int, output height.
        width: int, output width.
        seed: int, makes the crop positions reproducible. Keras draws a seed when none is
            given (and reports it in `get_config`); so does kerastorch.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Output shape:
        `(batch, height, width, channels)`, in the compute dtype (float32).

    Example:
        >>> import torch
        >>> RandomCrop(4, 4)(torch.rand(2, 8, 8, 3), training=False).shape
        torch.Size([2, 4, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height: int,
        width: int,
        seed: int | None = None,
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height = height
        self.width = width
        self.seed = seed if seed is not None else int(torch.randint(1, 10**9, ()))
        self._host_generator = torch.Generator().manual_seed(int(self.seed))

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        x, unbatched = self._to_nchw(self._to_float(inputs))
        in_h, in_w = x.shape[2], x.shape[3]
        if not self._is_training(training):
            return self._from_nchw(crop_or_resize(x, self.height, self.width), unbatched)
        if in_h > self.height and in_w > self.width:
            # Offsets are drawn on the host: slicing needs Python ints, and no device sync.
            top = int(torch.randint(in_h - self.height + 1, (), generator=self._host_generator))
            left = int(torch.randint(in_w - self.width + 1, (), generator=self._host_generator))
        else:
            # Keras: start at the centred aspect-ratio window, cut (at most) the target size,
            # then resize to the target.
            crop_h = max(min(in_h, int(float(in_w * self.height) / self.width)), 1)
            crop_w = max(min(in_w, int(float(in_h * self.width) / self.height)), 1)
            top, left = int(float(in_h - crop_h) / 2), int(float(in_w - crop_w) / 2)
        x = x[:, :, top : top + self.height, left : left + self.width]
        if x.shape[2:] != (self.height, self.width):
            x = resize_images(x, (self.height, self.width))
        return self._from_nchw(x, unbatched)

    def compute_output_shape(self, input_shape: tuple, *args: Any, **kwargs: Any) -> tuple:
        return with_size(input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "seed": self.seed,
        }
