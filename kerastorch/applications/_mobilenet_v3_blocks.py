"""MobileNetV3's building blocks: activations, squeeze-excite, the inverted residual block and
the Small / Large block stacks, with Keras's layer names and order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerastorch import layers
from kerastorch.applications import _model_frame, imagenet_utils

_depth = _model_frame.make_divisible


def relu(x: Any) -> Any:
    """An unnamed `ReLU` layer (Keras names it automatically)."""
    return layers.ReLU()(x)


def hard_sigmoid(x: Any) -> Any:
    """`ReLU6(x + 3) / 6`, as a `ReLU` layer between two ops."""
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x: Any) -> Any:
    """An unnamed `Activation("hard_swish")` layer."""
    return layers.Activation("hard_swish")(x)


def bn(x: Any, name: str) -> Any:
    """Batch norm with MobileNet's epsilon and momentum."""
    axis = _model_frame.channel_axis()
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)(x)


def _se_block(inputs: Any, filters: int, se_ratio: float, prefix: str) -> Any:
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs
    )
    x = layers.Conv2D(
        _depth(filters * se_ratio), 1, padding="same", name=f"{prefix}squeeze_excite_conv"
    )(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, 1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def inverted_res_block(
    x: Any,
    expansion: float,
    filters: int,
    kernel_size: int,
    stride: int,
    se_ratio: float | None,
    activation: Callable[[Any], Any],
    block_id: int,
) -> Any:
    """Expand 1x1 (not in block 0), depthwise, optional squeeze-excite, linear projection."""
    shortcut = x
    infilters = x.shape[_model_frame.channel_axis()]
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(
            _depth(infilters * expansion), 1, padding="same", use_bias=False, name=f"{prefix}expand"
        )(x)
        x = activation(bn(x, f"{prefix}expand_bn"))
    if stride == 2:
        pad = imagenet_utils.correct_pad(x, kernel_size)
        x = layers.ZeroPadding2D(padding=pad, name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=f"{prefix}depthwise",
    )(x)
    x = activation(bn(x, f"{prefix}depthwise_bn"))
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = bn(x, f"{prefix}project_bn")
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


# (expansion, filters, kernel (None: the model's), stride, squeeze-excite, main activation?)
SMALL = (
    (1, 16, 3, 2, True, False),
    (72.0 / 16, 24, 3, 2, False, False),
    (88.0 / 24, 24, 3, 1, False, False),
    (4, 40, None, 2, True, True),
    (6, 40, None, 1, True, True),
    (6, 40, None, 1, True, True),
    (3, 48, None, 1, True, True),
    (3, 48, None, 1, True, True),
    (6, 96, None, 2, True, True),
    (6, 96, None, 1, True, True),
    (6, 96, None, 1, True, True),
)
LARGE = (
    (1, 16, 3, 1, False, False),
    (4, 24, 3, 2, False, False),
    (3, 24, 3, 1, False, False),
    (3, 40, None, 2, True, False),
    (3, 40, None, 1, True, False),
    (3, 40, None, 1, True, False),
    (6, 80, 3, 2, False, True),
    (2.5, 80, 3, 1, False, True),
    (2.3, 80, 3, 1, False, True),
    (2.3, 80, 3, 1, False, True),
    (6, 112, 3, 1, True, True),
    (6, 112, 3, 1, True, True),
    (6, 160, None, 2, True, True),
    (6, 160, None, 1, True, True),
    (6, 160, None, 1, True, True),
)


def stack(
    x: Any,
    blocks: tuple,
    alpha: float,
    kernel: int,
    activation: Callable[[Any], Any],
    se_ratio: float | None,
) -> Any:
    """Apply the `SMALL` or `LARGE` block table, filters scaled by `alpha`."""
    for block_id, (expansion, filters, size, stride, se, main) in enumerate(blocks):
        x = inverted_res_block(
            x,
            expansion,
            _depth(filters * alpha),
            kernel if size is None else size,
            stride,
            se_ratio if se else None,
            activation if main else relu,
            block_id,
        )
    return x


__all__ = [
    "LARGE",
    "SMALL",
    "bn",
    "hard_sigmoid",
    "hard_swish",
    "inverted_res_block",
    "relu",
    "stack",
]
