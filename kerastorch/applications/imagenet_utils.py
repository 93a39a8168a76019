"""What every application shares: ImageNet preprocessing, `decode_predictions`, input-shape
checks, and loading Keras's pretrained weight files.

`preprocess_input(x, data_format=None, mode="caffe")` has Keras's three modes: `caffe` (RGB to
BGR, minus the ImageNet channel means, no scaling), `tf` (scaled to [-1, 1]) and `torch`
(scaled to [0, 1], then normalised by the ImageNet means and standard deviations). A NumPy
array comes back as a new float array (Keras writes over a float input; kerastorch leaves the
caller's array alone); a tensor comes back as a tensor.

Example:
    >>> import numpy as np
    >>> preprocess_input(np.full((1, 2, 2, 3), 255.0), mode="tf")[0, 0, 0].tolist()
    [1.0, 1.0, 1.0]
    >>> preprocess_input(np.zeros((2, 2, 3)))[0, 0].tolist()  # caffe: BGR minus the means
    [-103.939, -116.779, -123.68]
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any

import numpy as np
import torch

from kerastorch import activations, config
from kerastorch.utils.file_utils import get_file

CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
_CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"
_CAFFE_MEAN = (103.939, 116.779, 123.68)  # BGR
_TORCH_MEAN, _TORCH_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def _channel_shape(ndim: int, data_format: str) -> tuple[int, ...]:
    if data_format == "channels_first":
        return (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)
    return (1,) * (ndim - 1) + (3,)


def preprocess_input(x: Any, data_format: str | None = None, mode: str = "caffe") -> Any:
    """Preprocess a batch of images (values in [0, 255]) as the ImageNet weights expect.

    Args:
        x: a NumPy array or tensor, 3D or 4D, with 3 colour channels.
        data_format: `"channels_last"` or `"channels_first"`; `image_data_format()` by
            default.
        mode: `"caffe"`, `"tf"` or `"torch"` (see the module docstring).

    Returns:
        A float32 (floatx) array or tensor of the same shape.
    """
    if mode not in ("caffe", "tf", "torch"):
        raise ValueError(
            f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}"
        )
    if data_format is None:
        data_format = config.image_data_format()
    elif data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    if isinstance(x, np.ndarray):
        dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.dtype(config.floatx())
        array = x.astype(dtype, copy=True)
        return _preprocess(array, data_format, mode, lambda v: np.asarray(v, dtype))
    tensor = x if torch.is_floating_point(x) else x.to(getattr(torch, config.floatx()))
    return _preprocess(
        tensor,
        data_format,
        mode,
        lambda v: torch.tensor(v, dtype=tensor.dtype, device=tensor.device),
    )


def _preprocess(x: Any, data_format: str, mode: str, constant: Any) -> Any:
    if mode == "tf":
        return x / 127.5 - 1.0
    channel_axis = (0 if x.ndim == 3 else 1) if data_format == "channels_first" else x.ndim - 1
    shape = _channel_shape(x.ndim, data_format)
    if mode == "torch":
        mean = constant(_TORCH_MEAN).reshape(shape)
        std = constant(_TORCH_STD).reshape(shape)
        return (x / 255.0 - mean) / std
    index = [slice(None)] * x.ndim
    index[channel_axis] = [2, 1, 0]  # RGB -> BGR
    return x[tuple(index)] - constant(_CAFFE_MEAN).reshape(shape)


_CLASS_INDEX: dict[str, list[str]] = {}


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The `top` ImageNet classes of each prediction: `(class_name, description, score)`.

    Reads Keras's class index file (`imagenet_class_index.json`) through Keras's cache
    (`~/.keras/models`), downloading it the first time.
    """
    preds = preds.detach().cpu().numpy() if isinstance(preds, torch.Tensor) else np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
            f"(samples, 1000)). Received array with shape: {preds.shape}"
        )
    if not _CLASS_INDEX:
        path = get_file("imagenet_class_index.json", CLASS_INDEX_PATH, cache_subdir="models",
                        file_hash=_CLASS_INDEX_HASH)  # fmt: skip
        with open(path) as f:
            _CLASS_INDEX.update(json.load(f))
    results = []
    for pred in preds:
        indices = pred.argsort()[-top:][::-1]
        result = [(*_CLASS_INDEX[str(i)], pred[i]) for i in indices]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(
    input_shape: tuple[int | None, ...] | None,
    default_size: int,
    min_size: int,
    data_format: str,
    require_flatten: bool,
    weights: str | None = None,
) -> tuple[int | None, ...]:
    """The model's input shape: `input_shape` checked against the model's rules, or its
    default (Keras's `obtain_input_shape`, with its error messages)."""
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in (1, 3):
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an "
                f"input_shape with {channels} input channels.",
                stacklevel=3,
            )
        default_shape = (channels, default_size, default_size) if channels_first else (
            default_size, default_size, channels)  # fmt: skip
    else:
        default_shape = (3, default_size, default_size) if channels_first else (
            default_size, default_size, 3)  # fmt: skip
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, `input_shape` "
                f"should be {default_shape}.  Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels != 3 and weights == "imagenet":
            raise ValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        spatial = input_shape[1:] if channels_first else input_shape[:2]
        if any(s is not None and s < min_size for s in spatial):
            raise ValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def correct_pad(inputs: Any, kernel_size: int | tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """The zero-padding before a strided 2D convolution, as Keras's applications compute it."""
    axis = 2 if config.image_data_format() == "channels_first" else 1
    size = inputs.shape[axis : axis + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Pretrained weights allow only a softmax (or no) classifier activation."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in (activations.get("softmax"), activations.get(None)):
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the `classifier_activation` "
            "argument when using pretrained weights, with `include_top=True`; Received: "
            f"classifier_activation={classifier_activation}"
        )


def validate_weights(weights: Any, include_top: bool, classes: int) -> None:
    """`weights` is None, "imagenet" or a path; imagenet with a top needs 1000 classes."""
    if not (weights in ("imagenet", None) or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "'imagenet' (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  "
            f"Received classes={classes}"
        )


def load_weights(model: Any, weights: Any, fname: str, origin: str, file_hash: str | None) -> None:
    """Load `weights` into `model`: Keras's ImageNet file (fetched into `~/.keras/models`
    from Keras's origin, or found there) for `"imagenet"`, else the file at that path."""
    if weights == "imagenet":
        weights = get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
    if weights is not None:
        model.load_weights(weights)


__all__ = [
    "correct_pad",
    "decode_predictions",
    "load_weights",
    "obtain_input_shape",
    "preprocess_input",
    "validate_activation",
    "validate_weights",
]
