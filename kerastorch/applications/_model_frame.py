"""What every convolutional application does around its body: the image input (a fresh
`Input`, or the caller's `input_tensor`) and the head (the classifier or the feature pooling).
"""

from __future__ import annotations

from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import imagenet_utils
from kerastorch.utils import get_source_inputs


def image_input(input_tensor: Any, input_shape: tuple[int | None, ...]) -> Any:
    """The model's image input: `input_tensor` when it is a Keras tensor, else a new `Input`."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        return layers.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def model_inputs(input_tensor: Any, img_input: Any) -> Any:
    """The functional model's inputs: the sources of `input_tensor`, or the fresh input."""
    return get_source_inputs(input_tensor) if input_tensor is not None else img_input


def pooled(x: Any, pooling: str | None) -> Any:
    """Keras's feature-extractor head: global average / max pooling, or none."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    return x


def classifier(x: Any, classes: int, classifier_activation: Any, weights: Any) -> Any:
    """Keras's usual top: global average pooling and the `predictions` dense layer."""
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    imagenet_utils.validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)


def channel_axis() -> int:
    """The channels axis of a 4D image tensor under the current `image_data_format`."""
    return 3 if backend.image_data_format() == "channels_last" else 1


def make_divisible(v: float, divisor: int = 8, min_value: int | None = None) -> int:
    """Round a channel count to a multiple of `divisor`, never more than 10% below `v`."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


__all__ = ["channel_axis", "classifier", "image_input", "make_divisible", "model_inputs", "pooled"]
