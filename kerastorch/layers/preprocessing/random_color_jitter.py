"""`RandomColorJitter`: random brightness, contrast, saturation and hue, in training.

Example:
    >>> import torch
    >>> layer = RandomColorJitter(value_range=(0, 1), brightness_factor=0.2, hue_factor=0.1)
    >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.augment_layers import share_generators
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    PixelValueLayer,
)
from kerastorch.layers.preprocessing.random_brightness import RandomBrightness
from kerastorch.layers.preprocessing.random_contrast import RandomContrast
from kerastorch.layers.preprocessing.random_hue import RandomHue
from kerastorch.layers.preprocessing.random_saturation import RandomSaturation


class RandomColorJitter(PixelValueLayer):
    """Applies `RandomBrightness`, `RandomContrast`, `RandomSaturation`, `RandomHue` in turn.

    Each adjustment runs (in that order) only when its factor is given; see those layers
    for the meaning of each factor. All draws come from this layer's seeded stream. On
    Keras's dict inputs the labels, bounding boxes (which need `bounding_box_format`) and
    segmentation masks pass through unchanged, as in Keras.

    Args:
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        brightness_factor: `RandomBrightness`'s `factor`, or None.
        contrast_factor: `RandomContrast`'s `factor`, or None.
        saturation_factor: `RandomSaturation`'s `factor`, or None.
        hue_factor: `RandomHue`'s `factor`, or None.
        seed: int, makes the draws reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3) * 255
        >>> layer = RandomColorJitter(contrast_factor=0.5, saturation_factor=0.5)
        >>> bool(torch.equal(layer(x, training=False), x))
        True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        brightness_factor: Any = None,
        contrast_factor: Any = None,
        saturation_factor: Any = None,
        hue_factor: Any = None,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self.seed = seed
        common = {
            "value_range": value_range,
            "seed": seed,
            "data_format": self.data_format,
            "dtype": kwargs.get("dtype"),
        }
        adjustments = (
            ("random_brightness", RandomBrightness, brightness_factor),
            ("random_contrast", RandomContrast, contrast_factor),
            ("random_saturation", RandomSaturation, saturation_factor),
            ("random_hue", RandomHue, hue_factor),
        )
        self._adjustments: list[BaseImagePreprocessingLayer] = []
        for name, cls, factor in adjustments:
            layer = None if factor is None else cls(factor=factor, **common)
            setattr(self, name, layer)
            if layer is not None:
                self._adjustments.append(layer)
        share_generators(self, self._adjustments)

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        # The sub-layers take batched images in `data_format`: check the rank, add the batch.
        x, unbatched = self._to_nchw(images)
        x = self._from_nchw(x, False)
        for layer in self._adjustments:
            x = layer.call(x, training=True)
        return x.squeeze(0) if unbatched else x

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "brightness_factor": self.brightness_factor,
            "contrast_factor": self.contrast_factor,
            "saturation_factor": self.saturation_factor,
            "hue_factor": self.hue_factor,
            "seed": self.seed,
        }
