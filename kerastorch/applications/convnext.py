"""`keras.applications.convnext`: ConvNeXt Tiny/Small/Base/Large/XLarge (Liu et al., CVPR
2022) with Keras's layers, names and ImageNet-1k weights. The models normalize their inputs
themselves (pixels in [0, 255], `include_preprocessing=True`), so `preprocess_input` is the
identity.

Example:
    >>> from kerastorch.applications import convnext
    >>> model = convnext.ConvNeXtTiny(weights=None, include_top=False,
    ...                               input_shape=(32, 32, 3))
    >>> tuple(model.output.shape)
    (None, 1, 1, 768)
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.applications._convnext_layers import LayerScale, StochasticDepth
from kerastorch.models import Model, Sequential
from kerastorch.utils import get_file

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"

WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}

_DEPTHS = [3, 3, 27, 3]
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {"depths": _DEPTHS, "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": _DEPTHS, "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": _DEPTHS, "projection_dims": [192, 384, 768, 1536], "default_size": 224},
    "xlarge": {"depths": _DEPTHS, "projection_dims": [256, 512, 1024, 2048], "default_size": 224},
}


def convnext_block(
    x: Any, projection_dim: int, drop_path_rate: float, layer_scale_init_value: Any, name: str
) -> Any:
    """Depthwise 7x7 conv, LayerNorm, an MLP (x4, GELU), LayerScale, and the residual add."""
    inputs = x
    x = layers.Conv2D(
        filters=projection_dim,
        kernel_size=7,
        padding="same",
        groups=projection_dim,
        name=f"{name}_depthwise_conv",
    )(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        x = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")(x)
    else:
        x = layers.Activation("linear", name=f"{name}_identity")(x)
    return inputs + x


def _downsampling(name: str, projection_dims: list[int]) -> list[Sequential]:
    stem = Sequential(
        [
            layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
            layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
        ],
        name=f"{name}_stem",
    )
    blocks = [stem]
    for i in range(3):
        blocks.append(
            Sequential(
                [
                    layers.LayerNormalization(
                        epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"
                    ),
                    layers.Conv2D(
                        projection_dims[i + 1],
                        kernel_size=2,
                        strides=2,
                        name=f"{name}_downsampling_conv_{i}",
                    ),
                ],
                name=f"{name}_downsampling_block_{i}",
            )
        )
    return blocks


def _check_imagenet_variant(weights_name: str, name: str, depths: Any, projection_dims: Any):
    expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
    if depths != expected["depths"] or projection_dims != expected["projection_dims"]:
        raise ValueError(
            f"Architecture configuration does not match {weights_name} variant. When using "
            "pre-trained weights, the model architecture must match the pre-trained "
            f"configuration exactly. Expected depths: {expected['depths']}, got: {depths}. "
            f"Expected projection_dims: {expected['projection_dims']}, got: {projection_dims}."
        )
    if weights_name not in name:
        raise ValueError(
            f'Model name "{name}" does not match weights variant "{weights_name}". When using '
            "imagenet weights, model name must contain the weights variant (e.g., "
            f'"convnext_{weights_name.split("convnext_")[-1]}").'
        )


def ConvNeXt(
    depths: list[int],
    projection_dims: list[int],
    drop_path_rate: float = 0.0,
    layer_scale_init_value: float | None = 1e-6,
    default_size: int = 224,
    name: str = "convnext",
    include_preprocessing: bool = True,
    include_top: bool = True,
    weights: Any = None,
    input_tensor: Any = None,
    input_shape: tuple[int, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    weights_name: str | None = None,
) -> Model:
    """A ConvNeXt of the given stage `depths` and widths (`projection_dims`), as Keras's."""
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "ConvNeXt does not support the `channels_first` image data format. Switch to "
            "`channels_last` by editing your local config file at ~/.keras/keras.json"
        )
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), `imagenet` "
            "(pre-training on ImageNet), or the path to the weights file to be loaded."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. '
            f"Received classes={classes}"
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
    if input_tensor is not None:
        inputs = _model_frame.model_inputs(input_tensor, img_input)[0]
        x = input_tensor
    else:
        inputs = x = img_input

    if include_preprocessing and input_shape[-1] == 3:
        x = layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=f"{name}_prestem_normalization",
        )(x)

    drop_rates = [float(rate) for rate in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i, downsample in enumerate(_downsampling(name, projection_dims)):
        x = downsample(x)
        for j in range(depths[i]):
            x = convnext_block(
                x,
                projection_dims[i],
                drop_rates[cur + j],
                layer_scale_init_value,
                name=f"{name}_stage_{i}_block_{j}",
            )
        cur += depths[i]

    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        x = _model_frame.pooled(x, pooling)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = Model(inputs=inputs, outputs=x, name=name)

    if weights == "imagenet":
        _check_imagenet_variant(weights_name, name, depths, projection_dims)
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
        weights = get_file(
            file_name, BASE_WEIGHTS_PATH + file_name, cache_subdir="models", file_hash=file_hash
        )
    if weights is not None:
        model.load_weights(weights)
    return model


def _constructor(size: str, title: str) -> Any:
    def constructor(
        include_top: bool = True,
        include_preprocessing: bool = True,
        weights: Any = "imagenet",
        input_tensor: Any = None,
        input_shape: tuple[int, ...] | None = None,
        pooling: str | None = None,
        classes: int = 1000,
        classifier_activation: Any = "softmax",
        name: str = f"convnext_{size}",
    ) -> Model:
        config = MODEL_CONFIGS[size]
        return ConvNeXt(
            weights_name=f"convnext_{size}",
            depths=config["depths"],
            projection_dims=config["projection_dims"],
            drop_path_rate=0.0,
            layer_scale_init_value=1e-6,
            default_size=config["default_size"],
            name=name,
            include_top=include_top,
            include_preprocessing=include_preprocessing,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
        )

    constructor.__name__ = constructor.__qualname__ = title
    constructor.__doc__ = (
        f"Instantiates the {title} architecture (Keras's layers and names).\n\n"
        "Args:\n"
        "    include_top: whether to include the classification head.\n"
        "    include_preprocessing: whether the model normalizes its [0, 255] inputs itself.\n"
        '    weights: `None`, `"imagenet"` or the path to a weights file.\n'
        "    input_tensor: optional tensor to use as the model's input.\n"
        "    input_shape: optional shape tuple, only with `include_top=False`.\n"
        '    pooling: `None`, `"avg"` or `"max"` pooling of the features without the top.\n'
        "    classes: number of classes, with `include_top=True` and no `weights`.\n"
        "    classifier_activation: activation of the head's dense layer.\n"
        "    name: the model's name.\n\n"
        "Returns:\n"
        "    A `Model` instance."
    )
    return constructor


ConvNeXtTiny = _constructor("tiny", "ConvNeXtTiny")
ConvNeXtSmall = _constructor("small", "ConvNeXtSmall")
ConvNeXtBase = _constructor("base", "ConvNeXtBase")
ConvNeXtLarge = _constructor("large", "ConvNeXtLarge")
ConvNeXtXLarge = _constructor("xlarge", "ConvNeXtXLarge")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """The identity: ConvNeXt models preprocess their inputs themselves.

    Args:
        x: a batch of images (array or tensor).
        data_format: ignored.

    Returns:
        `x`, unchanged.
    """
    return x


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet classes of each prediction: `(class_name, description, score)`."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = [
    "ConvNeXt",
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "LayerScale",
    "StochasticDepth",
    "decode_predictions",
    "preprocess_input",
]
