"""`keras.applications.efficientnet_v2`: EfficientNetV2 B0..B3, S, M, L (Tan & Le, ICML 2021)
with Keras's layers, names and ImageNet weights. The models rescale their inputs themselves
(pixels in [0, 255], `include_preprocessing=True`), so `preprocess_input` is the identity.

Example:
    >>> from kerastorch.applications import efficientnet_v2
    >>> model = efficientnet_v2.EfficientNetV2B0(weights=None, include_top=False,
    ...                                          input_shape=(32, 32, 3))
    >>> tuple(model.output.shape)
    (None, 1, 1, 1280)
"""

from __future__ import annotations

from typing import Any

from kerastorch.applications import imagenet_utils
from kerastorch.applications._efficientnet_v2_blocks import efficientnet_v2
from kerastorch.models import Model

WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}

_KEYS = (
    "kernel_size",
    "num_repeat",
    "input_filters",
    "output_filters",
    "expand_ratio",
    "se_ratio",
    "strides",
    "conv_type",
)


def _stages(*rows: tuple) -> list[dict[str, Any]]:
    return [dict(zip(_KEYS, row, strict=True)) for row in rows]


# (kernel, repeats, in, out, expand, se_ratio, strides, conv_type: 1 fused / 0 MBConv)
_B_STAGES = (
    (3, 1, 32, 16, 1, 0, 1, 1),
    (3, 2, 16, 32, 4, 0, 2, 1),
    (3, 2, 32, 48, 4, 0, 2, 1),
    (3, 3, 48, 96, 4, 0.25, 2, 0),
    (3, 5, 96, 112, 6, 0.25, 1, 0),
    (3, 8, 112, 192, 6, 0.25, 2, 0),
)
DEFAULT_BLOCKS_ARGS = {
    "efficientnetv2-s": _stages(
        (3, 2, 24, 24, 1, 0.0, 1, 1),
        (3, 4, 24, 48, 4, 0.0, 2, 1),
        (3, 4, 48, 64, 4, 0, 2, 1),
        (3, 6, 64, 128, 4, 0.25, 2, 0),
        (3, 9, 128, 160, 6, 0.25, 1, 0),
        (3, 15, 160, 256, 6, 0.25, 2, 0),
    ),
    "efficientnetv2-m": _stages(
        (3, 3, 24, 24, 1, 0, 1, 1),
        (3, 5, 24, 48, 4, 0, 2, 1),
        (3, 5, 48, 80, 4, 0, 2, 1),
        (3, 7, 80, 160, 4, 0.25, 2, 0),
        (3, 14, 160, 176, 6, 0.25, 1, 0),
        (3, 18, 176, 304, 6, 0.25, 2, 0),
        (3, 5, 304, 512, 6, 0.25, 1, 0),
    ),
    "efficientnetv2-l": _stages(
        (3, 4, 32, 32, 1, 0, 1, 1),
        (3, 7, 32, 64, 4, 0, 2, 1),
        (3, 7, 64, 96, 4, 0, 2, 1),
        (3, 10, 96, 192, 4, 0.25, 2, 0),
        (3, 19, 192, 224, 6, 0.25, 1, 0),
        (3, 25, 224, 384, 6, 0.25, 2, 0),
        (3, 7, 384, 640, 6, 0.25, 1, 0),
    ),
    **{f"efficientnetv2-b{i}": _stages(*_B_STAGES) for i in range(4)},
}

# variant -> (width_coefficient, depth_coefficient, default_size, weights_name)
_SCALING = {
    "b0": (1.0, 1.0, 224, "b0"),
    "b1": (1.0, 1.1, 240, "b1"),
    "b2": (1.1, 1.2, 260, "b2"),
    "b3": (1.2, 1.4, 300, "b3"),
    "s": (1.0, 1.0, 384, "-s"),
    "m": (1.0, 1.0, 480, "-m"),
    "l": (1.0, 1.0, 480, "-l"),
}


def _constructor(variant: str, title: str) -> Any:
    def constructor(
        include_top: bool = True,
        weights: Any = "imagenet",
        input_tensor: Any = None,
        input_shape: tuple[int, ...] | None = None,
        pooling: str | None = None,
        classes: int = 1000,
        classifier_activation: Any = "softmax",
        include_preprocessing: bool = True,
        name: str = f"efficientnetv2-{variant}",
    ) -> Model:
        width, depth, size, weights_name = _SCALING[variant]
        return efficientnet_v2(
            width_coefficient=width,
            depth_coefficient=depth,
            default_size=size,
            name=name,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            include_preprocessing=include_preprocessing,
            weights_name=weights_name,
            default_blocks_args=DEFAULT_BLOCKS_ARGS,
            weights_hashes=WEIGHTS_HASHES,
        )

    constructor.__name__ = constructor.__qualname__ = title
    constructor.__doc__ = (
        f"Instantiates the {title} architecture (Keras's layers and names).\n\n"
        "Args:\n"
        "    include_top: whether to include the classifier (`avg_pool`, dropout, `predictions`).\n"
        '    weights: `None`, `"imagenet"` or the path to a weights file.\n'
        "    input_tensor: optional tensor to use as the model's input.\n"
        "    input_shape: optional shape tuple, only with `include_top=False`.\n"
        '    pooling: `None`, `"avg"` or `"max"` pooling of the features without the top.\n'
        "    classes: number of classes, with `include_top=True` and no `weights`.\n"
        "    classifier_activation: activation of the `predictions` layer.\n"
        "    include_preprocessing: whether the model rescales its [0, 255] inputs itself.\n"
        "    name: the model's name (as in Keras, the default blocks are looked up by it).\n\n"
        "Returns:\n"
        "    A `Model` instance."
    )
    return constructor


EfficientNetV2B0 = _constructor("b0", "EfficientNetV2B0")
EfficientNetV2B1 = _constructor("b1", "EfficientNetV2B1")
EfficientNetV2B2 = _constructor("b2", "EfficientNetV2B2")
EfficientNetV2B3 = _constructor("b3", "EfficientNetV2B3")
EfficientNetV2S = _constructor("s", "EfficientNetV2S")
EfficientNetV2M = _constructor("m", "EfficientNetV2M")
EfficientNetV2L = _constructor("l", "EfficientNetV2L")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """The identity: EfficientNetV2 models preprocess their inputs themselves.

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
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "decode_predictions",
    "preprocess_input",
]
