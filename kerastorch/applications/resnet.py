"""`keras.applications.resnet`: ResNet50, ResNet101, ResNet152 (He et al., 2015), with caffe
preprocessing (RGB to BGR, minus the ImageNet channel means).

Example:
    >>> from kerastorch.applications.resnet import ResNet50
    >>> model = ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    >>> tuple(model.output.shape)
    (None, 2048)
"""

from __future__ import annotations

from typing import Any

from kerastorch.applications import imagenet_utils
from kerastorch.applications._resnet_blocks import resnet
from kerastorch.models import Model

# Keras's file hashes per weights name: (with the top, without it).
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
}


def ResNet50(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet50",
) -> Model:
    """Instantiate ResNet50, optionally with Keras's ImageNet weights.

    Args:
        include_top: whether to include the classifier (`avg_pool` + `predictions`) on top.
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
    return resnet(
        (3, 4, 6, 3),
        False,
        "resnet50",
        WEIGHTS_HASHES["resnet50"],
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet101(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet101",
) -> Model:
    """Instantiate ResNet101, optionally with Keras's ImageNet weights.

    Args:
        include_top: whether to include the classifier (`avg_pool` + `predictions`) on top.
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
    return resnet(
        (3, 4, 23, 3),
        False,
        "resnet101",
        WEIGHTS_HASHES["resnet101"],
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet152(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet152",
) -> Model:
    """Instantiate ResNet152, optionally with Keras's ImageNet weights.

    Args:
        include_top: whether to include the classifier (`avg_pool` + `predictions`) on top.
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
    return resnet(
        (3, 8, 36, 3),
        False,
        "resnet152",
        WEIGHTS_HASHES["resnet152"],
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


__all__ = ["ResNet50", "ResNet101", "ResNet152", "decode_predictions", "preprocess_input"]
