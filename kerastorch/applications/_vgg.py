"""The VGG network that `vgg16` and `vgg19` instantiate: five blocks of 3x3 ReLU convolutions
each closed by a 2x2 max pooling, then (with the top) `flatten`, `fc1`, `fc2`, `predictions`.
"""

from __future__ import annotations

from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"
_FILTERS = (64, 128, 256, 512, 512)


def vgg(
    convs_per_block: tuple[int, ...],
    file_prefix: str,
    hashes: tuple[str, str],
    *,
    include_top: bool,
    weights: Any,
    input_tensor: Any,
    input_shape: Any,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    name: str,
) -> Model:
    """Build a VGG with `convs_per_block[i]` convolutions in block `i + 1`.

    `file_prefix` is Keras's weight file stem (`vgg16`); `hashes` the (top, no-top) file hashes.
    """
    imagenet_utils.validate_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = img_input
    for block, (filters, convs) in enumerate(zip(_FILTERS, convs_per_block, strict=True), start=1):
        for conv in range(1, convs + 1):
            x = layers.Conv2D(
                filters,
                (3, 3),
                activation="relu",
                padding="same",
                name=f"block{block}_conv{conv}",
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.pooled(x, pooling)
    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    stem = f"{file_prefix}_weights_tf_dim_ordering_tf_kernels"
    fname = f"{stem}.h5" if include_top else f"{stem}_notop.h5"
    file_hash = hashes[0] if include_top else hashes[1]
    imagenet_utils.load_weights(model, weights, fname, f"{_BASE}{file_prefix}/{fname}", file_hash)
    return model


__all__ = ["vgg"]
