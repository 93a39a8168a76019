"""`keras.applications.densenet`: DenseNet121, DenseNet169, DenseNet201 (Huang et al., 2017),
with torch preprocessing (scaled to [0, 1], normalised by the ImageNet mean and std).
DenseNet supports only the `channels_last` image data format.

Example:
    >>> from kerastorch.applications.densenet import DenseNet121
    >>> model = DenseNet121(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    >>> tuple(model.output.shape)
    (None, 1024)
"""

from __future__ import annotations

from typing import Any

from kerastorch.applications import imagenet_utils
from kerastorch.applications._densenet_blocks import densenet
from kerastorch.models import Model

# Keras's file hashes per weights name: (with the top, without it).
WEIGHTS_HASHES = {
    "densenet121": ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    "densenet169": ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    "densenet201": ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}


def DenseNet121(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet121",
) -> Model:
    """Instantiate DenseNet121, optionally with Keras's ImageNet weights.

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
    return densenet(
        (6, 12, 24, 16),
        "densenet121",
        WEIGHTS_HASHES["densenet121"],
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def DenseNet169(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet169",
) -> Model:
    """Instantiate DenseNet169, optionally with Keras's ImageNet weights.

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
    return densenet(
        (6, 12, 32, 32),
        "densenet169",
        WEIGHTS_HASHES["densenet169"],
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def DenseNet201(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int | None, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet201",
) -> Model:
    """Instantiate DenseNet201, optionally with Keras's ImageNet weights.

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
    return densenet(
        (6, 12, 48, 32),
        "densenet201",
        WEIGHTS_HASHES["densenet201"],
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
    """torch preprocessing: scaled to [0, 1], then normalised by the ImageNet mean and std."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet `(class_id, name, score)` triples of each prediction row."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions", "preprocess_input"]
