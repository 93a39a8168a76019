"""`keras.applications.mobilenet_v3`: MobileNetV3Small and MobileNetV3Large (Howard et al.,
2019). The models rescale their input themselves (`include_preprocessing=True`), so
`preprocess_input` returns its input unchanged.

Example:
    >>> from kerastorch.applications.mobilenet_v3 import MobileNetV3Small
    >>> model = MobileNetV3Small(input_shape=(32, 32, 3), weights=None, include_top=False)
    >>> tuple(model.output.shape)
    (None, 1, 1, 576)
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _mobilenet_v3_blocks as blocks
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
# Keras's file hashes per weights name: (with the top, without it).
WEIGHTS_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7",
        "07fb09a5933dd0c8eaafa16978110389",
    ),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862",
        "d3e8ec802a04aa4fc771ee12a9a9b836",
    ),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}


def _image_shape(input_shape: Any, input_tensor: Any) -> Any:
    """Keras's input-shape rules: check it against `input_tensor`, or take it from there."""
    channels_first = backend.image_data_format() == "channels_first"
    if input_shape is not None and input_tensor is not None:
        if not backend.is_keras_tensor(input_tensor):
            raise ValueError(
                f"MobileNetV3: input_tensor specified: {input_tensor} is not a keras tensor"
            )
        if input_tensor.shape[1 if channels_first else 2] != input_shape[1]:
            needed = "input_tensor.shape[1]" if channels_first else "input_tensor.shape[2]"
            raise ValueError(
                f"input_shape[1] must equal {needed}.  Received input_shape={input_shape}, "
                f"input_tensor.shape={input_tensor.shape}"
            )
    if input_shape is None and input_tensor is not None and backend.is_keras_tensor(input_tensor):
        rows, cols = input_tensor.shape[2:4] if channels_first else input_tensor.shape[1:3]
        # Keras swaps rows and columns here; kept so shapes agree with its models.
        input_shape = (3, cols, rows) if channels_first else (cols, rows, 3)
    if input_shape is None and input_tensor is None:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    return input_shape


def _mobilenet_v3(
    table: tuple,
    last_point_ch: int,
    model_type: str,
    input_shape: Any,
    alpha: float,
    minimalistic: bool,
    include_top: bool,
    weights: Any,
    input_tensor: Any,
    classes: int,
    pooling: str | None,
    dropout_rate: float,
    classifier_activation: Any,
    include_preprocessing: bool,
    name: str,
) -> Model:
    if not (weights in ("imagenet", None) or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights="imagenet"` with `include_top` as true, `classes` should be '
            f"1000.  Received classes={classes}"
        )
    input_shape = _image_shape(input_shape, input_tensor)
    channels_first = backend.image_data_format() == "channels_first"
    rows, cols = input_shape[1:3] if channels_first else input_shape[0:2]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received `input_shape={input_shape}`")
    if weights == "imagenet":
        if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for "
                "non minimalistic or `1.0` for minimalistic only."
            )
        if rows != cols or rows != 224:
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not 224. Weights for "
                "input shape (224, 224) will be loaded as the default.",
                stacklevel=3,
            )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    if minimalistic:
        kernel, activation, se_ratio = 3, blocks.relu, None
    else:
        kernel, activation, se_ratio = 5, blocks.hard_swish, 0.25
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = activation(blocks.bn(x, "conv_bn"))
    x = blocks.stack(x, table, alpha, kernel, activation, se_ratio)
    last_conv_ch = _model_frame.make_divisible(x.shape[_model_frame.channel_axis()] * 6, 8)
    if alpha > 1.0:
        last_point_ch = _model_frame.make_divisible(last_point_ch * alpha, 8)
    x = layers.Conv2D(last_conv_ch, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = activation(blocks.bn(x, "conv_1_bn"))
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, 1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, 1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    fname = file_hash = None
    if weights == "imagenet":
        weights_name = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
        fname = f"weights_mobilenet_v3_{weights_name}{'' if include_top else '_no_top_v2'}.h5"
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    imagenet_utils.load_weights(model, weights, fname, f"{BASE_WEIGHT_PATH}{fname}", file_hash)
    return model


_ARGS_DOC = """
    Args:
        input_shape: the image shape (at least 32x32, 3 channels); ImageNet weights are for
            224x224, any size is accepted.
        alpha: width multiplier (0.75 or 1.0 for ImageNet weights; 1.0 if minimalistic).
        minimalistic: no squeeze-excite, hard-swish or 5x5 convolutions.
        include_top: whether to include the classifier (`conv_2`, `logits`, `predictions`).
        weights: `None` (random initialization), `"imagenet"` or a weights file path.
        input_tensor: optional Keras tensor to use as the image input.
        classes: number of classes, when `include_top=True` and no `weights`.
        pooling: `None`, `"avg"` or `"max"` feature pooling when `include_top=False`.
        dropout_rate: dropout rate before the `logits` layer.
        classifier_activation: activation of the `predictions` layer (`None` for logits).
        include_preprocessing: whether the model rescales [0, 255] pixels to [-1, 1] itself.
        name: the model's name.

    Returns:
        A functional `Model`.
"""


def MobileNetV3Small(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Small",
) -> Model:
    return _mobilenet_v3(
        blocks.SMALL, 1024, "small", input_shape, alpha, minimalistic, include_top, weights,
        input_tensor, classes, pooling, dropout_rate, classifier_activation,
        include_preprocessing, name,
    )  # fmt: skip


def MobileNetV3Large(
    input_shape: tuple[int | None, ...] | None = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Large",
) -> Model:
    return _mobilenet_v3(
        blocks.LARGE, 1280, "large", input_shape, alpha, minimalistic, include_top, weights,
        input_tensor, classes, pooling, dropout_rate, classifier_activation,
        include_preprocessing, name,
    )  # fmt: skip


MobileNetV3Small.__doc__ = "Instantiate MobileNetV3Small, optionally with ImageNet weights.\n"
MobileNetV3Small.__doc__ += _ARGS_DOC
MobileNetV3Large.__doc__ = "Instantiate MobileNetV3Large, optionally with ImageNet weights.\n"
MobileNetV3Large.__doc__ += _ARGS_DOC


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Return `x` unchanged: MobileNetV3 models include their preprocessing."""
    return x


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet `(class_id, name, score)` triples of each prediction row."""
    return imagenet_utils.decode_predictions(preds, top=top)


# As in Keras, the constructors are public as `keras.applications.MobileNetV3Small/Large` only.
__all__ = ["decode_predictions", "preprocess_input"]
