"""`keras.applications.resnet_v2`: ResNet50V2, ResNet101V2, ResNet152V2 (He et al., 2016,
pre-activation blocks), with tf preprocessing (scaled to [-1, 1]).

Example:
    >>> from kerastorch.applications.resnet_v2 import ResNet50V2
    >>> model = ResNet50V2(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
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
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}


def ResNet50V2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet50v2",
) -> Model:
    """Instantiate ResNet50V2, optionally with Keras's ImageNet weights.

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
        True,
        "resnet50v2",
        WEIGHTS_HASHES["resnet50v2"],
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet101V2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet101v2",
) -> Model:
    """Instantiate ResNet101V2, optionally with Keras's ImageNet weights.

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
        True,
        "resnet101v2",
        WEIGHTS_HASHES["resnet101v2"],
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet152V2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet152v2",
) -> Model:
    """Instantiate ResNet152V2, optionally with Keras's ImageNet weights.

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
        True,
        "resnet152v2",
        WEIGHTS_HASHES["resnet152v2"],
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
    """tf preprocessing: pixels scaled from [0, 255] to [-1, 1]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet `(class_id, name, score)` triples of each prediction row."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]
