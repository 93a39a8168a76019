"""Image files and arrays: `load_img`, `img_to_array`, `array_to_img`, `save_img`, `smart_resize`.

Images are read and written with Pillow (an optional dependency: `pip install pillow`),
imported only when one of these functions needs it. `smart_resize` resizes with
`kerastorch.ops.image.resize`.

Example:
    >>> import numpy as np
    >>> smart_resize(np.zeros((4, 8, 3), "float32"), (2, 2)).shape
    (2, 2, 3)
"""

from __future__ import annotations

import io
import pathlib
import warnings
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.ops.image import resize

PIL_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def pil_image(function: str) -> Any:
    """The `PIL.Image` module, or an ImportError naming `function` and how to install Pillow."""
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(
            f"Could not import PIL.Image. The use of `{function}` requires PIL: install it with "
            "`pip install pillow`."
        ) from e
    return Image


def array_to_img(
    x: Any, data_format: str | None = None, scale: bool = True, dtype: Any = None
) -> Any:
    """A rank-3 array as a PIL image (scaled to `[0, 255]` first when `scale`).

    Example:
        >>> array_to_img(np.zeros((2, 3, 1))).size
        (3, 2)
    """
    data_format = config.standardize_data_format(data_format)
    image = pil_image("array_to_img")
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    x = np.asarray(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    channels = x.shape[2]
    if channels in (3, 4):
        return image.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def img_to_array(img: Any, data_format: str | None = None, dtype: Any = None) -> np.ndarray:
    """A PIL image (or array-like) as a rank-3 NumPy array of `floatx()` by default.

    Example:
        >>> img_to_array(np.zeros((2, 3)), data_format="channels_first").shape
        (1, 2, 3)
    """
    data_format = config.standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    elif x.ndim == 2:
        shape = (1, *x.shape) if data_format == "channels_first" else (*x.shape, 1)
        x = x.reshape(shape)
    else:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x


def save_img(
    path: Any,
    x: Any,
    data_format: str | None = None,
    file_format: str | None = None,
    scale: bool = True,
    **kwargs: Any,
) -> None:
    """Save an array as an image file (the format from `file_format` or the suffix)."""
    data_format = config.standardize_data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.")
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def convert_mode(img: Any, color_mode: str) -> Any:
    """`img` in `color_mode`'s PIL mode (grayscale keeps 16- and 32-bit images)."""
    if color_mode == "grayscale":
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    if color_mode == "rgba":
        return img if img.mode == "RGBA" else img.convert("RGBA")
    if color_mode == "rgb":
        return img if img.mode == "RGB" else img.convert("RGB")
    raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')


def load_img(
    path: Any,
    color_mode: str = "rgb",
    target_size: tuple[int, int] | None = None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
) -> Any:
    """Load an image file as a PIL image, optionally resized with Pillow.

    Args:
        path: a path (str, bytes, `pathlib.Path`) or an `io.BytesIO`.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        target_size: `(height, width)`, or None for the file's size.
        interpolation: Pillow's resampling: `"nearest"`, `"bilinear"`, `"bicubic"`,
            `"hamming"`, `"box"` or `"lanczos"`.
        keep_aspect_ratio: crop the centre to the target aspect ratio before resizing.

    Returns:
        A PIL image.
    """
    image = pil_image("load_img")
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    img = convert_mode(img, color_mode)
    if target_size is None or img.size == (target_size[1], target_size[0]):
        return img
    if interpolation not in PIL_INTERPOLATIONS:
        raise ValueError(
            f"Invalid interpolation method {interpolation} specified. Supported methods are "
            f"{', '.join(PIL_INTERPOLATIONS)}"
        )
    resample = getattr(image.Resampling, interpolation.upper())
    target_width, target_height = target_size[1], target_size[0]
    box = None
    if keep_aspect_ratio:
        width, height = img.size
        crop_height = min(height, width * target_height // target_width)
        crop_width = min(width, height * target_width // target_height)
        top, left = (height - crop_height) // 2, (width - crop_width) // 2
        box = [left, top, left + crop_width, top + crop_height]
    return img.resize((target_width, target_height), resample, box=box)


def smart_resize(
    x: Any,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    data_format: str = "channels_last",
    **kwargs: Any,
) -> Any:
    """Resize images to `size` without distortion: crop the centre to its aspect ratio first.

    Args:
        x: an image `(height, width, channels)` or a batch of them (channels first with
            `data_format="channels_first"`).
        size: the output `(height, width)`.
        interpolation: `"bilinear"`, `"nearest"` or `"bicubic"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The resized images: a NumPy array for a NumPy input, a torch tensor otherwise.
    """
    if kwargs:
        raise TypeError(f"smart_resize() got unexpected keyword arguments: {list(kwargs)}")
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x))
    if img.ndim not in (3, 4):
        raise ValueError(
            "Expected an image array with shape `(height, width, channels)`, or "
            "`(batch_size, height, width, channels)`, but got input with incorrect rank, of "
            f"shape {tuple(img.shape)}."
        )
    channels_last = data_format == "channels_last"
    height, width = img.shape[-3:-1] if channels_last else img.shape[-2:]
    target_height, target_width = size
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top, left = int((height - crop_height) / 2), int((width - crop_width) / 2)
    rows, cols = slice(top, top + crop_height), slice(left, left + crop_width)
    img = img[..., rows, cols, :] if channels_last else img[..., rows, cols]
    img = resize(img, size=size, interpolation=interpolation, data_format=data_format)
    return img.numpy() if isinstance(x, np.ndarray) else img


__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
