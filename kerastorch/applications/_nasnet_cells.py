"""The cells of NASNet-A (Zoph et al., CVPR 2018, Fig. 4) as Keras builds them: the normal cell,
the reduction cell, the separable-convolution block both use, and the adjustment of the
previous cell's output `p` to the current input's shape. Layer names, order and arguments
are Keras's (`channels_last` only, as Keras's NASNet).

Example:
    >>> from kerastorch import layers
    >>> x = layers.Input((16, 16, 8))
    >>> x, p = reduction_a_cell(x, None, 8, block_id="stem_1")
    >>> tuple(x.shape), tuple(p.shape)
    ((None, 8, 8, 32), (None, 16, 16, 8))
"""

from __future__ import annotations

from typing import Any

from kerastorch import layers
from kerastorch.applications import imagenet_utils


def _bn(name: str | None = None) -> Any:
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)


def _conv1x1(filters: int, name: str) -> Any:
    return layers.Conv2D(
        filters,
        (1, 1),
        strides=(1, 1),
        padding="same",
        use_bias=False,
        name=name,
        kernel_initializer="he_normal",
    )


def _same_avg_pool(name: str) -> Any:
    return layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=name)


def _strided_pool(pool: Any, name: str) -> Any:
    return pool((3, 3), strides=(2, 2), padding="valid", name=name)


def separable_conv_block(
    ip: Any,
    filters: int,
    kernel_size: tuple[int, int] = (3, 3),
    strides: tuple[int, int] = (1, 1),
    block_id: str | None = None,
) -> Any:
    """Twice ReLU, SeparableConv2D and BatchNormalization; the first convolution may stride
    (after Keras's `correct_pad` zero-padding)."""
    x = layers.Activation("relu")(ip)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size),
            name=f"separable_conv_1_pad_{block_id}",
        )(x)
        conv_pad = "valid"
    else:
        conv_pad = "same"
    x = layers.SeparableConv2D(
        filters,
        kernel_size,
        strides=strides,
        name=f"separable_conv_1_{block_id}",
        padding=conv_pad,
        use_bias=False,
    )(x)
    x = _bn(f"separable_conv_1_bn_{block_id}")(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(
        filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same", use_bias=False
    )(x)
    return _bn(f"separable_conv_2_bn_{block_id}")(x)


def _halve(p: Any, filters: int, index: int, block_id: str) -> Any:
    p = layers.AveragePooling2D(
        (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_{index}_{block_id}"
    )(p)
    return _conv1x1(filters // 2, f"adjust_conv_{index}_{block_id}")(p)


def adjust_block(p: Any, ip: Any, filters: int, block_id: str) -> Any:
    """The previous path `p` brought to the shape of the input `ip`: halved in size (two
    offset strided paths, concatenated) when it is larger, projected to `filters` channels
    when their counts differ; `ip` itself when there is no previous path."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = _halve(p, filters, 1, block_id)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = _halve(p2, filters, 2, block_id)
        p = layers.concatenate([p1, p2], axis=-1)
        return _bn(f"adjust_bn_{block_id}")(p)
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(filters, f"adjust_conv_projection_{block_id}")(p)
        return _bn(f"adjust_bn_{block_id}")(p)
    return p


def _squeeze(ip: Any, filters: int, kind: str, block_id: str) -> Any:
    h = layers.Activation("relu")(ip)
    h = _conv1x1(filters, f"{kind}_conv_1_{block_id}")(h)
    return _bn(f"{kind}_bn_1_{block_id}")(h)


def normal_a_cell(ip: Any, p: Any, filters: int, block_id: str) -> tuple[Any, Any]:
    """NASNet-A's normal cell on input `ip` and previous output `p`; returns `(x, ip)`."""
    p = adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "normal", block_id)

    def sep(x: Any, kernel: tuple[int, int], side: str) -> Any:
        return separable_conv_block(x, filters, kernel, block_id=f"normal_{side}_{block_id}")

    x1 = layers.add(
        [sep(h, (5, 5), "left1"), sep(p, (3, 3), "right1")], name=f"normal_add_1_{block_id}"
    )
    x2 = layers.add(
        [sep(p, (5, 5), "left2"), sep(p, (3, 3), "right2")], name=f"normal_add_2_{block_id}"
    )
    x3 = _same_avg_pool(f"normal_left3_{block_id}")(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4_1 = _same_avg_pool(f"normal_left4_{block_id}")(p)
    x4_2 = _same_avg_pool(f"normal_right4_{block_id}")(p)
    x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
    x5 = layers.add([sep(h, (3, 3), "left5"), h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def reduction_a_cell(ip: Any, p: Any, filters: int, block_id: str) -> tuple[Any, Any]:
    """NASNet-A's reduction cell (halves the size) on `ip` and `p`; returns `(x, ip)`."""
    p = adjust_block(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(
        padding=imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}"
    )(h)

    def sep(x: Any, kernel: tuple[int, int], side: str, strides: tuple[int, int]) -> Any:
        block = f"reduction_{side}_{block_id}"
        return separable_conv_block(x, filters, kernel, strides=strides, block_id=block)

    x1_1 = sep(h, (5, 5), "left1", (2, 2))
    x1_2 = sep(p, (7, 7), "right1", (2, 2))
    x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
    x2_1 = _strided_pool(layers.MaxPooling2D, f"reduction_left2_{block_id}")(h3)
    x2 = layers.add([x2_1, sep(p, (7, 7), "right2", (2, 2))], name=f"reduction_add_2_{block_id}")
    x3_1 = _strided_pool(layers.AveragePooling2D, f"reduction_left3_{block_id}")(h3)
    x3 = layers.add([x3_1, sep(p, (5, 5), "right3", (2, 2))], name=f"reduction_add3_{block_id}")
    x4 = _same_avg_pool(f"reduction_left4_{block_id}")(x1)
    x4 = layers.add([x2, x4])
    x5_1 = sep(x1, (3, 3), "left4", (1, 1))
    x5_2 = _strided_pool(layers.MaxPooling2D, f"reduction_right5_{block_id}")(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


__all__ = ["adjust_block", "normal_a_cell", "reduction_a_cell", "separable_conv_block"]
