"""DenseNet's building blocks (the conv block, dense block and transition) and the whole
network that `densenet` instantiates, with Keras's layer names and order.
"""

from __future__ import annotations

import os
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
_EPS = 1.001e-5


def _bn_relu(x: Any, name: str) -> Any:
    x = layers.BatchNormalization(
        axis=_model_frame.channel_axis(), epsilon=_EPS, name=f"{name}_bn"
    )(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def conv_block(x: Any, growth_rate: int, name: str) -> Any:
    """BN-ReLU-1x1 conv, BN-ReLU-3x3 conv to `growth_rate` channels, concatenated to `x`."""
    x1 = _bn_relu(x, f"{name}_0")
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = _bn_relu(x1, f"{name}_1")
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=_model_frame.channel_axis(), name=f"{name}_concat")([x, x1])


def dense_block(x: Any, blocks: int, name: str) -> Any:
    """`blocks` conv blocks of growth rate 32."""
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x: Any, reduction: float, name: str) -> Any:
    """BN-ReLU, a 1x1 conv to `reduction` of the channels, 2x2 average pooling."""
    x = _bn_relu(x, name)
    filters = int(x.shape[_model_frame.channel_axis()] * reduction)
    x = layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def densenet(
    blocks: tuple[int, int, int, int],
    weights_name: str,
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
    """Build a DenseNet with `blocks[i]` conv blocks in dense block `conv{i + 2}`;
    `hashes` are Keras's (top, no-top) file hashes for `weights_name`."""
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "DenseNet does not support the `channels_first` image data format. Switch to "
            "`channels_last` by editing your local config file at ~/.keras/keras.json"
        )
    if not (weights in ("imagenet", None) or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            "loaded."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should '
            "be 1000"
        )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn_relu(x, "conv1")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks):
        x = dense_block(x, count, name=f"conv{stage + 2}")
        if stage < 3:
            x = transition_block(x, 0.5, name=f"pool{stage + 2}")
    x = layers.BatchNormalization(axis=_model_frame.channel_axis(), epsilon=_EPS, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = _model_frame.classifier(x, classes, classifier_activation, weights)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    stem = f"{weights_name}_weights_tf_dim_ordering_tf_kernels"
    fname = f"{stem}.h5" if include_top else f"{stem}_notop.h5"
    file_hash = hashes[0] if include_top else hashes[1]
    imagenet_utils.load_weights(model, weights, fname, BASE_WEIGHTS_PATH + fname, file_hash)
    return model


__all__ = ["conv_block", "dense_block", "densenet", "transition_block"]
