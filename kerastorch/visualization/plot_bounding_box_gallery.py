"""`keras.visualization.plot_bounding_box_gallery`: a gallery of images with their boxes."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch import config
from kerastorch.layers.preprocessing.image_value_range import transform_value_range
from kerastorch.ops.conversion import convert_to_numpy
from kerastorch.visualization.draw_bounding_boxes import draw_bounding_boxes
from kerastorch.visualization.plot_image_gallery import import_pyplot, plot_image_gallery


def plot_bounding_box_gallery(
    images: Any,
    bounding_box_format: str,
    y_true: dict[str, Any] | None = None,
    y_pred: dict[str, Any] | None = None,
    value_range: tuple[float, float] = (0, 255),
    true_color: tuple[int, int, int] = (0, 188, 212),
    pred_color: tuple[int, int, int] = (255, 235, 59),
    line_thickness: int = 2,
    font_scale: float = 1.0,
    text_thickness: int | None = None,
    class_mapping: dict[int, str] | None = None,
    ground_truth_mapping: dict[int, str] | None = None,
    prediction_mapping: dict[int, str] | None = None,
    legend: bool = False,
    legend_handles: list[Any] | None = None,
    rows: int | None = None,
    cols: int | None = None,
    data_format: str | None = None,
    **kwargs: Any,
) -> None:
    """Plots a gallery of images with their ground truth and predicted bounding boxes.

    Needs matplotlib (`pip install matplotlib`) and OpenCV
    (`pip install opencv-python-headless`) to draw boxes.

    Args:
        images: A 4D tensor or NumPy array of images, `(batch, height, width, channels)`
            (`(batch, channels, height, width)` when channels_first).
        bounding_box_format: The boxes' format, as for
            `keras.utils.bounding_boxes.convert_format` (`"xyxy"`, `"rel_xyxy"`, ...).
        y_true: The ground truth boxes, a dict as for
            `keras.visualization.draw_bounding_boxes`. Defaults to `None`.
        y_pred: The predicted boxes, a dict like `y_true`. Defaults to `None`.
        value_range: The range of the images' values. Defaults to `(0, 255)`.
        true_color: The RGB colour of the ground truth boxes. Defaults to `(0, 188, 212)`.
        pred_color: The RGB colour of the predicted boxes. Defaults to `(255, 235, 59)`.
        line_thickness: The thickness of the box lines. Defaults to `2`.
        font_scale: The scale of the labels' font. Defaults to `1.0`.
        text_thickness: The thickness of the labels' text. Defaults to `line_thickness`.
        class_mapping: A dict from class index to name, for both kinds of boxes.
        ground_truth_mapping: The names for the ground truth boxes; overrides
            `class_mapping`.
        prediction_mapping: The names for the predicted boxes; overrides `class_mapping`.
        legend: Whether to show a legend of the two colours. Defaults to `False`.
        legend_handles: matplotlib `Patch` objects for a custom legend (not with `legend`).
        rows: The number of rows of the gallery. Defaults as in `plot_image_gallery`.
        cols: The number of columns of the gallery. Defaults as in `plot_image_gallery`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `keras.config.image_data_format()`.
        **kwargs: Passed on to `keras.visualization.plot_image_gallery` (`path`, `show`,
            `scale`, `dpi`, ...).

    Returns:
        What `keras.visualization.plot_image_gallery` returns (`None`).

    With a `value_range` other than `(0, 255)`, the images are mapped to `(0, 255)` before
    the boxes are drawn (Keras draws first, then re-maps the drawn uint8 pixels, which
    overflow). The default `(0, 255)` gives Keras's pixels.

    Raises:
        ImportError: If matplotlib (or OpenCV, with boxes to draw) is not installed.
        ValueError: If `images` is not 4D, or both `legend` and `legend_handles` are given.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")  # draw off-screen
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> images = np.zeros((2, 32, 32, 3), dtype="uint8")
        >>> y_true = {"boxes": np.array([[[4, 4, 20, 20]], [[8, 8, 28, 28]]]),
        ...           "labels": np.array([[0], [1]])}
        >>> plot_bounding_box_gallery(images, "xyxy", y_true=y_true, legend=True, show=False)
        >>> len(plt.gcf().axes), plt.gcf().legends[0].get_texts()[0].get_text()
        (2, 'Ground Truth')
        >>> plt.close("all")
    """
    import_pyplot("plot_bounding_box_gallery")  # a clear ImportError without matplotlib
    from matplotlib import patches

    prediction_mapping = prediction_mapping or class_mapping
    ground_truth_mapping = ground_truth_mapping or class_mapping
    data_format = config.standardize_data_format(data_format)
    images = convert_to_numpy(images)
    if images.ndim != 4:
        raise ValueError(
            f"`images` must be batched 4D tensor. Received: images.shape={images.shape}"
        )
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    if legend and legend_handles:
        raise ValueError(
            "Only pass `legend` OR `legend_handles` to "
            "`keras.visualization.plot_bounding_box_gallery()`."
        )

    if (y_true is not None or y_pred is not None) and tuple(value_range) != (0, 255):
        # The boxes are drawn on uint8 images in (0, 255), so map the images there first.
        images = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))
        images = transform_value_range(images, value_range, (0, 255)).numpy().astype("uint8")
        value_range = (0, 255)
    for boxes, color, mapping in ((y_true, true_color, ground_truth_mapping),
                                  (y_pred, pred_color, prediction_mapping)):  # fmt: skip
        if boxes is not None:
            images = draw_bounding_boxes(
                images,
                boxes,
                bounding_box_format=bounding_box_format,
                class_mapping=mapping,
                color=color,
                line_thickness=line_thickness,
                text_thickness=text_thickness,
                font_scale=font_scale,
                data_format="channels_last",
            )

    if legend:
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction"),
        ]
    return plot_image_gallery(
        images,
        value_range=value_range,
        legend_handles=legend_handles,
        rows=rows,
        cols=cols,
        data_format="channels_last",
        **kwargs,
    )
