"""`keras.applications.xception`: Xception (Chollet, CVPR 2017) with Keras's layers, names and
ImageNet weights; inputs are preprocessed in "tf" mode (scaled to [-1, 1]).

Example:
    >>> from kerastorch.applications import xception
    >>> model = xception.Xception(weights=None, include_top=False, input_shape=(71, 71, 3))
    >>> tuple(model.output.shape)
    (None, 3, 3, 2048)
"""

from __future__ import annotations

import os
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model
from kerastorch.utils import get_file

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
WEIGHTS_PATH = _BASE + "xception_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = _BASE + "xception_weights_tf_dim_ordering_tf_kernels_notop.h5"
WEIGHTS_HASH = "0a58e3b7378bc2990ea3b43d5981f1f6"
WEIGHTS_HASH_NO_TOP = "b0042744bf5b25fce3cb969f33bebb97"


def _channel_axis() -> int:
    return 1 if backend.image_data_format() == "channels_first" else -1


def _sepconv_bn(x: Any, filters: int, name: str) -> Any:
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=_channel_axis(), name=f"{name}_bn")(x)


def _shortcut(x: Any, filters: int) -> Any:
    residual = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    return layers.BatchNormalization(axis=_channel_axis())(residual)


def _downsampling_block(x: Any, block: int, filters: tuple[int, int], first_act: bool) -> Any:
    """Two separable convolutions and a strided max pool, added to a strided 1x1 shortcut."""
    prefix = f"block{block}"
    residual = _shortcut(x, filters[1])
    if first_act:
        x = layers.Activation("relu", name=f"{prefix}_sepconv1_act")(x)
    x = _sepconv_bn(x, filters[0], f"{prefix}_sepconv1")
    x = layers.Activation("relu", name=f"{prefix}_sepconv2_act")(x)
    x = _sepconv_bn(x, filters[1], f"{prefix}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"{prefix}_pool")(x)
    return layers.add([x, residual])


def _middle_block(x: Any, block: int) -> Any:
    """Three ReLU + separable convolution steps with an identity shortcut."""
    residual = x
    for step in (1, 2, 3):
        x = layers.Activation("relu", name=f"block{block}_sepconv{step}_act")(x)
        x = _sepconv_bn(x, 728, f"block{block}_sepconv{step}")
    return layers.add([x, residual])


def _body(x: Any) -> Any:
    axis = _channel_axis()
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    x = _downsampling_block(x, 2, (128, 128), first_act=False)
    x = _downsampling_block(x, 3, (256, 256), first_act=True)
    x = _downsampling_block(x, 4, (728, 728), first_act=True)
    for block in range(5, 13):
        x = _middle_block(x, block)
    x = _downsampling_block(x, 13, (728, 1024), first_act=True)

    x = _sepconv_bn(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sepconv_bn(x, 2048, "block14_sepconv2")
    return layers.Activation("relu", name="block14_sepconv2_act")(x)


def Xception(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "xception",
) -> Model:
    """Instantiates the Xception architecture, with Keras's layers and names.

    Args:
        include_top: whether to include the classifier (`avg_pool`, `predictions`).
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: optional tensor to use as the model's input.
        input_shape: optional shape, only with `include_top=False`; at least 71x71.
        pooling: `None`, `"avg"` or `"max"` pooling of the features without the top.
        classes: number of classes, with `include_top=True` and no `weights`.
        classifier_activation: activation of the `predictions` layer.
        name: the model's name.

    Returns:
        A `Model` instance.
    """
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), 'imagenet' "
            "(pre-training on ImageNet), or the path to the weights file to be loaded."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  "
            f"Received classes={classes}"
        )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=71,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = _body(img_input)
    if include_top:
        x = _model_frame.classifier(x, classes, classifier_activation, weights)
    else:
        x = _model_frame.pooled(x, pooling)
    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    if weights == "imagenet":
        if include_top:
            fname, origin, file_hash = (
                "xception_weights_tf_dim_ordering_tf_kernels.h5",
                WEIGHTS_PATH,
                WEIGHTS_HASH,
            )
        else:
            fname, origin, file_hash = (
                "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
                WEIGHTS_PATH_NO_TOP,
                WEIGHTS_HASH_NO_TOP,
            )
        weights = get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
    if weights is not None:
        model.load_weights(weights)
    return model


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixels from [0, 255] to [-1, 1] ("tf" mode), as Xception's weights expect."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet classes of each prediction: `(class_name, description, score)`."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["Xception", "decode_predictions", "preprocess_input"]
