"""`keras.applications.nasnet`: NASNet-A Mobile and Large (Zoph et al., CVPR 2018) with Keras's
layers, names and ImageNet weights; inputs are preprocessed in "tf" mode (scaled to [-1, 1]).

NASNet exists only in the `channels_last` image data format, as in Keras. Keras refuses
`NASNetMobile` on its torch backend ("an outstanding bug"); kerastorch builds it, with the
architecture that Keras builds on its other backends.

Example:
    >>> from kerastorch.applications import nasnet
    >>> model = nasnet.NASNetMobile(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> tuple(model.output.shape), model.count_params()
    ((None, 1, 1, 1056), 4269716)
"""

from __future__ import annotations

import os
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, _nasnet_cells, imagenet_utils
from kerastorch.models import Model

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
NASNET_MOBILE_WEIGHT_PATH = f"{BASE_WEIGHTS_PATH}NASNet-mobile.h5"
NASNET_MOBILE_WEIGHT_PATH_NO_TOP = f"{BASE_WEIGHTS_PATH}NASNet-mobile-no-top.h5"
NASNET_LARGE_WEIGHT_PATH = f"{BASE_WEIGHTS_PATH}NASNet-large.h5"
NASNET_LARGE_WEIGHT_PATH_NO_TOP = f"{BASE_WEIGHTS_PATH}NASNet-large-no-top.h5"

# Keras's cached file name, origin and md5 of each variant's weights: [size][include_top].
WEIGHT_FILES = {
    224: {
        True: ("nasnet_mobile.h5", NASNET_MOBILE_WEIGHT_PATH, "020fb642bf7360b370c678b08e0adf61"),
        False: (
            "nasnet_mobile_no_top.h5",
            NASNET_MOBILE_WEIGHT_PATH_NO_TOP,
            "1ed92395b5b598bdda52abe5c0dbfd63",
        ),
    },
    331: {
        True: ("nasnet_large.h5", NASNET_LARGE_WEIGHT_PATH, "11577c9a518f0070763c2b964a382f17"),
        False: (
            "nasnet_large_no_top.h5",
            NASNET_LARGE_WEIGHT_PATH_NO_TOP,
            "d81d89dc07e6e56530c4e77faddd61b5",
        ),
    },
}


def _validate(weights: Any, include_top: bool, classes: int, input_shape: Any) -> None:
    """Keras's NASNet argument checks, in Keras's order and with its messages."""
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "NASNet does not support the `channels_first` image data format. Switch to "
            "`channels_last` by editing your local config file at ~/.keras/keras.json"
        )
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), `imagenet` "
            "(pre-training on ImageNet), or the path to the weights file to be loaded."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should '
            "be 1000"
        )
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(
            "When specifying the input shape of a NASNet and loading `ImageNet` weights, the "
            "input_shape argument must be static (no None entries). Got: "
            f"`input_shape={input_shape}`."
        )


def _nasnet(
    input_shape: Any,
    penultimate_filters: int,
    num_blocks: int,
    stem_block_filters: int,
    skip_reduction: bool,
    include_top: bool,
    weights: Any,
    input_tensor: Any,
    pooling: str | None,
    classes: int,
    default_size: int,
    classifier_activation: Any,
    name: str,
) -> Model:
    """Keras's `NASNet(N @ P)` builder with `filter_multiplier=2`: a strided stem, two
    reduction cells, then three stacks of `num_blocks` normal cells separated by reductions."""
    _validate(weights, include_top, classes, input_shape)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    filters = penultimate_filters // 24

    x = layers.Conv2D(
        stem_block_filters,
        (3, 3),
        strides=(2, 2),
        padding="valid",
        use_bias=False,
        name="stem_conv1",
        kernel_initializer="he_normal",
    )(img_input)
    x = layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name="stem_bn1")(x)
    x, p = _nasnet_cells.reduction_a_cell(x, None, filters // 4, block_id="stem_1")
    x, p = _nasnet_cells.reduction_a_cell(x, p, filters // 2, block_id="stem_2")
    for stack in range(3):
        if stack:
            x, p0 = _nasnet_cells.reduction_a_cell(
                x, p, filters, block_id=f"reduce_{stack * num_blocks}"
            )
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block_id = f"{stack * num_blocks + i + (1 if stack else 0)}"
            x, p = _nasnet_cells.normal_a_cell(x, p, filters, block_id=block_id)
        filters *= 2
    x = layers.Activation("relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.pooled(x, pooling)
    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    fname, origin, file_hash = WEIGHT_FILES[default_size][include_top]
    imagenet_utils.load_weights(model, weights, fname, origin, file_hash)
    return model


def NASNetMobile(
    input_shape: tuple[int, ...] | None = None,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "nasnet_mobile",
) -> Model:
    """Instantiates NASNet-A Mobile (4 @ 1056), with Keras's layers and names.

    Args:
        input_shape: optional shape, only with `include_top=False` (else `(224, 224, 3)`);
            at least 32x32; `(224, 224, 3)` by default without the top too.
        include_top: whether to include the classifier (pooling and `predictions`).
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: optional tensor to use as the model's input.
        pooling: `None`, `"avg"` or `"max"` pooling of the features without the top.
        classes: number of classes, with `include_top=True` and no `weights`.
        classifier_activation: activation of the `predictions` layer.
        name: the model's name.

    Returns:
        A `Model` instance.
    """
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return _nasnet(
        input_shape,
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=224,
        classifier_activation=classifier_activation,
        name=name,
    )


def NASNetLarge(
    input_shape: tuple[int, ...] | None = None,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "nasnet_large",
) -> Model:
    """Instantiates NASNet-A Large (6 @ 4032), with Keras's layers and names.

    Args:
        input_shape: optional shape, only with `include_top=False` (else `(331, 331, 3)`);
            at least 32x32.
        include_top: whether to include the classifier (pooling and `predictions`).
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: optional tensor to use as the model's input.
        pooling: `None`, `"avg"` or `"max"` pooling of the features without the top.
        classes: number of classes, with `include_top=True` and no `weights`.
        classifier_activation: activation of the `predictions` layer.
        name: the model's name.

    Returns:
        A `Model` instance.
    """
    return _nasnet(
        input_shape,
        penultimate_filters=4032,
        num_blocks=6,
        stem_block_filters=96,
        skip_reduction=True,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=331,
        classifier_activation=classifier_activation,
        name=name,
    )


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixels from [0, 255] to [-1, 1] ("tf" mode), as NASNet's weights expect."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet classes of each prediction: `(class_name, description, score)`."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["NASNetLarge", "NASNetMobile", "decode_predictions", "preprocess_input"]
