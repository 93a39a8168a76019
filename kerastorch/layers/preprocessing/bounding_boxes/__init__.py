"""Bounding box utilities: format conversion, clipping, geometry, IoU and delta coding.

The public functions are exposed as `keras.utils.bounding_boxes`; the image preprocessing
layers use them to transform boxes along with their images.
"""

from kerastorch.layers.preprocessing.bounding_boxes.converters import (
    affine_transform,
    clip_to_image_size,
    convert_format,
    crop,
    pad,
)
from kerastorch.layers.preprocessing.bounding_boxes.deltas import (
    decode_deltas_to_boxes,
    encode_box_to_deltas,
)
from kerastorch.layers.preprocessing.bounding_boxes.iou import compute_ciou, compute_iou

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
