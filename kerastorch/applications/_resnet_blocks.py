"""ResNet's building blocks (v1 bottleneck, v2 pre-activation bottleneck) and the whole network
that `resnet` and `resnet_v2` instantiate, with Keras's layer names and order.
"""

from __future__ import annotations

from typing import Any

from kerastorch import backend, layers
from kerastorch.applications import _model_frame, imagenet_utils
from kerastorch.models import Model

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
_FILTERS = (64, 128, 256, 512)
_EPS = 1.001e-5


def _bn(x: Any, name: str) -> Any:
    return layers.BatchNormalization(axis=_model_frame.channel_axis(), epsilon=_EPS, name=name)(x)


def residual_block_v1(
    x: Any, filters: int, stride: int = 1, conv_shortcut: bool = True, name: str = ""
) -> Any:
    """Bottleneck block, batch norm after each convolution, ReLU after the sum."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(shortcut, f"{name}_0_bn")
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_bn(x, f"{name}_1_bn"))
    x = layers.Conv2D(filters, 3, padding="SAME", name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_bn(x, f"{name}_2_bn"))
    x = _bn(layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x), f"{name}_3_bn")
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def residual_block_v2(
    x: Any, filters: int, stride: int = 1, conv_shortcut: bool = False, name: str = ""
) -> Any:
    """Pre-activation bottleneck block: batch norm and ReLU before the convolutions."""
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(_bn(x, f"{name}_preact_bn"))
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_bn(x, f"{name}_1_bn"))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_bn(x, f"{name}_2_bn"))
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def _stack_v1(x: Any, filters: int, blocks: int, stride1: int, name: str) -> Any:
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _stack_v2(x: Any, filters: int, blocks: int, stride1: int, name: str) -> Any:
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def resnet(
    blocks: tuple[int, int, int, int],
    preact: bool,
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
    """Build ResNet (`preact=False`) or ResNetV2 (`preact=True`) with `blocks[i]` blocks in
    stage `conv{i + 2}`; `hashes` are Keras's (top, no-top) file hashes for `weights_name`."""
    imagenet_utils.validate_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    if not preact:
        x = layers.Activation("relu", name="conv1_relu")(_bn(x, "conv1_bn"))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, count) in enumerate(zip(_FILTERS, blocks, strict=True)):
        if preact:  # v2 downsamples at the end of stages conv2..conv4
            x = _stack_v2(x, filters, count, 1 if stage == 3 else 2, f"conv{stage + 2}")
        else:  # v1 downsamples at the start of stages conv3..conv5
            x = _stack_v1(x, filters, count, 1 if stage == 0 else 2, f"conv{stage + 2}")
    if preact:
        x = layers.Activation("relu", name="post_relu")(_bn(x, "post_bn"))
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


__all__ = ["BASE_WEIGHTS_PATH", "residual_block_v1", "residual_block_v2", "resnet"]
