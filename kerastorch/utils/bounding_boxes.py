"""`keras.utils.bounding_boxes`: bounding box format conversion, clipping, geometry and IoU.

Example:
    >>> import numpy as np
    >>> convert_format(np.array([[10.0, 20.0, 30.0, 40.0]]), "xyxy", "center_xywh").tolist()
    [[20.0, 30.0, 20.0, 20.0]]
"""

from kerastorch.layers.preprocessing.bounding_boxes import (
    affine_transform,
    clip_to_image_size,
    compute_ciou,
    compute_iou,
    convert_format,
    crop,
    decode_deltas_to_boxes,
    encode_box_to_deltas,
    pad,
)

__all__ = [
    "affine_transform",
    "clip_to_image_size",
    "compute_ciou",
    "compute_iou",
    "convert_format",
    "crop",
    "decode_deltas_to_boxes",
    "encode_box_to_deltas",
    "pad",
]
