"""`keras.visualization.draw_segmentation_masks`: colour each class of a mask on its image."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype
from kerastorch.ops.conversion import convert_to_numpy


def draw_segmentation_masks(
    images: Any,
    segmentation_masks: Any,
    num_classes: int | None = None,
    color_mapping: dict[int, Any] | None = None,
    alpha: float = 0.8,
    blend: bool = True,
    ignore_index: int = -1,
    data_format: str | None = None,
) -> np.ndarray:
    """Draws segmentation masks on images.

    Each pixel whose mask value is a class `c` in `[0, num_classes)` takes the colour of `c`,
    blended with the image by `alpha`; pixels equal to `ignore_index` keep the image.

    Args:
        images: A batch of images, a 4D tensor or NumPy array: `(batch, height, width,
            channels)`, or `(batch, channels, height, width)` when channels_first.
        segmentation_masks: Integer class indices, `(batch, height, width)` or
            `(batch, height, width, 1)` (`(batch, 1, height, width)` when channels_first).
        num_classes: The number of classes. If `None`, the largest mask value plus one.
        color_mapping: A dict from class index to an RGB colour. If `None`, a default
            palette is generated (class `0` is black). Classes missing from the dict are
            not coloured.
        alpha: The opacity of the masks, in `[0, 1]`. Defaults to `0.8`.
        blend: Whether to blend the masks with the images using `alpha`. If `False`, the
            class colours replace the pixels (float32 result). Defaults to `True`.
        ignore_index: The mask value that is never drawn. Defaults to `-1`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `keras.config.image_data_format()`.

    Returns:
        A NumPy array of channels_last images, `(batch, height, width, channels)`, whatever
        `data_format` was (as in Keras): uint8 when `blend`, else float32.

    Unlike Keras 3.15 (torch backend): masks without the trailing axis are accepted, as
    Keras documents; `num_classes=None` counts the largest class (Keras raises, or on other
    backends leaves that class undrawn); `blend=False` returns a NumPy array, not a tensor.

    Raises:
        ValueError: If `images` is not 4D or the masks do not match it.
        TypeError: If `segmentation_masks` is not of an integer dtype.

    Example:
        >>> import numpy as np
        >>> images = np.full((1, 2, 2, 3), 100, dtype="uint8")
        >>> masks = np.array([[[0, 1], [2, -1]]])
        >>> drawn = draw_segmentation_masks(images, masks, alpha=0.5)  # palette: 1 -> (1, 127, 31)
        >>> drawn.dtype, drawn[0, 0, 1].tolist(), drawn[0, 1, 1].tolist()  # -1 is not drawn
        (dtype('uint8'), [50, 113, 65], [100, 100, 100])
    """
    data_format = config.standardize_data_format(data_format)
    images = convert_to_numpy(images)
    masks = convert_to_numpy(segmentation_masks)
    masks_shape = masks.shape
    if images.ndim != 4:
        raise ValueError(
            f"`images` must be batched 4D tensor. Received: images.shape={images.shape}"
        )
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
        if masks.ndim == 4:
            masks = masks.transpose(0, 2, 3, 1)
    if not np.issubdtype(masks.dtype, np.integer):  # bool is not an integer dtype here
        raise TypeError(
            "`segmentation_masks` must be in integer dtype. "
            f"Received: segmentation_masks.dtype={standardize_dtype(masks.dtype)}"
        )
    if masks.ndim == 4 and masks.shape[-1] == 1:
        masks = masks[..., 0]
    if masks.shape != images.shape[:3]:
        raise ValueError(
            "`segmentation_masks` must have the shape (batch, height, width) or "
            f"(batch, height, width, 1) of `images`, {images.shape[:3]}. "
            f"Received: segmentation_masks.shape={masks_shape}"
        )

    if num_classes is None:
        num_classes = int(masks.max()) + 1 if masks.size else 0
    if color_mapping is None:
        color_mapping = dict(enumerate(_generate_color_palette(num_classes)))

    # Paint every class with its colour, then blend with the image where the mask is valid.
    images = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))  # (b, h, w, c)
    painted = images.clone()
    masks = torch.from_numpy(np.ascontiguousarray(masks))  # (b, h, w)
    for index in range(num_classes):
        if index in color_mapping:
            color = torch.as_tensor(np.asarray(color_mapping[index], dtype=np.float32))
            painted[masks == index] = color
    if not blend:
        return painted.numpy()
    outputs = images * (1 - alpha) + painted * alpha
    outputs = torch.where((masks != ignore_index)[..., None], outputs, images)
    return outputs.to(torch.uint8).numpy()


def _generate_color_palette(num_classes: int) -> list[list[int]]:
    """Keras's default palette: class `i` gets `(i * [2**25 - 1, 2**15 - 1, 2**21 - 1]) % 255`."""
    palette = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [((i * palette) % 255).tolist() for i in range(num_classes)]
