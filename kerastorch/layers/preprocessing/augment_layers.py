"""The augmentation layers that `RandAugment` and `AugMix` choose from (Keras's set).

Every sub-layer shares its parent's random generators (`share_generators`), so one seed
gives one reproducible stream of draws instead of several identical ones.

Example:
    >>> layers = make_augment_layers((0, 0.5), (0, 255), "bilinear", 1, "channels_last", None)
    >>> list(layers)[:3]
    ['random_shear', 'random_translation', 'random_rotation']
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.preprocessing.auto_contrast import AutoContrast
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.equalization import Equalization
from kerastorch.layers.preprocessing.random_brightness import RandomBrightness
from kerastorch.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from kerastorch.layers.preprocessing.random_contrast import RandomContrast
from kerastorch.layers.preprocessing.random_posterization import RandomPosterization
from kerastorch.layers.preprocessing.random_rotation import RandomRotation
from kerastorch.layers.preprocessing.random_sharpness import RandomSharpness
from kerastorch.layers.preprocessing.random_shear import RandomShear
from kerastorch.layers.preprocessing.random_translation import RandomTranslation
from kerastorch.layers.preprocessing.solarization import Solarization


def make_augment_layers(
    factor: tuple[float, float],
    value_range: Any,
    interpolation: str,
    seed: int | None,
    data_format: str | None,
    dtype: Any,
) -> dict[str, BaseImagePreprocessingLayer]:
    """Keras's `RandAugment` sub-layers (in its order), built from the parent's arguments."""
    common = {"seed": seed, "data_format": data_format, "dtype": dtype}
    colour = {**common, "factor": factor, "value_range": value_range}
    geometric = {**common, "interpolation": interpolation}
    return {
        "random_shear": RandomShear(x_factor=factor, y_factor=factor, **geometric),
        "random_translation": RandomTranslation(
            height_factor=factor, width_factor=factor, **geometric
        ),
        "random_rotation": RandomRotation(factor=factor, **geometric),
        "random_brightness": RandomBrightness(**colour),
        "random_color_degeneration": RandomColorDegeneration(**colour),
        "random_contrast": RandomContrast(**colour),
        "random_sharpness": RandomSharpness(**colour),
        "random_posterization": RandomPosterization(
            factor=max(1, int(8 * factor[1])), value_range=value_range, **common
        ),
        "solarization": Solarization(
            addition_factor=factor, threshold_factor=factor, value_range=value_range, **common
        ),
        "auto_contrast": AutoContrast(
            value_range=value_range, data_format=data_format, dtype=dtype
        ),
        "equalization": Equalization(value_range=value_range, data_format=data_format, dtype=dtype),
    }


def share_generators(
    parent: BaseImagePreprocessingLayer, layers: list[BaseImagePreprocessingLayer]
) -> None:
    """Make `layers` draw from `parent`'s generators (one stream per device)."""
    for layer in layers:
        layer._generators = parent._generators
