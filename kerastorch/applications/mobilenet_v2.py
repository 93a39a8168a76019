"""`keras.applications.mobilenet_v2`: MobileNetV2 (Sandler et al., 2018), inverted residual
blocks with linear bottlenecks, width scaled by `alpha`, with tf preprocessing.

Example:
    >>> from kerastorch.applications.mobilenet_v2 import MobileNetV2
    >>> model = MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, weights=None, include_top=False)
    >>> tuple(model.output.shape)
    (None, 1, 1, 1280)
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_SIZES = (96, 128, 160, 192, 224)  # the input sizes Keras has ImageNet weights for
_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
# (filters, stride, expansion) of inverted residual blocks 0..16.
_BLOCKS = (
    (16, 1, 1),
    (24, 2, 6),
    (24, 1, 6),
    (32, 2, 6),
    *((32, 1, 6),) * 2,
    (64, 2, 6),
    *((64, 1, 6),) * 3,
    *((96, 1, 6),) * 3,
    (160, 2, 6),
    *((160, 1, 6),) * 2,
    (320, 1, 6),
)


def _bn(x: Any, name: str) -> Any:
    axis = _model_frame.channel_axis()
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)(x)


def _inverted_res_block(
    inputs: Any, expansion: int, stride: int, alpha: float, filters: int, block_id: int
) -> Any:
    """Expand 1x1 (not in block 0), depthwise 3x3, linear 1x1 projection, residual add."""
    in_channels = inputs.shape[_model_frame.channel_axis()]
    pointwise_filters = _model_frame.make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(
            expansion * in_channels, 1, padding="same", use_bias=False, name=f"{prefix}expand"
        )(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(_bn(x, f"{prefix}expand_BN"))
    if stride == 2:
        pad = imagenet_utils.correct_pad(x, 3)
        x = layers.ZeroPadding2D(padding=pad, name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size=3,
        strides=stride,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=f"{prefix}depthwise",
    )(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(_bn(x, f"{prefix}depthwise_BN"))
    x = layers.Conv2D(
        pointwise_filters, 1, padding="same", use_bias=False, name=f"{prefix}project"
    )(x)
    x = _bn(x, f"{prefix}project_BN")
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _spatial(shape: Any, offset: int) -> tuple[Any, Any]:
    """(rows, cols) of `shape`, whose first spatial axis under channels_last is `offset`."""
    first = offset + (1 if backend.image_data_format() == "channels_first" else 0)
    return shape[first], shape[first + 1]


def _check_input_tensor(input_tensor: Any, input_shape: Any) -> None:
    if not backend.is_keras_tensor(input_tensor):
        raise ValueError(
            f"input_tensor is not a Keras tensor; Received `input_tensor={input_tensor}`"
        )
    if backend.image_data_format() == "channels_first":
        if input_tensor.shape[1] != input_shape[1]:
            raise ValueError(
                "input_shape[1] must equal shape(input_tensor)[1] when `image_data_format` "
                f"is `channels_first`; Received `input_tensor.shape={input_tensor.shape}`, "
                f"`input_shape={input_shape}`"
            )
    elif input_tensor.shape[2] != input_shape[1]:
        raise ValueError(
            "input_tensor.shape[2] must equal input_shape[1]; Received "
            f"`input_tensor.shape={input_tensor.shape}`, `input_shape={input_shape}`"
        )


def _default_size(input_shape: Any, input_tensor: Any) -> int:
    """The input size Keras assumes: a square known ImageNet size, else 224."""
    if input_shape is not None:
        rows, cols = _spatial(input_shape, 0)
    elif input_tensor is not None and backend.is_keras_tensor(input_tensor):
        rows, cols = _spatial(input_tensor.shape, 1)
    else:
        return 224
    return rows if rows == cols and rows in _SIZES else 224


def MobileNetV2(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str | None = None,
) -> Model:
    """Instantiate MobileNetV2, optionally with Keras's ImageNet weights.

    Args:
        input_shape: the image shape (at least 32x32, 3 channels); ImageNet weights exist for
            square 96, 128, 160, 192 and 224 inputs.
        alpha: width multiplier (0.35, 0.5, 0.75, 1.0, 1.3 or 1.4 for ImageNet weights).
        include_top: whether to include the classifier (pooling + `predictions`).
        weights: `None` (random initialization), `"imagenet"` or a weights file path.
        input_tensor: optional Keras tensor to use as the image input.
        pooling: `None`, `"avg"` or `"max"` feature pooling when `include_top=False`.
        classes: number of classes, when `include_top=True` and no `weights`.
        classifier_activation: activation of the `predictions` layer (`None` for logits).
        name: the model's name; `mobilenetv2_{alpha:0.2f}_{rows}` by default.

    Returns:
        A functional `Model`.
    """
    if not (weights in ("imagenet", None) or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received `weights={weights}`"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights="imagenet"` with `include_top` as true, `classes` should be '
            f"1000. Received `classes={classes}`"
        )
    if input_shape is not None and input_tensor is not None:
        _check_input_tensor(input_tensor, input_shape)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=_default_size(input_shape, input_tensor),
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = _spatial(input_shape, 0)
    if weights == "imagenet":
        if alpha not in _ALPHAS:
            raise ValueError(
                "If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, "
                f"`0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha={alpha}`"
            )
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[96, 128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded "
                "as the default.",
                stacklevel=2,
            )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = layers.Conv2D(
        _model_frame.make_divisible(32 * alpha, 8),
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="Conv1",
    )(img_input)
    x = layers.ReLU(6.0, name="Conv1_relu")(_bn(x, "bn_Conv1"))
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last_filters = _model_frame.make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.ReLU(6.0, name="out_relu")(_bn(x, "Conv_1_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.pooled(x, pooling)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    fname = None
    if weights == "imagenet":
        suffix = ".h5" if include_top else "_no_top.h5"
        fname = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{suffix}"
    imagenet_utils.load_weights(model, weights, fname, f"{BASE_WEIGHT_PATH}{fname}", None)
    return model


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """tf preprocessing: pixels scaled from [0, 255] to [-1, 1]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet `(class_id, name, score)` triples of each prediction row."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["MobileNetV2", "decode_predictions", "preprocess_input"]
