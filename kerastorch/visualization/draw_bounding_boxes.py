"""`keras.visualization.draw_bounding_boxes`: boxes and class labels drawn with OpenCV."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerastorch import config
from kerastorch.layers.preprocessing.bounding_boxes.converters import convert_format
from kerastorch.ops.conversion import convert_to_numpy


def draw_bounding_boxes(
    images: Any,
    bounding_boxes: dict[str, Any],
    bounding_box_format: str,
    class_mapping: dict[int, str] | None = None,
    color: tuple[int, int, int] = (128, 128, 128),
    line_thickness: int = 2,
    text_thickness: int = 1,
    font_scale: float = 1.0,
    data_format: str | None = None,
) -> np.ndarray:
    """Draws bounding boxes (and optionally class labels and confidences) on images.

    Needs OpenCV (`pip install opencv-python-headless`), as Keras's does.

    Float images whose maximum is at most `1` are scaled by 255, other float images are
    clipped to `[0, 255]`; the result is uint8.

    Args:
        images: A batch of images, a 4D tensor or NumPy array: `(batch, height, width,
            channels)`, or `(batch, channels, height, width)` when channels_first.
        bounding_boxes: A dict with `"boxes"` `(batch, num_boxes, 4)` in
            `bounding_box_format`, `"labels"` `(batch, num_boxes)` (boxes labelled `-1` are
            skipped) and optionally `"confidences"` `(batch, num_boxes)`.
        bounding_box_format: The boxes' format, as for
            `keras.utils.bounding_boxes.convert_format` (`"xyxy"`, `"yxyx"`, `"xywh"`,
            `"center_xywh"`, `"center_yxhw"` and the `"rel_*"` variants).
        class_mapping: A dict from class index to the name written above its boxes.
            Defaults to `None` (no text).
        color: The RGB colour of the boxes and text. Defaults to `(128, 128, 128)`.
        line_thickness: The thickness of the box lines. Defaults to `2`.
        text_thickness: The thickness of the text; `None` means `line_thickness`.
            Defaults to `1`.
        font_scale: The scale of the text's font. Defaults to `1.0`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `keras.config.image_data_format()`.

    Returns:
        A uint8 NumPy array of the images with the boxes drawn, shaped as `images`
        (channels_first images are drawn too; Keras 3.15 hands them to OpenCV as they are,
        which fails).

    Raises:
        ImportError: If OpenCV (`cv2`) is not installed.
        ValueError: If `images` is not 4D, or `bounding_boxes` lacks `"boxes"` or `"labels"`.
        TypeError: If `bounding_boxes` is not a dict.

    Example:
        >>> import numpy as np
        >>> images = np.zeros((1, 16, 16, 3), dtype="uint8")
        >>> boxes = {"boxes": np.array([[[2, 2, 12, 12]]]), "labels": np.array([[0]])}
        >>> drawn = draw_bounding_boxes(images, boxes, "xyxy", color=(255, 0, 0),
        ...                             line_thickness=1)
        >>> drawn.shape, drawn[0, 2, 2].tolist(), drawn[0, 7, 7].tolist()
        ((1, 16, 16, 3), [255, 0, 0], [0, 0, 0])
    """
    cv2 = _import_cv2()
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    data_format = config.standardize_data_format(data_format)
    images = convert_to_numpy(images)
    if images.ndim != 4:
        raise ValueError(
            f"`images` must be batched 4D tensor. Received: images.shape={images.shape}"
        )
    if not isinstance(bounding_boxes, dict):
        raise TypeError(
            "`bounding_boxes` should be a dict. "
            f"Received: bounding_boxes={bounding_boxes} of type {type(bounding_boxes)}"
        )
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(
            "`bounding_boxes` should be a dict containing 'boxes' and "
            f"'labels' keys. Received: bounding_boxes={bounding_boxes}"
        )
    if data_format == "channels_first":  # OpenCV draws on (height, width, channels)
        images = images.transpose(0, 2, 3, 1)
    height, width = images.shape[1], images.shape[2]
    boxes = convert_format(bounding_boxes["boxes"], bounding_box_format, "xyxy", height, width)
    boxes = convert_to_numpy(boxes)  # (batch, num_boxes, 4) float32
    labels = convert_to_numpy(bounding_boxes["labels"])
    confidences = bounding_boxes.get("confidences")
    if confidences is not None:
        confidences = convert_to_numpy(confidences)

    if images.dtype.kind == "f" and images.size > 0:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    images = np.ascontiguousarray(images.astype("uint8"))  # a copy: `images` is left as it was
    for i, image in enumerate(images):  # OpenCV draws in place on each (h, w, c) view
        for j, box in enumerate(boxes[i]):
            x1, y1, x2, y2 = (int(v) for v in box.astype("int32"))
            label = int(labels[i][j].astype("int32"))
            if label == -1:
                continue
            cv2.rectangle(image, (x1, y1), (x2, y2), color, line_thickness)
            if label not in class_mapping:
                continue
            text = class_mapping[label]
            if confidences is not None:
                text = f"{text} | {confidences[i][j]:.2f}"
            cv2.putText(
                img=image,
                text=text,
                org=_find_text_location(x1, y1, font_scale, text_thickness),
                fontFace=cv2.FONT_HERSHEY_SIMPLEX,
                fontScale=font_scale,
                color=color,
                thickness=text_thickness,
            )
    if data_format == "channels_first":
        images = np.ascontiguousarray(images.transpose(0, 3, 1, 2))
    return images


def _import_cv2() -> Any:
    try:
        import cv2
    except ImportError as error:
        raise ImportError(
            "The `draw_bounding_boxes` function requires the `cv2` package (OpenCV). "
            "Please install it with `pip install opencv-python-headless` "
            "(or `pip install opencv-python`)."
        ) from error
    return cv2


def _find_text_location(x: int, y: int, font_scale: float, thickness: int) -> tuple[int, int]:
    """Above the box's top-left corner when the text fits there, else just inside it."""
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8
    return x + 3, y + 2 * font_height + thickness + 3
