"""Intersection over union of boxes (Keras's `compute_iou` and `compute_ciou`).

Example:
    >>> import numpy as np
    >>> a = np.array([[0.0, 0.0, 2.0, 2.0]])
    >>> b = np.array([[1.0, 0.0, 3.0, 2.0], [0.0, 0.0, 2.0, 2.0]])
    >>> [round(v, 4) for v in compute_iou(a, b, "xyxy")[0].tolist()]
    [0.3333, 1.0]
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch.config import epsilon
from kerastorch.layers.preprocessing.bounding_boxes.converters import convert_format
from kerastorch.ops.conversion import convert_to_tensor

__all__ = ["compute_ciou", "compute_iou"]


def _area(boxes: torch.Tensor) -> torch.Tensor:
    """Areas of `yxyx` boxes: `(N,)` or `(batch, N)`."""
    y_min, x_min, y_max, x_max = boxes[..., :4].unbind(-1)
    return (y_max - y_min) * (x_max - x_min)


def _intersection(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    """Pairwise intersection areas of `yxyx` boxes: `(N, M)` or `(batch, N, M)`."""
    y_min1, x_min1, y_max1, x_max1 = boxes1[..., :4].split(1, dim=-1)
    y_min2, x_min2, y_max2, x_max2 = (t.transpose(-1, -2) for t in boxes2[..., :4].split(1, -1))
    height = torch.minimum(y_max1, y_max2) - torch.maximum(y_min1, y_min2)
    width = torch.minimum(x_max1, x_max2) - torch.maximum(x_min1, x_min2)
    zero = torch.zeros((), dtype=height.dtype, device=height.device)
    return torch.maximum(zero, height) * torch.maximum(zero, width)


def _rank_error(which: str, rank1: int, rank2: int) -> ValueError:
    return ValueError(
        f"compute_iou() expects {which} to be batched, or to be unbatched. Received "
        f"len(boxes1.shape)={rank1}, len(boxes2.shape)={rank2}. Expected either "
        f"len({which}.shape)=2 AND or len({which}.shape)=3."
    )


def compute_iou(
    boxes1: Any,
    boxes2: Any,
    bounding_box_format: str,
    use_masking: bool = False,
    mask_val: int = -1,
    image_shape: Any = None,
) -> torch.Tensor:
    """The pairwise IoU of two sets of boxes.

    `(M, 4)` and `(N, 4)` give `(M, N)`; when either is batched (`(batch, ..., 4)`) the
    result is `(batch, M, N)`.

    Args:
        boxes1: `(M, 4)` or `(batch, M, 4)` boxes.
        boxes2: `(N, 4)` or `(batch, N, 4)` boxes.
        bounding_box_format: the boxes' format (see `convert_format`).
        use_masking: if True, pairs where either box has all 4 coordinates negative (padding)
            get `mask_val`.
        mask_val: the value of masked pairs (default -1).
        image_shape: `(height, width, channels)`, required for relative formats.

    Returns:
        The IoU table (float32).

    Raises:
        ValueError: boxes of rank other than 2 or 3, or a relative format without
            `image_shape`.

    Example:
        >>> import numpy as np
        >>> boxes = np.array([[0.0, 0.0, 2.0, 2.0], [-1.0, -1.0, -1.0, -1.0]])
        >>> compute_iou(boxes, boxes, "xyxy", use_masking=True).tolist()
        [[1.0, -1.0], [-1.0, -1.0]]
    """
    boxes1, boxes2 = convert_to_tensor(boxes1), convert_to_tensor(boxes2)
    rank1, rank2 = boxes1.ndim, boxes2.ndim
    if rank1 not in (2, 3):
        raise _rank_error("boxes1", rank1, rank2)
    if rank2 not in (2, 3):
        raise _rank_error("boxes2", rank1, rank2)
    if "rel" in bounding_box_format and image_shape is None:
        raise ValueError(
            "When using relative bounding box formats (e.g. `rel_yxyx`) the `image_shape` "
            f"argument must be provided.Received `image_shape`: {image_shape}"
        )
    height, width = (None, None) if image_shape is None else tuple(image_shape)[:2]
    boxes1 = convert_format(boxes1, bounding_box_format, "yxyx", height, width)
    boxes2 = convert_format(boxes2, bounding_box_format, "yxyx", height, width)
    intersection = _intersection(boxes1, boxes2)
    area1 = _area(boxes1).unsqueeze(-1)
    area2 = _area(boxes2)
    area2 = area2.unsqueeze(1 if area2.ndim == 2 else 0)
    iou = intersection / (area1 + area2 - intersection + epsilon())
    if not use_masking:
        return iou
    perm = (1, 0) if rank1 == 2 else (0, 2, 1)
    mask1 = boxes1.amax(dim=-1, keepdim=True) < 0.0
    mask2 = (boxes2.amax(dim=-1, keepdim=True) < 0.0).permute(perm)
    fill = torch.full_like(iou, float(mask_val))
    return torch.where(mask1 | mask2, fill, iou)


def compute_ciou(
    boxes1: Any, boxes2: Any, bounding_box_format: str, image_shape: Any = None
) -> torch.Tensor:
    """The Complete IoU (CIoU) of pairs of boxes (element-wise, broadcasting `(..., 4)`).

    CIoU is the IoU minus a centre-distance penalty and an aspect-ratio penalty.

    Args:
        boxes1: `(..., 4)` boxes.
        boxes2: `(..., 4)` boxes.
        bounding_box_format: the boxes' format; relative formats are refused (as in Keras).
        image_shape: `(height, width, channels)` (unused for absolute formats).

    Returns:
        The CIoU of each pair, shape `(...)`.

    Raises:
        ValueError: a relative `bounding_box_format`.

    Example:
        >>> import numpy as np
        >>> box = np.array([[0.0, 0.0, 2.0, 2.0]])
        >>> [round(v, 4) for v in compute_ciou(box, box, "xyxy").tolist()]
        [1.0]
    """
    if "rel" in bounding_box_format:
        raise ValueError(
            "When using relative bounding box formats (e.g. `rel_yxyx`) the `image_shape` "
            f"argument must be provided.Received `image_shape`: {image_shape}"
        )
    height, width = (None, None) if image_shape is None else tuple(image_shape)[:2]
    boxes1 = convert_format(boxes1, bounding_box_format, "xyxy", height, width)
    boxes2 = convert_format(boxes2, bounding_box_format, "xyxy", height, width)
    eps = epsilon()
    x_min1, y_min1, x_max1, y_max1 = boxes1[..., :4].split(1, dim=-1)
    x_min2, y_min2, x_max2, y_max2 = boxes2[..., :4].split(1, dim=-1)
    width1, height1 = x_max1 - x_min1, y_max1 - y_min1 + eps
    width2, height2 = x_max2 - x_min2, y_max2 - y_min2 + eps
    intersection = torch.clamp(
        torch.minimum(x_max1, x_max2) - torch.maximum(x_min1, x_min2), min=0
    ) * torch.clamp(torch.minimum(y_max1, y_max2) - torch.maximum(y_min1, y_min2), min=0)
    union = width1 * height1 + width2 * height2 - intersection + eps
    iou = (intersection / (union + eps)).squeeze(-1)
    convex_width = torch.maximum(x_max1, x_max2) - torch.minimum(x_min1, x_min2)
    convex_height = torch.maximum(y_max1, y_max2) - torch.minimum(y_min1, y_min2)
    diagonal = (convex_width**2 + convex_height**2 + eps).squeeze(-1)
    centres = (
        ((x_min1 + x_max1) / 2 - (x_min2 + x_max2) / 2) ** 2
        + ((y_min1 + y_max1) / 2 - (y_min2 + y_max2) / 2) ** 2
    ).squeeze(-1)
    v = (4 / math.pi**2) * (torch.atan(width2 / height2) - torch.atan(width1 / height1)) ** 2
    v = v.squeeze(-1)
    alpha = v / (v - iou + (1 + eps))
    return iou - (centres / diagonal + v * alpha)
