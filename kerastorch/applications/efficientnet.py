"""`keras.applications.efficientnet`: EfficientNetB0..B7 with their ImageNet weights.

The models rescale and normalize their inputs themselves (pixels in [0, 255]), so
`preprocess_input` is the identity.

Example:
    >>> from kerastorch.applications import efficientnet
    >>> model = efficientnet.EfficientNetB0(weights=None, include_top=False,
    ...                                     input_shape=(32, 32, 3))
    >>> tuple(model.output.shape)
    (None, 1, 1, 1280)
"""

from __future__ import annotations

from typing import Any

from kerastorch.applications import imagenet_utils
from kerastorch.applications._efficientnet_blocks import efficientnet
from kerastorch.models import Model

WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}

# (width_coefficient, depth_coefficient, default_size, dropout_rate) per variant.
_SCALING = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}


def _variant(key: str, **kwargs: Any) -> Model:
    width, depth, size, dropout = _SCALING[key]
    return efficientnet(
        width, depth, size, dropout, weights_name=key, weights_hashes=WEIGHTS_HASHES, **kwargs
    )


def _constructor(key: str) -> Any:
    def constructor(
        include_top: bool = True,
        weights: Any = "imagenet",
        input_tensor: Any = None,
        input_shape: tuple[int, ...] | None = None,
        pooling: str | None = None,
        classes: int = 1000,
        classifier_activation: Any = "softmax",
        name: str = f"efficientnet{key}",
    ) -> Model:
        return _variant(
            key,
            name=name,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
        )

    title = f"EfficientNet{key.upper()}"
    constructor.__name__ = constructor.__qualname__ = title
    constructor.__doc__ = (
        f"Instantiates the {title} architecture (Tan & Le, ICML 2019), Keras's layers and "
        "names; the model includes its input rescaling/normalization (pixels in [0, 255]).\n\n"
        "Args:\n"
        "    include_top: whether to include the classifier (`avg_pool`, dropout, `predictions`).\n"
        '    weights: `None`, `"imagenet"` or the path to a weights file.\n'
        "    input_tensor: optional tensor to use as the model's input.\n"
        "    input_shape: optional shape tuple, only with `include_top=False`.\n"
        '    pooling: `None`, `"avg"` or `"max"` pooling of the features without the top.\n'
        "    classes: number of classes, with `include_top=True` and no `weights`.\n"
        "    classifier_activation: activation of the `predictions` layer.\n"
        "    name: the model's name.\n\n"
        "Returns:\n"
        "    A `Model` instance."
    )
    return constructor


EfficientNetB0 = _constructor("b0")
EfficientNetB1 = _constructor("b1")
EfficientNetB2 = _constructor("b2")
EfficientNetB3 = _constructor("b3")
EfficientNetB4 = _constructor("b4")
EfficientNetB5 = _constructor("b5")
EfficientNetB6 = _constructor("b6")
EfficientNetB7 = _constructor("b7")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """The identity: EfficientNet models preprocess their inputs themselves.

    Kept, as in Keras, so that every application module has a `preprocess_input`.

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
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "decode_predictions",
    "preprocess_input",
]
