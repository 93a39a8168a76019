"""`keras.applications.inception_resnet_v2`: Inception-ResNet v2 (Szegedy et al., AAAI 2017)
with Keras's layers, names and ImageNet weights; inputs are preprocessed in "tf" mode (scaled
to [-1, 1]).

Each residual block adds its branch scaled by a constant through `CustomScaleLayer`, the layer
Keras defines here; it is saved as Keras saves it, so `.keras` files go both ways.

Example:
    >>> from kerastorch.applications import inception_resnet_v2
    >>> model = inception_resnet_v2.InceptionResNetV2(weights=None, include_top=False,
    ...                                               input_shape=(75, 75, 3))
    >>> tuple(model.output.shape), len(model.layers)
    ((None, 1, 1, 1536), 780)
"""

from __future__ import annotations

import os
from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.layers import Layer
from kerastorch.models import Model
from kerastorch.saving import get_custom_objects

BASE_WEIGHT_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/"
)
WEIGHTS_NAME = "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_NAME_NO_TOP = "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5"
WEIGHTS_HASH = "e693bd0210a403b3192acc6073ad2e96"
WEIGHTS_HASH_NO_TOP = "d19885ff4a710c122648d3b5c3b684e4"


class CustomScaleLayer(Layer):
    """`inputs[0] + inputs[1] * scale`: a residual branch added to its shortcut, scaled.

    Args:
        scale: the factor of the branch (`inputs[1]`).
    """

    _keras_module = "keras.src.applications.inception_resnet_v2"  # where Keras defines it
    _keras_private_name = "CustomScaleLayer"

    def __init__(self, scale: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs: Any) -> Any:
        return inputs[0] + inputs[1] * self.scale

    def compute_output_shape(self, input_shape: Any) -> tuple[int | None, ...]:
        return tuple(input_shape[0])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "scale": self.scale}


# Keras writes this layer's registered name without a package.
get_custom_objects().update({"CustomScaleLayer": CustomScaleLayer})


def conv2d_bn(
    x: Any,
    filters: int,
    kernel_size: int | tuple[int, int],
    strides: int = 1,
    padding: str = "same",
    activation: str | None = "relu",
    use_bias: bool = False,
    name: str | None = None,
) -> Any:
    """Conv2D, then (without a bias) BatchNormalization without scale, then the activation;
    named `name`, `name_bn` and `name_ac` as Keras's `conv2d_bn`."""
    x = layers.Conv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name
    )(x)
    if not use_bias:
        bn_name = None if name is None else f"{name}_bn"
        x = layers.BatchNormalization(axis=_model_frame.channel_axis(), scale=False, name=bn_name)(
            x
        )
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def _chain(x: Any, specs: list[tuple[int, Any]]) -> Any:
    for filters, kernel_size in specs:
        x = conv2d_bn(x, filters, kernel_size)
    return x


# The branches of each residual block type: (filters, kernel size) along each branch.
_BRANCHES = {
    "block35": [[(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]],
    "block17": [[(192, 1)], [(128, 1), (160, (1, 7)), (192, (7, 1))]],
    "block8": [[(192, 1)], [(192, 1), (224, (1, 3)), (256, (3, 1))]],
}


def inception_resnet_block(
    x: Any, scale: float, block_type: str, block_idx: int, activation: str | None = "relu"
) -> Any:
    """An Inception-ResNet block: `x + scale * conv(concat(branches(x)))`, then `activation`.

    Args:
        x: the input tensor.
        scale: the factor of the residual branch.
        block_type: `"block35"`, `"block17"` or `"block8"` (the branches' structure).
        block_idx: the block's index, in its layer names (`"block35_1_mixed"`, ...).
        activation: the activation after the sum, or `None`.
    """
    if block_type not in _BRANCHES:
        raise ValueError(
            'Unknown Inception-ResNet block type. Expects "block35", "block17" or "block8", '
            f"but got: {block_type}"
        )
    axis = _model_frame.channel_axis()
    branches = [_chain(x, specs) for specs in _BRANCHES[block_type]]
    block_name = f"{block_type}_{block_idx}"
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(
        mixed, x.shape[axis], 1, activation=None, use_bias=True, name=f"{block_name}_conv"
    )
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def _body(x: Any) -> Any:
    axis = _model_frame.channel_axis()
    # Stem: 35 x 35 x 192 at the default size.
    x = conv2d_bn(x, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)

    # Mixed 5b (Inception-A), then 10 block35: 35 x 35 x 320.
    branches = [
        conv2d_bn(x, 96, 1),
        _chain(x, [(48, 1), (64, 5)]),
        _chain(x, [(64, 1), (96, 3), (96, 3)]),
        conv2d_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1),
    ]
    x = layers.Concatenate(axis=axis, name="mixed_5b")(branches)
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)

    # Mixed 6a (Reduction-A), then 20 block17: 17 x 17 x 1088.
    branch_0 = conv2d_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = _chain(x, [(256, 1), (256, 3)])
    branch_1 = conv2d_bn(branch_1, 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=axis, name="mixed_6a")([branch_0, branch_1, branch_pool])
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)

    # Mixed 7a (Reduction-B), then 10 block8 (the last without activation): 8 x 8 x 2080.
    branch_0 = conv2d_bn(conv2d_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    branch_2 = conv2d_bn(_chain(x, [(256, 1), (288, 3)]), 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    branches = [branch_0, branch_1, branch_2, branch_pool]
    x = layers.Concatenate(axis=axis, name="mixed_7a")(branches)
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)

    # Final convolution: 8 x 8 x 1536.
    return conv2d_bn(x, 1536, 1, name="conv_7b")


def InceptionResNetV2(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: tuple[int, ...] | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "inception_resnet_v2",
) -> Model:
    """Instantiates the Inception-ResNet v2 architecture, with Keras's layers and names.

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
            "(pre-training on ImageNet), or the path to the weights file to be loaded."
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
    fname, file_hash = (
        (WEIGHTS_NAME, WEIGHTS_HASH) if include_top else (WEIGHTS_NAME_NO_TOP, WEIGHTS_HASH_NO_TOP)
    )
    imagenet_utils.load_weights(model, weights, fname, BASE_WEIGHT_URL + fname, file_hash)
    return model


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixels from [0, 255] to [-1, 1] ("tf" mode), as InceptionResNetV2's weights
    expect."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet classes of each prediction: `(class_name, description, score)`."""
    return imagenet_utils.decode_predictions(preds, top=top)


__all__ = ["InceptionResNetV2", "decode_predictions", "preprocess_input"]
