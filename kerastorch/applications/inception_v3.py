"""`keras.applications.inception_v3`: InceptionV3 (Szegedy et al., CVPR 2016) with Keras's
layers, names and ImageNet weights; inputs are preprocessed in "tf" mode (scaled to [-1, 1]).

Example:
    >>> from kerastorch.applications import inception_v3
    >>> model = inception_v3.InceptionV3(weights=None, include_top=False,
    ...                                  input_shape=(75, 75, 3))
    >>> tuple(model.output.shape)
    (None, 1, 1, 2048)
"""

from __future__ import annotations

import os
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model
from kerastorch.utils import get_file

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
WEIGHTS_PATH = _BASE + "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = _BASE + "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
WEIGHTS_HASH = "9a0d58056eeedaa3f26cb7ebd46da564"
WEIGHTS_HASH_NO_TOP = "bcbd6486424b2319ff4ef7d526e38f63"


def conv2d_bn(
    x: Any,
    filters: int,
    num_row: int,
    num_col: int,
    padding: str = "same",
    strides: tuple[int, int] = (1, 1),
    name: str | None = None,
) -> Any:
    """Conv2D (no bias), BatchNormalization (no scale) and ReLU, as Keras's `conv2d_bn`."""
    conv_name = None if name is None else f"{name}_conv"
    bn_name = None if name is None else f"{name}_bn"
    x = layers.Conv2D(
        filters,
        (num_row, num_col),
        strides=strides,
        padding=padding,
        use_bias=False,
        name=conv_name,
    )(x)
    x = layers.BatchNormalization(axis=_model_frame.channel_axis(), scale=False, name=bn_name)(x)
    return layers.Activation("relu", name=name)(x)


def _chain(x: Any, specs: list[tuple[int, int, int]]) -> Any:
    for filters, rows, cols in specs:
        x = conv2d_bn(x, filters, rows, cols)
    return x


def _avg_pool_branch(x: Any, filters: int) -> Any:
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def _concat(branches: list[Any], name: str | None = None) -> Any:
    return layers.concatenate(branches, axis=_model_frame.channel_axis(), name=name)


def _block_35(x: Any, pool_filters: int, name: str) -> Any:
    """The 35x35 module: 1x1, 5x5, double 3x3 and pooled branches (`mixed0..2`)."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = _chain(x, [(48, 1, 1), (64, 5, 5)])
    branch3x3dbl = _chain(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)])
    return _concat([branch1x1, branch5x5, branch3x3dbl, _avg_pool_branch(x, pool_filters)], name)


def _block_17(x: Any, filters: int, name: str) -> Any:
    """The 17x17 module with factorized 7x7 convolutions (`mixed4..7`)."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = _chain(x, [(filters, 1, 1), (filters, 1, 7), (192, 7, 1)])
    branch7x7dbl = _chain(
        x, [(filters, 1, 1), (filters, 7, 1), (filters, 1, 7), (filters, 7, 1), (192, 1, 7)]
    )
    return _concat([branch1x1, branch7x7, branch7x7dbl, _avg_pool_branch(x, 192)], name)


def _block_8(x: Any, name: str) -> Any:
    """The 8x8 module with split 1x3 / 3x1 branches (`mixed9`, `mixed10`)."""
    index = int(name.removeprefix("mixed")) - 9
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = _concat(
        [conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)], f"mixed9_{index}"
    )
    branch3x3dbl = _chain(x, [(448, 1, 1), (384, 3, 3)])
    branch3x3dbl = _concat([conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)])
    return _concat([branch1x1, branch3x3, branch3x3dbl, _avg_pool_branch(x, 192)], name)


def _body(x: Any) -> Any:
    x = conv2d_bn(x, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for pool_filters, name in ((32, "mixed0"), (64, "mixed1"), (64, "mixed2")):
        x = _block_35(x, pool_filters, name)

    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _chain(x, [(64, 1, 1), (96, 3, 3)])
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _concat([branch3x3, branch3x3dbl, branch_pool], "mixed3")

    for filters, name in ((128, "mixed4"), (160, "mixed5"), (160, "mixed6"), (192, "mixed7")):
        x = _block_17(x, filters, name)

    branch3x3 = conv2d_bn(x, 192, 1, 1)
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _chain(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1)])
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _concat([branch3x3, branch7x7x3, branch_pool], "mixed8")
    for name in ("mixed9", "mixed10"):
        x = _block_8(x, name)
    return x


def InceptionV3(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "inception_v3",
) -> Model:
    """Instantiates the Inception v3 architecture, with Keras's layers and names.

    Args:
        include_top: whether to include the classifier (`avg_pool`, `predictions`).
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: optional tensor to use as the model's input.
        input_shape: optional shape, only with `include_top=False`; at least 75x75.
        pooling: `None`, `"avg"` or `"max"` pooling of the features without the top.
        classes: number of classes, with `include_top=True` and no `weights`.
        classifier_activation: activation of the `predictions` layer.
        name: the model's name.

    Returns:
        A `Model` instance.
    """
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), `imagenet` "
            "(pre-training on ImageNet), or the path to the weights file to be loaded; "
            f"Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. '
            f"Received classes={classes}"
        )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=75,
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
                "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
                WEIGHTS_PATH,
                WEIGHTS_HASH,
            )
        else:
            fname, origin, file_hash = (
                "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
                WEIGHTS_PATH_NO_TOP,
                WEIGHTS_HASH_NO_TOP,
            )
        weights = get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
    if weights is not None:
        model.load_weights(weights)
    return model


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixels from [0, 255] to [-1, 1] ("tf" mode), as InceptionV3's weights expect."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet classes of each prediction: `(class_name, description, score)`."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["InceptionV3", "decode_predictions", "preprocess_input"]
