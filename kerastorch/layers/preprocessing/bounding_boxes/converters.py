"""Bounding box format conversion and geometry (Keras's `keras.utils.bounding_boxes`).

Boxes are `(..., 4)` tensors; every function runs batched with torch ops on the boxes'
device and never reads a value back to the host. Formats (case-insensitive):

- `"xyxy"`: `[left, top, right, bottom]`; `"yxyx"`: `[top, left, bottom, right]`;
- `"xywh"`: `[left, top, width, height]`;
- `"center_xywh"`: `[center_x, center_y, width, height]`;
- `"center_yxhw"`: `[center_y, center_x, height, width]`;
- `"rel_xyxy"`, `"rel_yxyx"`, `"rel_xywh"`, `"rel_center_xywh"`: the same, divided by the
  image `width` / `height` (converting to or from them needs both).

Example:
    >>> import numpy as np
    >>> convert_format(np.array([[10, 20, 30, 40]]), "xyxy", "xywh").tolist()
    [[10.0, 20.0, 20.0, 20.0]]
    >>> crop(np.array([[10.0, 20.0, 50.0, 60.0]]), top=10, left=20, height=40, width=30).tolist()
    [[0.0, 10.0, 30.0, 40.0]]
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.ops.conversion import convert_to_tensor

SUPPORTED_FORMATS = (
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
)

__all__ = ["affine_transform", "clip_to_image_size", "convert_format", "crop", "pad"]


def _like(value: Any, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """`value` (a number or tensor) as a tensor of `dtype` on `device` (Keras's `ops.cast`)."""
    if isinstance(value, torch.Tensor):
        return value.to(device=device, dtype=dtype)
    return torch.as_tensor(value, dtype=dtype, device=device)


def _corners(boxes: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """The four coordinates of `boxes`, each keeping a trailing axis of 1."""
    return tuple(boxes.split(1, dim=-1))


def _join(*parts: torch.Tensor) -> torch.Tensor:
    return torch.cat(parts, dim=-1)


def _to_xyxy(boxes: torch.Tensor, fmt: str, height: Any, width: Any) -> torch.Tensor:
    a, b, c, d = _corners(boxes)
    if fmt == "xyxy":
        return boxes
    if fmt == "yxyx":
        return _join(b, a, d, c)
    if fmt == "xywh":
        return _join(a, b, a + c, b + d)
    if fmt in ("center_xywh", "center_yxhw"):
        cx, cy, w, h = (a, b, c, d) if fmt == "center_xywh" else (b, a, d, c)
        half_w, half_h = w / 2.0, h / 2.0
        return _join(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    if fmt == "rel_xyxy":
        return _join(a * width, b * height, c * width, d * height)
    if fmt == "rel_yxyx":
        return _join(b * width, a * height, d * width, c * height)
    if fmt == "rel_xywh":
        return _join(a * width, b * height, (a + c) * width, (b + d) * height)
    half_w, half_h = c / 2.0, d / 2.0  # rel_center_xywh
    return _join(
        (a - half_w) * width, (b - half_h) * height, (a + half_w) * width, (b + half_h) * height
    )


def _from_xyxy(boxes: torch.Tensor, fmt: str, height: Any, width: Any) -> torch.Tensor:
    x1, y1, x2, y2 = _corners(boxes)
    if fmt == "xyxy":
        return boxes
    if fmt == "yxyx":
        return _join(y1, x1, y2, x2)
    if fmt == "xywh":
        return _join(x1, y1, x2 - x1, y2 - y1)
    if fmt in ("center_xywh", "center_yxhw"):
        cx, cy = x1 + ((x2 - x1) / 2.0), y1 + ((y2 - y1) / 2.0)
        w, h = x2 - x1, y2 - y1
        return _join(cx, cy, w, h) if fmt == "center_xywh" else _join(cy, cx, h, w)
    if fmt == "rel_xyxy":
        return _join(x1 / width, y1 / height, x2 / width, y2 / height)
    if fmt == "rel_yxyx":
        return _join(y1 / height, x1 / width, y2 / height, x2 / width)
    if fmt == "rel_xywh":
        return _join(x1 / width, y1 / height, (x2 - x1) / width, (y2 - y1) / height)
    rel_cx = (x1 + ((x2 - x1) / 2.0)) / width  # rel_center_xywh
    rel_cy = (y1 + ((y2 - y1) / 2.0)) / height
    return _join(rel_cx, rel_cy, (x2 - x1) / width, (y2 - y1) / height)


def convert_format(
    boxes: Any,
    source: str,
    target: str,
    height: Any = None,
    width: Any = None,
    dtype: str = "float32",
) -> Any:
    """Converts bounding boxes from format `source` to format `target`.

    Args:
        boxes: a `(..., 4)` tensor/array, or a dict whose `"boxes"` entry is converted (the
            dict is updated in place and returned, as in Keras).
        source: the boxes' format (see the module docstring), case-insensitive.
        target: the format to convert to.
        height: the image height (needed when either format is relative).
        width: the image width (needed when either format is relative).
        dtype: the dtype of the result (default `"float32"`).

    Returns:
        The converted boxes (or the dict holding them).

    Raises:
        ValueError: for a last axis other than 4, an unknown format, or a relative format
            without `height` and `width`.

    Example:
        >>> import numpy as np
        >>> convert_format(np.array([[30.0, 20.0, 60.0, 40.0]]), "xyxy", "rel_xyxy",
        ...                height=200, width=300).tolist()
        [[0.10000000149011612, 0.10000000149011612, 0.20000000298023224, 0.20000000298023224]]
    """
    if isinstance(boxes, dict):
        boxes["boxes"] = convert_format(boxes["boxes"], source, target, height, width, dtype)
        return boxes
    boxes = convert_to_tensor(boxes)
    if boxes.ndim == 0 or boxes.shape[-1] != 4:
        raise ValueError(
            "`boxes` must be a tensor with the last dimension of 4. "
            f"Received: boxes.shape={tuple(boxes.shape)}"
        )
    source, target = source.lower(), target.lower()
    if source not in SUPPORTED_FORMATS or target not in SUPPORTED_FORMATS:
        raise ValueError(f"Invalid source or target format. Supported formats: {SUPPORTED_FORMATS}")
    if (source.startswith("rel_") or target.startswith("rel_")) and (
        width is None or height is None
    ):
        raise ValueError(
            "convert_format() must receive `height` and `width` transforming between "
            f"relative and absolute formats.convert_format() received source=`{source}`, "
            f"target=`{target}, but height={height} and width={width}."
        )
    torch_dtype = to_torch_dtype(dtype)
    boxes = boxes.to(torch_dtype)
    if source == target:
        return boxes
    if width is not None:
        width = _like(width, torch_dtype, boxes.device)
    if height is not None:
        height = _like(height, torch_dtype, boxes.device)
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[4:], target[4:]
    return _from_xyxy(_to_xyxy(boxes, source, height, width), target, height, width)


def _area(boxes: torch.Tensor) -> torch.Tensor:
    x1, y1, x2, y2 = _corners(boxes)
    return (x2 - x1) * (y2 - y1)


def clip_to_image_size(
    bounding_boxes: dict[str, Any],
    height: Any = None,
    width: Any = None,
    bounding_box_format: str = "xyxy",
) -> dict[str, Any]:
    """Clips boxes to the image; boxes left with no area get the label -1.

    Args:
        bounding_boxes: a dict with `"boxes"` `(N, 4)` or `(batch, N, 4)` and optionally
            `"labels"` `(N,)` or `(batch, N)`.
        height: the image height (required for `"xyxy"`).
        width: the image width (required for `"xyxy"`).
        bounding_box_format: `"xyxy"` (default) or `"rel_xyxy"` (clipped to `[0, 1]`).

    Returns:
        A copy of the dict with the clipped boxes and updated labels.

    Raises:
        NotImplementedError: for other formats (as in Keras).
        ValueError: `"xyxy"` without `height` and `width`.

    Example:
        >>> import numpy as np
        >>> out = clip_to_image_size({"boxes": np.array([[-10.0, -20, 150, 160], [50, 40, 50, 80]]),
        ...                           "labels": np.array([0, 1])}, height=100, width=120)
        >>> out["boxes"].tolist(), out["labels"].tolist()
        ([[0.0, 0.0, 120.0, 100.0], [50.0, 40.0, 50.0, 80.0]], [0, -1])
    """
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise NotImplementedError(
            "clip_to_image_size() supports bounding_box_format 'xyxy' and 'rel_xyxy' only "
            f"(as Keras). Received: bounding_box_format={bounding_box_format!r}"
        )
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError("`height` and `width` must be set if `format='xyxy'`.")
    boxes = convert_to_tensor(bounding_boxes["boxes"])
    labels = bounding_boxes.get("labels")
    zero = _like(0, boxes.dtype, boxes.device)
    if bounding_box_format == "xyxy":
        high_x = _like(width, boxes.dtype, boxes.device)
        high_y = _like(height, boxes.dtype, boxes.device)
    else:
        high_x = high_y = _like(1.0, boxes.dtype, boxes.device)
    x1, y1, x2, y2 = _corners(boxes)
    boxes = _join(
        torch.clamp(x1, zero, high_x),
        torch.clamp(y1, zero, high_y),
        torch.clamp(x2, zero, high_x),
        torch.clamp(y2, zero, high_y),
    )
    result = dict(bounding_boxes)
    result["boxes"] = boxes
    if labels is not None:
        labels = convert_to_tensor(labels)
        keep = _area(boxes).squeeze(-1) > 0
        result["labels"] = torch.where(keep, labels, torch.full_like(labels, -1))
    return result


def _inverse_affine_matrix(
    center_x: Any,
    center_y: Any,
    angle: torch.Tensor,
    translate_x: Any,
    translate_y: Any,
    scale: Any,
    shear_x: Any,
    shear_y: Any,
    height: Any,
    width: Any,
) -> torch.Tensor:
    """Keras's `_compute_inverse_affine_matrix` (TF's `_get_inverse_affine_matrix`): `(B, 2, 3)`."""
    angle, shear_x, shear_y = -angle, -shear_x, -shear_y
    cx = center_x * (width - 1)
    cy = center_y * (height - 1)
    rot = angle * (1.0 / 180.0 * math.pi)
    tx = -translate_x * (width - 1)
    ty = -translate_y * (height - 1)
    sx = shear_x * (1.0 / 180.0 * math.pi)
    sy = shear_y * (1.0 / 180.0 * math.pi)
    cos_sy, tan_sx = torch.cos(sy), torch.tan(sx)
    rot_minus_sy = rot - sy
    cx_plus_tx, cy_plus_ty = cx + tx, cy + ty
    a = torch.cos(rot_minus_sy) / cos_sy
    b = a * tan_sx + torch.sin(rot)
    c = -torch.sin(rot_minus_sy) / cos_sy
    d = torch.cos(rot) - c * tan_sx
    a0, a1, b0, b1 = d * scale, -b * scale, -c * scale, a * scale
    a2 = cx - a0 * cx_plus_tx - a1 * cy_plus_ty
    b2 = cy - b0 * cx_plus_tx - b1 * cy_plus_ty
    return torch.stack([a0, a1, a2, b0, b1, b2], dim=-1).reshape(-1, 2, 3)


def affine_transform(
    boxes: Any,
    angle: Any,
    translate_x: Any,
    translate_y: Any,
    scale: Any,
    shear_x: Any,
    shear_y: Any,
    height: Any,
    width: Any,
    center_x: Any = None,
    center_y: Any = None,
    bounding_box_format: str = "xyxy",
) -> torch.Tensor:
    """Applies one affine transformation per image to `(batch, N, 4)` `"xyxy"` boxes.

    Each box's four corners are mapped and the result is their enclosing box.

    Args:
        boxes: `(batch, N, 4)` boxes.
        angle: `(batch,)` rotation angles, in degrees.
        translate_x: `(batch,)` horizontal translations, as fractions of the width.
        translate_y: `(batch,)` vertical translations, as fractions of the height.
        scale: `(batch,)` scaling factors.
        shear_x: `(batch,)` shear angles along x, in degrees.
        shear_y: `(batch,)` shear angles along y, in degrees.
        height: the image height.
        width: the image width.
        center_x: the centre of the transformation along x, a fraction (default 0.5).
        center_y: the centre along y, a fraction (default 0.5).
        bounding_box_format: only `"xyxy"` (as in Keras).

    Returns:
        The transformed `(batch, N, 4)` boxes, in the dtype of `angle`.

    Raises:
        NotImplementedError: for a format other than `"xyxy"` (as in Keras).

    Example:
        >>> import torch
        >>> zero = torch.zeros(1)
        >>> affine_transform(torch.tensor([[[1.0, 1.0, 3.0, 2.0]]]), zero, zero, zero,
        ...                  torch.ones(1), zero, zero, 5, 5).tolist()
        [[[1.0, 1.0, 3.0, 2.0]]]
    """
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            "affine_transform() supports bounding_box_format='xyxy' only (as Keras). "
            f"Received: bounding_box_format={bounding_box_format!r}"
        )
    angle = convert_to_tensor(angle)
    matrix = _inverse_affine_matrix(
        0.5 if center_x is None else center_x,
        0.5 if center_y is None else center_y,
        angle,
        translate_x,
        translate_y,
        scale,
        shear_x,
        shear_y,
        height,
        width,
    )
    boxes = convert_to_tensor(boxes).to(matrix.dtype)
    batch, n = boxes.shape[0], boxes.shape[1]
    x1, y1, x2, y2 = boxes.unbind(-1)
    points = torch.stack([x1, y1, x2, y1, x2, y2, x1, y2], dim=-1).reshape(batch, n, 4, 2)
    points = torch.cat([points, torch.ones_like(points[..., :1])], dim=-1)
    mapped = torch.einsum("bnxy,byz->bnxz", points, matrix.transpose(1, 2))
    return torch.cat([mapped.amin(dim=2), mapped.amax(dim=2)], dim=-1)


def _check_xyxy(name: str, bounding_box_format: str) -> None:
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            f"{name}() supports bounding_box_format='xyxy' only (as Keras). "
            f"Received: bounding_box_format={bounding_box_format!r}"
        )


def crop(
    boxes: Any, top: Any, left: Any, height: Any, width: Any, bounding_box_format: str = "xyxy"
) -> torch.Tensor:
    """Moves `"xyxy"` boxes into the crop at `(top, left)` of size `(height, width)`, clipped.

    Args:
        boxes: `(N, 4)` or `(batch, N, 4)` boxes.
        top: the crop's vertical offset (a number or a tensor broadcasting with the boxes).
        left: the crop's horizontal offset.
        height: the crop's height.
        width: the crop's width.
        bounding_box_format: only `"xyxy"` (as in Keras).

    Returns:
        The boxes in the crop's coordinates, clipped to `[0, width]` x `[0, height]`.

    Example:
        >>> import numpy as np
        >>> crop(np.array([[70.0, 80, 100, 120]]), top=10, left=20, height=40, width=30).tolist()
        [[30.0, 40.0, 30.0, 40.0]]
    """
    _check_xyxy("crop", bounding_box_format)
    boxes = convert_to_tensor(boxes)
    x1, y1, x2, y2 = _corners(boxes)
    x1, y1, x2, y2 = x1 - left, y1 - top, x2 - left, y2 - top
    dtype, device = x1.dtype, x1.device
    zero = _like(0, dtype, device)
    high_x, high_y = _like(width, dtype, device), _like(height, dtype, device)
    return _join(
        torch.clamp(x1, zero, high_x),
        torch.clamp(y1, zero, high_y),
        torch.clamp(x2, zero, high_x),
        torch.clamp(y2, zero, high_y),
    )


def pad(
    boxes: Any,
    top: Any,
    left: Any,
    height: Any = None,
    width: Any = None,
    bounding_box_format: str = "xyxy",
) -> torch.Tensor:
    """Shifts `"xyxy"` boxes by `(left, top)`, as when padding the image's top and left.

    Args:
        boxes: `(N, 4)` or `(batch, N, 4)` boxes.
        top: padding added above the image.
        left: padding added to its left.
        height: unused (Keras's signature).
        width: unused (Keras's signature).
        bounding_box_format: only `"xyxy"` (as in Keras).

    Returns:
        The shifted boxes.

    Example:
        >>> import numpy as np
        >>> pad(np.array([[1.0, 2.0, 3.0, 4.0]]), top=10, left=20).tolist()
        [[21.0, 12.0, 23.0, 14.0]]
    """
    _check_xyxy("pad", bounding_box_format)
    x1, y1, x2, y2 = _corners(convert_to_tensor(boxes))
    return _join(x1 + left, y1 + top, x2 + left, y2 + top)
