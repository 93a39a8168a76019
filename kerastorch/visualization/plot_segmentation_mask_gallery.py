"""`keras.visualization.plot_segmentation_mask_gallery`: images beside their masks."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.layers.preprocessing.image_value_range import transform_value_range
from kerastorch.ops.conversion import convert_to_numpy
from kerastorch.visualization.draw_segmentation_masks import draw_segmentation_masks
from kerastorch.visualization.plot_image_gallery import import_pyplot, plot_image_gallery


def plot_segmentation_mask_gallery(
    images: Any,
    num_classes: int,
    value_range: tuple[float, float] = (0, 255),
    y_true: Any = None,
    y_pred: Any = None,
    color_mapping: dict[int, Any] | None = None,
    blend: bool = True,
    alpha: float = 0.8,
    ignore_index: int = -1,
    data_format: str | None = None,
    **kwargs: Any,
) -> None:
    """Plots a gallery of images, one row each: the image, then its true and predicted masks.

    Needs matplotlib (`pip install matplotlib`).

    Args:
        images: A 4D tensor or NumPy array of images, `(batch, height, width, channels)`
            (`(batch, channels, height, width)` when channels_first).
        num_classes: The number of segmentation classes.
        value_range: The range of the images' values. Defaults to `(0, 255)`.
        y_true: The true masks, `(batch, height, width)` or `(batch, height, width, 1)`
            (`(batch, 1, height, width)` when channels_first). Defaults to `None`.
        y_pred: The predicted masks, shaped as `y_true`. Defaults to `None`.
        color_mapping: A dict from class index to an RGB colour. Defaults to `None` (the
            default palette of `draw_segmentation_masks`).
        blend: Whether to blend the masks with the images. Defaults to `True`.
        alpha: The opacity of the masks. Defaults to `0.8`.
        ignore_index: The mask value that is never drawn. Defaults to `-1`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `keras.config.image_data_format()`.
        **kwargs: Passed on to `keras.visualization.plot_image_gallery` (`path`, `show`,
            `scale`, `dpi`, ...).

    Returns:
        What `keras.visualization.plot_image_gallery` returns (`None`).

    With a `value_range` other than `(0, 255)`, the images are mapped to `(0, 255)` before
    the (0-255) mask colours are blended in (Keras blends first, then re-maps the result,
    which overflows). The default `(0, 255)` gives Keras's pixels.

    Raises:
        ImportError: If matplotlib is not installed.
        ValueError: If `images` is not 4D.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")  # draw off-screen
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> images = np.full((2, 8, 8, 3), 200, dtype="uint8")
        >>> masks = np.random.default_rng(0).integers(0, 3, (2, 8, 8, 1))
        >>> plot_segmentation_mask_gallery(images, 3, y_true=masks, y_pred=masks, show=False)
        >>> len(plt.gcf().axes)  # 2 rows: image, true masks, predicted masks
        6
        >>> plt.close("all")
    """
    import_pyplot("plot_segmentation_mask_gallery")
    data_format = config.standardize_data_format(data_format)
    images = convert_to_numpy(images)
    if images.ndim != 4:
        raise ValueError(
            f"`images` must be batched 4D tensor. Received: images.shape={images.shape}"
        )
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    if (y_true is not None or y_pred is not None) and tuple(value_range) != (0, 255):
        # The mask colours are in (0, 255), so bring the images there before blending.
        images = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))
        images = transform_value_range(images, value_range, (0, 255)).numpy()
        value_range = (0, 255)

    columns = [images]
    for masks in (y_true, y_pred):
        if masks is None:
            continue
        masks = convert_to_numpy(masks)
        if data_format == "channels_first" and masks.ndim == 4:
            masks = masks.transpose(0, 2, 3, 1)
        drawn = draw_segmentation_masks(
            images,
            masks.astype("int32"),
            num_classes=num_classes,
            color_mapping=color_mapping,
            alpha=alpha,
            blend=blend,
            ignore_index=ignore_index,
            data_format="channels_last",
        )
        columns.append(drawn)
    # (batch * columns, height, width, channels): each image followed by its drawn masks.
    gallery = np.stack([column[i] for i in range(len(images)) for column in columns])
    return plot_image_gallery(
        gallery,
        value_range=value_range,
        rows=len(images),
        cols=len(columns),
        data_format="channels_last",
        **kwargs,
    )
