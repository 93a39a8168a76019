"""`keras.applications.mobilenet`: MobileNet (Howard et al., 2017), depthwise-separable
convolutions scaled by `alpha` (width) and `depth_multiplier`, with tf preprocessing.

Example:
    >>> from kerastorch.applications.mobilenet import MobileNet
    >>> model = MobileNet(input_shape=(32, 32, 3), alpha=0.25, weights=None, include_top=False)
    >>> tuple(model.output.shape)
    (None, 1, 1, 256)
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_SIZES = (128, 160, 192, 224)  # the input sizes Keras has ImageNet weights for
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
# (pointwise filters, strides) of depthwise blocks 1..13.
_BLOCKS = (
    (64, 1),
    (128, 2),
    (128, 1),
    (256, 2),
    (256, 1),
    (512, 2),
    *((512, 1),) * 5,
    (1024, 2),
    (1024, 1),
)


def _conv_block(x: Any, filters: int, alpha: float) -> Any:
    """The stem: a strided 3x3 convolution, batch norm, ReLU6."""
    x = layers.Conv2D(
        int(filters * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1"
    )(x)
    x = layers.BatchNormalization(axis=_model_frame.channel_axis(), name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(
    x: Any, filters: int, alpha: float, depth_multiplier: int, strides: int, block_id: int
) -> Any:
    """Depthwise 3x3 (padded by hand when strided), batch norm, ReLU6, then pointwise 1x1."""
    axis = _model_frame.channel_axis()
    if strides != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if strides == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=(strides, strides),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        int(filters * alpha),
        (1, 1),
        padding="same",
        use_bias=False,
        strides=(1, 1),
        name=f"conv_pw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def _rows_cols(input_shape: Any) -> tuple[Any, Any]:
    if backend.image_data_format() == "channels_first":
        return input_shape[1], input_shape[2]
    return input_shape[0], input_shape[1]


def MobileNet(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    depth_multiplier: int = 1,
    dropout: float = 1e-3,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str | None = None,
) -> Model:
    """Instantiate MobileNet, optionally with Keras's ImageNet weights.

    Args:
        input_shape: the image shape (at least 32x32, 3 channels); ImageNet weights exist for
            square 128, 160, 192 and 224 inputs.
        alpha: width multiplier of every layer's filters (0.25, 0.5, 0.75, 1.0 for ImageNet).
        depth_multiplier: depthwise channel multiplier (1 for ImageNet weights).
        dropout: dropout rate before the classifier.
        include_top: whether to include the classifier (`conv_preds` + `predictions`).
        weights: `None` (random initialization), `"imagenet"` or a weights file path.
        input_tensor: optional Keras tensor to use as the image input.
        pooling: `None`, `"avg"` or `"max"` feature pooling when `include_top=False`.
        classes: number of classes, when `include_top=True` and no `weights`.
        classifier_activation: activation of the `predictions` layer (`None` for logits).
        name: the model's name; `mobilenet_{alpha:0.2f}_{rows}` by default.

    Returns:
        A functional `Model`.
    """
    if not (weights in ("imagenet", None) or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "'imagenet' (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded. Received weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  "
            f"Received classes={classes}"
        )
    default_size = 224
    if input_shape is not None:
        rows, cols = _rows_cols(input_shape)
        if rows == cols and rows in _SIZES:
            default_size = rows
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = _rows_cols(input_shape)
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError(
                "If imagenet weights are being loaded, depth multiplier must be 1.  "
                f"Received depth_multiplier={depth_multiplier}"
            )
        if alpha not in _ALPHA_TEXT:
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, "
                f"`0.75` or `1.0` only.  Received alpha={alpha}"
            )
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded as "
                "the default.",
                stacklevel=2,
            )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = _conv_block(img_input, 32, alpha)
    for block_id, (filters, strides) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, strides, block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.pooled(x, pooling)
    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    fname = None
    if weights == "imagenet":
        suffix = "tf.h5" if include_top else "tf_no_top.h5"
        fname = f"mobilenet_{_ALPHA_TEXT[alpha]}_{rows}_{suffix}"
    imagenet_utils.load_weights(model, weights, fname, f"{BASE_WEIGHT_PATH}{fname}", None)
    return model


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """tf preprocessing: pixels scaled from [0, 255] to [-1, 1]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet `(class_id, name, score)` triples of each prediction row."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]
