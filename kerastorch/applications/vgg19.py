"""`keras.applications.vgg19`: VGG19 (Simonyan & Zisserman, 2015), with caffe preprocessing.

Example:
    >>> from kerastorch.applications.vgg19 import VGG19
    >>> model = VGG19(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    >>> tuple(model.output.shape)
    (None, 512)
"""

from __future__ import annotations

from typing import Any

from kerastorch.applications import imagenet_utils
from kerastorch.applications._vgg import vgg
from kerastorch.models import Model

# Keras's file hashes, (with the top, without it).
WEIGHTS_HASHES = ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")


def VGG19(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "vgg19",
) -> Model:
    """Instantiate VGG19, optionally with Keras's ImageNet weights.

    Args:
        include_top: whether to include the three fully-connected layers at the top.
        weights: `None` (random initialization), `"imagenet"` or a weights file path.
        input_tensor: optional Keras tensor to use as the image input.
        input_shape: the image shape when `include_top=False` (at least 32x32, 3 channels).
        pooling: `None`, `"avg"` or `"max"` feature pooling when `include_top=False`.
        classes: number of classes, when `include_top=True` and no `weights`.
        classifier_activation: activation of the `predictions` layer (`None` for logits).
        name: the model's name.

    Returns:
        A functional `Model`.
    """
    return vgg(
        (2, 2, 4, 4, 4),
        "vgg19",
        WEIGHTS_HASHES,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Caffe preprocessing: RGB to BGR, minus the ImageNet channel means, no scaling."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet `(class_id, name, score)` triples of each prediction row."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["VGG19", "decode_predictions", "preprocess_input"]
