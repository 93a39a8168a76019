"""EfficientNetV2's building blocks (MBConv and Fused-MBConv) and the whole network, with
Keras's layer names, order, types and weight shapes."""

from __future__ import annotations

import copy
import math
import os
from typing import Any

from kerastorch import backend, initializers, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model
from kerastorch.utils import get_file

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"

CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}


def round_filters(filters: float, width_coefficient: float, min_depth: int, depth_divisor: int):
    """Scale a filter count by `width_coefficient`, rounded to a multiple of `depth_divisor`."""
    filters *= width_coefficient
    rounded = int(filters + depth_divisor / 2) // depth_divisor * depth_divisor
    return int(max(min_depth or depth_divisor, rounded))


def round_repeats(repeats: int, depth_coefficient: float) -> int:
    """Scale a block's repeat count by `depth_coefficient`, rounded up."""
    return math.ceil(depth_coefficient * repeats)


def _conv(filters: int, kernel_size: int, strides: int, name: str) -> Any:
    return layers.Conv2D(
        filters,
        kernel_size=kernel_size,
        strides=strides,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        padding="same",
        data_format=backend.image_data_format(),
        use_bias=False,
        name=name,
    )


def _bn_act(x: Any, bn_momentum: float, activation: Any, bn_name: str, act_name: str) -> Any:
    x = layers.BatchNormalization(
        axis=_model_frame.channel_axis(), momentum=bn_momentum, name=bn_name
    )(x)
    return layers.Activation(activation, name=act_name)(x)


def _squeeze_excite(x: Any, filters: int, filters_se: int, activation: Any, name: str) -> Any:
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (filters, 1, 1) if _model_frame.channel_axis() == 1 else (1, 1, filters)
    se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    for units, act, suffix in ((filters_se, activation, "reduce"), (filters, "sigmoid", "expand")):
        se = layers.Conv2D(
            units,
            1,
            padding="same",
            activation=act,
            kernel_initializer=CONV_KERNEL_INITIALIZER,
            name=f"{name}se_{suffix}",
        )(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _residual(x: Any, inputs: Any, survival_probability: float, name: str) -> Any:
    if survival_probability:
        x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return layers.add([x, inputs], name=f"{name}add")


def block(
    inputs: Any,
    fused: bool,
    input_filters: int,
    output_filters: int,
    expand_ratio: int = 1,
    kernel_size: int = 3,
    strides: int = 1,
    se_ratio: float = 0.0,
    bn_momentum: float = 0.9,
    activation: Any = "swish",
    survival_probability: float = 0.8,
    name: str = "",
) -> Any:
    """An MBConv block (`fused=False`: 1x1 expand, depthwise conv) or a Fused-MBConv block
    (one full `kernel_size` conv for expansion), then squeeze-excite, projection, residual."""
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        size, step = (kernel_size, strides) if fused else (1, 1)
        x = _conv(filters, size, step, f"{name}expand_conv")(x)
        x = _bn_act(x, bn_momentum, activation, f"{name}expand_bn", f"{name}expand_activation")
    if not fused:
        x = layers.DepthwiseConv2D(
            kernel_size=kernel_size,
            strides=strides,
            depthwise_initializer=CONV_KERNEL_INITIALIZER,
            padding="same",
            data_format=backend.image_data_format(),
            use_bias=False,
            name=f"{name}dwconv2",
        )(x)
        x = _bn_act(x, bn_momentum, activation, f"{name}bn", f"{name}activation")
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, max(1, int(input_filters * se_ratio)), activation, name)

    single = fused and expand_ratio == 1  # the projection is the block's only convolution
    project = layers.Conv2D(
        output_filters,
        kernel_size=kernel_size if single else 1,
        strides=strides if single else 1,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        padding="same",
        use_bias=False,
        name=f"{name}project_conv",
        **({} if fused else {"data_format": backend.image_data_format()}),
    )
    x = project(x)
    axis = _model_frame.channel_axis()
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}project_bn")(x)
    if fused and expand_ratio == 1:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    if strides == 1 and input_filters == output_filters:
        x = _residual(x, inputs, survival_probability, name)
    return x


def _preprocessing(x: Any, name: str, channels: int) -> Any:
    if name.split("-")[-1].startswith("b") and channels == 3:
        x = layers.Rescaling(scale=1.0 / 255)(x)
        return layers.Normalization(
            mean=[0.485, 0.456, 0.406],
            variance=[0.229**2, 0.224**2, 0.225**2],
            axis=_model_frame.channel_axis(),
        )(x)
    return layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)


def efficientnet_v2(
    width_coefficient: float,
    depth_coefficient: float,
    default_size: int,
    dropout_rate: float = 0.2,
    drop_connect_rate: float = 0.2,
    depth_divisor: int = 8,
    min_depth: int = 8,
    bn_momentum: float = 0.9,
    activation: Any = "swish",
    blocks_args: Any = "default",
    name: str = "efficientnetv2",
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    weights_name: str | None = None,
    default_blocks_args: dict[str, list[dict[str, Any]]] | None = None,
    weights_hashes: dict[str, tuple[str, str]] | None = None,
) -> Model:
    """The EfficientNetV2 network, as Keras's `EfficientNetV2`."""
    if blocks_args == "default":
        blocks_args = default_blocks_args[name]
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), `imagenet` "
            "(pre-training on ImageNet), or the path to the weights file to be loaded."
            f"Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000'
        )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    axis = _model_frame.channel_axis()
    x = img_input
    if include_preprocessing:
        x = _preprocessing(x, name, input_shape[axis - 1])

    def scaled(filters: int) -> int:
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = _conv(scaled(blocks_args[0]["input_filters"]), 3, 2, "stem_conv")(x)
    x = _bn_act(x, bn_momentum, activation, "stem_bn", "stem_activation")

    blocks_args = copy.deepcopy(blocks_args)
    b = 0
    blocks = float(sum(args["num_repeat"] for args in blocks_args))
    for i, args in enumerate(blocks_args):
        if args["num_repeat"] <= 0:
            raise ValueError(
                "The number of repeats in `EfficientNetV2` must be > 0. "
                f"Received: num_repeat={args['num_repeat']}"
            )
        args["input_filters"] = scaled(args["input_filters"])
        args["output_filters"] = scaled(args["output_filters"])
        fused = {0: False, 1: True}[args.pop("conv_type")]
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = block(
                x,
                fused,
                activation=activation,
                bn_momentum=bn_momentum,
                survival_probability=drop_connect_rate * b / blocks,
                name=f"block{i + 1}{chr(j + 97)}_",
                **args,
            )
            b += 1

    x = _conv(scaled(1280), 1, 1, "top_conv")(x)
    x = _bn_act(x, bn_momentum, activation, "top_bn", "top_activation")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=DENSE_KERNEL_INITIALIZER,
            bias_initializer=initializers.Constant(0.0),
            name="predictions",
        )(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    model = Model(_model_frame.model_inputs(input_tensor, img_input), x, name=name)
    if weights == "imagenet":
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = weights_hashes[weights_name][0 if include_top else 1]
        weights = get_file(
            file_name, BASE_WEIGHTS_PATH + file_name, cache_subdir="models", file_hash=file_hash
        )
    if weights is not None:
        model.load_weights(weights)
    return model
