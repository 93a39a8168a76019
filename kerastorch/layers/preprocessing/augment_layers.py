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
    bounding_box_format: str | None = None,
) -> dict[str, BaseImagePreprocessingLayer]:
    """Keras's `RandAugment` sub-layers (in its order), built from the parent's arguments.

    As in Keras, every sub-layer gets the parent's `bounding_box_format` (the geometric
    ones move boxes with it).
    """
    plain = {"data_format": data_format, "dtype": dtype, "bounding_box_format": bounding_box_format}
    common = {**plain, "seed": seed}
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
        "auto_contrast": AutoContrast(value_range=value_range, **plain),
        "equalization": Equalization(value_range=value_range, **plain),
    }


def share_generators(
    parent: BaseImagePreprocessingLayer, layers: list[BaseImagePreprocessingLayer]
) -> None:
    """Make `layers` draw from `parent`'s generators (one stream per device)."""
    for layer in layers:
        layer._generators = parent._generators


def draw_step(parent: BaseImagePreprocessingLayer, name: str, data: Any) -> dict[str, Any]:
    """One chosen operation: `{"layer_name", "transformation"}` (Keras's AugMix keys).

    The geometric operations draw their transformation now, so the images, boxes and masks
    get the same one; the colour operations (`call` on images only) draw when they run.
    """
    layer = getattr(parent, name)
    transformation = None
    if _has_hooks(layer):
        transformation = layer.get_random_transformation(data, training=True)
    return {"layer_name": name, "transformation": transformation}


def step_images(parent: BaseImagePreprocessingLayer, step: dict[str, Any], images: Any) -> Any:
    """Batched images through one operation drawn by `draw_step`."""
    layer = getattr(parent, step["layer_name"])
    if _has_hooks(layer):
        return layer.transform_images(images, step["transformation"], training=True)
    return layer.call(images, training=True)


def step_boxes(parent: BaseImagePreprocessingLayer, step: dict[str, Any], boxes: Any) -> Any:
    """Batched boxes through one operation (the colour operations leave them unchanged)."""
    layer = getattr(parent, step["layer_name"])
    if _has_hooks(layer):
        return layer.transform_bounding_boxes(boxes, step["transformation"], training=True)
    return boxes


def step_masks(parent: BaseImagePreprocessingLayer, step: dict[str, Any], masks: Any) -> Any:
    """Batched masks through one operation (the colour operations leave them unchanged)."""
    layer = getattr(parent, step["layer_name"])
    if _has_hooks(layer):
        return layer.transform_segmentation_masks(masks, step["transformation"], training=True)
    return masks


def _has_hooks(layer: BaseImagePreprocessingLayer) -> bool:
    """Whether `layer` draws its transformation in `get_random_transformation`."""
    base = BaseImagePreprocessingLayer.get_random_transformation
    return type(layer).get_random_transformation is not base
