"""`keras.visualization.plot_image_gallery`: a grid of images, with labels, in matplotlib."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.layers.preprocessing.image_value_range import transform_value_range
from kerastorch.ops.conversion import convert_to_numpy


def plot_image_gallery(
    images: Any,
    y_true: Any = None,
    y_pred: Any = None,
    label_map: dict[int, str] | None = None,
    rows: int | None = None,
    cols: int | None = None,
    value_range: tuple[float, float] = (0, 255),
    scale: float = 2,
    path: str | None = None,
    show: bool | None = None,
    transparent: bool = True,
    dpi: int = 60,
    legend_handles: list[Any] | None = None,
    data_format: str | None = None,
) -> None:
    """Displays a gallery of images with optional labels and predictions.

    Needs matplotlib (`pip install matplotlib`).

    Args:
        images: A 4D tensor or NumPy array of images, `(batch, height, width, channels)`
            (`(batch, channels, height, width)` when channels_first).
        y_true: A 1D tensor or array of true class indices, shown as `"Label: <name>"`.
        y_pred: A 1D tensor or array of predicted class indices, shown as `"Pred: <name>"`.
        label_map: A dict from class index to class name; required with `y_true` / `y_pred`.
        rows: The number of rows. Defaults to `ceil(sqrt(batch))`.
        cols: The number of columns. Defaults to `batch // rows`.
        value_range: The range of the images' values, mapped to `(0, 255)` for display.
            Defaults to `(0, 255)`.
        scale: The size of each image in inches. Defaults to `2`.
        path: Where to save the gallery. Defaults to `None` (not saved).
        show: Whether to call `plt.show()`. Defaults to `True` when `path` is `None`.
        transparent: Whether the saved figure has a transparent background. Defaults to
            `True`.
        dpi: The resolution of the saved figure. Defaults to `60`.
        legend_handles: matplotlib `Patch` objects for a legend. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `keras.config.image_data_format()`.

    The figure is closed after it is saved or shown; with `path=None, show=False` it stays
    open as matplotlib's current figure (`plt.gcf()`). Unlike Keras 3.15, channels_first
    images are transposed once (Keras transposes them twice and fails), and cells of a
    `rows * cols` grid beyond the batch are left empty (Keras raises an IndexError).

    Raises:
        ImportError: If matplotlib is not installed.
        ValueError: If both `path` and `show` are set, if `images` is not 4D, or if `y_true`
            or `y_pred` come without a `label_map`.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")  # draw off-screen
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> images = np.random.default_rng(0).integers(0, 256, (4, 8, 8, 3))
        >>> plot_image_gallery(images, y_true=[0, 1, 0, 1], label_map={0: "cat", 1: "dog"},
        ...                    show=False)
        >>> [ax.get_title() for ax in plt.gcf().axes]
        ['Label: cat', 'Label: dog', 'Label: cat', 'Label: dog']
        >>> plt.close("all")
    """
    plt = import_pyplot("plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_gallery() expects either `path` to be set, or `show` to be true.")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError(
            "If `y_true` or `y_pred` are provided, a `label_map` must also be provided."
        )
    show = show if show is not None else path is None
    data_format = config.standardize_data_format(data_format)
    images = convert_to_numpy(images)
    if images.ndim != 4:
        raise ValueError(
            "`plot_images_gallery()` requires you to batch your `np.array` samples together."
        )
    batch_size = images.shape[0]
    rows = rows or math.ceil(math.sqrt(batch_size))
    cols = cols or batch_size // rows  # Keras's grid: a partial last row is not shown
    images = images[: min(rows * cols, batch_size)]
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    if tuple(value_range) != (0, 255):
        images = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))
        images = transform_value_range(images, value_range, (0, 255)).numpy()
    images = images.astype("uint8")
    y_true = None if y_true is None else convert_to_numpy(y_true)
    y_pred = None if y_pred is None else convert_to_numpy(y_pred)

    fig, axes = plt.subplots(
        nrows=rows,
        ncols=cols,
        figsize=(cols * scale, rows * scale),
        frameon=False,
        layout="tight",
        squeeze=False,
        sharex="row",
        sharey="col",
    )
    fig.subplots_adjust(wspace=0, hspace=0)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    for index, axis in enumerate(axes.flat):  # row by row
        if index >= len(images):  # `rows * cols` above the batch size: leave the cell empty
            axis.axis("off")
            continue
        axis.imshow(images[index])
        axis.margins(x=0, y=0)
        axis.axis("off")
        title = []
        if y_true is not None and index < len(y_true):
            title.append(f"Label: {label_map.get(y_true[index], 'Unknown')}")
        if y_pred is not None and index < len(y_pred):
            title.append(f"Pred: {label_map.get(y_pred[index], 'Unknown')}")
        if title:
            axis.set_title("  ".join(title), fontsize=8)

    if path is not None:
        fig.savefig(path, pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
        plt.close(fig)
    elif show:
        plt.show()
        plt.close(fig)


def import_pyplot(function: str) -> Any:
    """`matplotlib.pyplot`, or an ImportError naming `function` and how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"The `{function}` function requires the `matplotlib` package. "
            "Please install it with `pip install matplotlib`."
        ) from error
    return plt
