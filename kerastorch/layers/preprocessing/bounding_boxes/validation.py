"""Checking and densifying `bounding_boxes` dicts (`{"boxes": ..., "labels": ...}`).

Example:
    >>> out = densify_bounding_boxes({"boxes": [[[0, 0, 1, 1]], [[0, 0, 2, 2], [1, 1, 3, 3]]],
    ...                               "labels": [[1], [2, 3]]}, is_batched=True)
    >>> out["labels"].tolist()
    [[1, -1], [2, 3]]
"""

from __future__ import annotations

from typing import Any

from kerastorch.ops.conversion import convert_to_tensor

__all__ = ["densify_bounding_boxes", "validate_bounding_boxes"]


def validate_bounding_boxes(bounding_boxes: Any) -> None:
    """Keras's checks of a `bounding_boxes` dict (keys, list pairing, ranks).

    Raises:
        ValueError: naming what is wrong, with Keras's messages.
    """
    if (
        not isinstance(bounding_boxes, dict)
        or "labels" not in bounding_boxes
        or "boxes" not in bounding_boxes
    ):
        raise ValueError(
            "Expected `bounding_boxes` agurment to be a dict with keys 'boxes' and 'labels'. "
            f"Received: bounding_boxes={bounding_boxes}"
        )
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if isinstance(boxes, list):
        if not isinstance(labels, list):
            raise ValueError(
                "If `bounding_boxes['boxes']` is a list, then `bounding_boxes['labels']` "
                f"must also be a list.Received: bounding_boxes['labels']={labels}"
            )
        if len(boxes) != len(labels):
            raise ValueError(
                "If `bounding_boxes['boxes']` and `bounding_boxes['labels']` are both lists, "
                f"they must have the same length. Received: len(bounding_boxes['boxes'])="
                f"{len(boxes)} and len(bounding_boxes['labels'])={len(labels)} and "
            )
        return
    boxes_shape, labels_shape = tuple(_shape(boxes)), tuple(_shape(labels))
    if len(boxes_shape) == 2:
        if len(labels_shape) not in {1, 2}:
            raise ValueError(
                f"Found bounding_boxes['boxes'].shape={boxes_shape} and expected "
                "bounding_boxes['labels'] to have rank 1 or 2, but received: "
                f"bounding_boxes['labels'].shape={labels_shape} "
            )
    elif len(boxes_shape) == 3:
        if len(labels_shape) not in {2, 3}:
            raise ValueError(
                f"Found bounding_boxes['boxes'].shape={boxes_shape} and expected "
                "bounding_boxes['labels'] to have rank 2 or 3, but received: "
                f"bounding_boxes['labels'].shape={labels_shape} "
            )
    else:
        raise ValueError(
            "Expected `bounding_boxes['boxes']` to have rank 2 or 3, with shape "
            "(num_boxes, 4) or (batch_size, num_boxes, 4). Received: "
            f"bounding_boxes['boxes'].shape={boxes_shape}"
        )


def _shape(x: Any) -> tuple[int, ...]:
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else tuple(convert_to_tensor(x).shape)


def _pad_lists(
    boxes: list, labels: list, max_boxes: int | None, box_fill: Any, label_fill: Any
) -> tuple[list, list]:
    """Ragged per-image lists -> rectangular ones of `max_boxes` (default: the longest)."""
    count = max((len(b) for b in boxes), default=0) if max_boxes is None else max_boxes
    new_boxes, new_labels = [], []
    for b, lab in zip(boxes, labels, strict=True):
        missing = max(count - len(b), 0)
        new_boxes.append(list(b[:count]) + [[box_fill] * 4] * missing)
        new_labels.append(list(lab[:count]) + [label_fill] * missing)
    return new_boxes, new_labels


def densify_bounding_boxes(
    bounding_boxes: dict[str, Any],
    is_batched: bool = False,
    max_boxes: int | None = None,
    boxes_default_value: Any = 0,
    labels_default_value: Any = -1,
) -> dict[str, Any]:
    """The boxes as a float32 tensor and the labels as a tensor, in a new dict.

    Python lists of per-image boxes of different lengths (batched) are padded to
    `max_boxes` (default: the longest) with `boxes_default_value` boxes and
    `labels_default_value` labels (Keras 3.15 intends this but fails on such lists with
    `max_boxes=None`; torch has no ragged tensors).

    Args:
        bounding_boxes: `{"boxes": ..., "labels": ...}`.
        is_batched: whether the boxes carry a batch axis.
        max_boxes: the padded number of boxes for list inputs.
        boxes_default_value: the coordinates of padding boxes (default 0).
        labels_default_value: the label of padding boxes (default -1).

    Returns:
        A new dict with tensor `"boxes"` (float32) and `"labels"`.
    """
    validate_bounding_boxes(bounding_boxes)
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if isinstance(boxes, list) and is_batched and boxes and isinstance(boxes[0], list):
        if any(not isinstance(lab, list) for lab in labels):
            raise ValueError(
                "If providing `bounding_boxes['labels']` as a list, it should contain "
                f"integers labels. Received: bounding_boxes['labels']={labels}"
            )
        boxes, labels = _pad_lists(
            boxes, labels, max_boxes, boxes_default_value, labels_default_value
        )
        labels = convert_to_tensor(labels, "int32")
    elif isinstance(boxes, list) and max_boxes is not None:
        [boxes], [labels] = _pad_lists(
            [boxes], [labels], max_boxes, boxes_default_value, labels_default_value
        )
        labels = convert_to_tensor(labels, "int32")
    else:
        labels = convert_to_tensor(labels)
    boxes = convert_to_tensor(boxes, "float32")
    if boxes.numel() == 0 and (boxes.ndim == 0 or boxes.shape[-1] != 4):
        boxes = boxes.reshape(*boxes.shape, 4)  # images with no boxes: keep the last axis
    return {**bounding_boxes, "boxes": boxes, "labels": labels}
