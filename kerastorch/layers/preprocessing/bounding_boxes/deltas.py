"""Box <-> anchor delta encoding (Keras's `encode_box_to_deltas` / `decode_deltas_to_boxes`).

A box is encoded against its anchor, both in a centre format (`"center_yxhw"` by default),
as `((centre - anchor_centre) / anchor_size, log(size / anchor_size))`, optionally divided
by a 4-element `variance`; decoding inverts it.

Example:
    >>> import numpy as np
    >>> anchors = np.array([[0.0, 0.0, 10.0, 10.0]])
    >>> deltas = encode_box_to_deltas(anchors, np.array([[1.0, 1.0, 11.0, 11.0]]), "xyxy", "xyxy")
    >>> decode_deltas_to_boxes(anchors, deltas, "xyxy", "xyxy").tolist()
    [[1.0, 1.0, 11.0, 11.0]]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.config import epsilon
from kerastorch.layers.preprocessing.bounding_boxes.converters import convert_format
from kerastorch.ops.conversion import convert_to_tensor

__all__ = ["decode_deltas_to_boxes", "encode_box_to_deltas"]

_CENTRE_FORMATS = ("center_xywh", "center_yxhw")


def _variance(variance: Any) -> torch.Tensor | None:
    if variance is None:
        return None
    variance = convert_to_tensor(variance, "float32")
    if variance.shape[-1] != 4:
        raise ValueError(f"`variance` must be length 4, got {variance}")
    return variance


def _height_width(image_shape: Any) -> tuple[Any, Any]:
    if image_shape is None:
        return None, None
    height, width, _ = image_shape
    return height, width


def encode_box_to_deltas(
    anchors: Any,
    boxes: Any,
    anchor_format: str,
    box_format: str,
    encoding_format: str = "center_yxhw",
    variance: Any = None,
    image_shape: Any = None,
) -> torch.Tensor:
    """Encodes `boxes` as deltas from `anchors`.

    Args:
        anchors: `(N, 4)` anchor boxes.
        boxes: `(N, 4)` or `(batch, N, 4)` boxes.
        anchor_format: the anchors' format (e.g. `"xyxy"`).
        box_format: the boxes' format.
        encoding_format: `"center_yxhw"` (default) or `"center_xywh"`: the layout of the
            deltas.
        variance: optional 4 numbers dividing the deltas.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        The `(..., 4)` deltas (float32).

    Raises:
        ValueError: a `variance` not of length 4, or an unknown `encoding_format`.

    Example:
        >>> import numpy as np
        >>> encode_box_to_deltas(np.array([[0.0, 0.0, 4.0, 4.0]]), np.array([[2.0, 0.0, 6.0, 4.0]]),
        ...                      "xyxy", "xyxy").tolist()
        [[0.0, 0.5, 0.0, 0.0]]
    """
    variance = _variance(variance)
    if encoding_format not in _CENTRE_FORMATS:
        raise ValueError(
            "`encoding_format` should be one of 'center_xywh' or 'center_yxhw', "
            f"got {encoding_format}"
        )
    height, width = _height_width(image_shape)
    anchors = convert_format(anchors, anchor_format, encoding_format, height, width)
    boxes = convert_format(boxes, box_format, encoding_format, height, width)
    eps = epsilon()
    anchor_size = torch.clamp(anchors[..., 2:], min=eps)
    box_size = torch.clamp(boxes[..., 2:], min=eps)
    deltas = torch.cat(
        [(boxes[..., :2] - anchors[..., :2]) / anchor_size, torch.log(box_size / anchor_size)],
        dim=-1,
    )
    if variance is not None:
        deltas = deltas / variance.to(deltas.device)
    return deltas


def decode_deltas_to_boxes(
    anchors: Any,
    boxes_delta: Any,
    anchor_format: str,
    box_format: str,
    encoded_format: str = "center_yxhw",
    variance: Any = None,
    image_shape: Any = None,
) -> Any:
    """Decodes deltas (from `encode_box_to_deltas`) back to boxes in `box_format`.

    Args:
        anchors: `(N, 4)` anchors, or a dict of them per feature level.
        boxes_delta: `(N, 4)` or `(batch, N, 4)` deltas, or a dict matching `anchors`.
        anchor_format: the anchors' format.
        box_format: the format of the decoded boxes.
        encoded_format: `"center_yxhw"` (default) or `"center_xywh"`: the deltas' layout.
        variance: optional 4 numbers multiplying the deltas first.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        The decoded boxes (a dict per level when given dicts).

    Raises:
        ValueError: a `variance` not of length 4, or an unknown `encoded_format`.

    Example:
        >>> import numpy as np
        >>> decode_deltas_to_boxes(np.array([[0.0, 0.0, 4.0, 4.0]]), np.zeros((1, 4)),
        ...                        "xyxy", "xywh").tolist()
        [[0.0, 0.0, 4.0, 4.0]]
    """
    variance = _variance(variance)
    if encoded_format not in _CENTRE_FORMATS:
        raise ValueError(
            "`encoded_format` should be 'center_xywh' or 'center_yxhw', "
            f"but got '{encoded_format}'."
        )
    height, width = _height_width(image_shape)

    def decode(anchor: Any, delta: Any) -> torch.Tensor:
        anchor = convert_format(anchor, anchor_format, encoded_format, height, width)
        delta = convert_to_tensor(delta)
        if variance is not None:
            delta = delta * variance.to(delta.device)
        box = torch.cat(
            [
                delta[..., :2] * anchor[..., 2:] + anchor[..., :2],
                torch.exp(delta[..., 2:]) * anchor[..., 2:],
            ],
            dim=-1,
        )
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
