"""Helpers for the bounding box tests of the image layers: data dicts and Keras comparisons.

Deterministic layers are compared with Keras's layer called on the same dict. Random layers
draw their transformation here (a seeded twin of the layer draws the same one as the layer
does in its call), and Keras's own `transform_bounding_boxes` / `transform_images` /
`transform_segmentation_masks` are run on that transformation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from tests.oracle import assert_close, keras_or_skip, to_numpy


def data_dict(
    fmt: str = "xyxy",
    shape: tuple[int, ...] = (2, 12, 10, 3),
    seed: int = 0,
    channels_first: bool = False,
) -> dict[str, Any]:
    """Images, 3 boxes per image in `fmt` (the last one Keras's -1 padding), labels, masks."""
    keras = keras_or_skip()
    r = np.random.default_rng(seed)
    n = shape[0]
    h, w = (shape[2], shape[3]) if channels_first else (shape[1], shape[2])
    x1 = r.uniform(-1, w * 0.6, (n, 3, 1))
    y1 = r.uniform(-1, h * 0.6, (n, 3, 1))
    xyxy = np.concatenate(
        [x1, y1, x1 + r.uniform(1, w * 0.5, (n, 3, 1)), y1 + r.uniform(1, h * 0.5, (n, 3, 1))],
        axis=-1,
    ).astype("float32")
    boxes = to_numpy(keras.utils.bounding_boxes.convert_format(xyxy, "xyxy", fmt, h, w))
    boxes[:, -1] = -1.0
    mask_shape = (n, 1, h, w) if channels_first else (n, h, w, 1)
    return {
        "images": r.random(shape).astype("float32"),
        "bounding_boxes": {"boxes": boxes, "labels": r.integers(0, 5, (n, 3)).astype("int32")},
        "segmentation_masks": r.integers(0, 3, mask_shape).astype("float32"),
        "labels": np.eye(4, dtype="float32")[r.integers(0, 4, n)],
    }


def copy(data: Any) -> Any:
    """A deep copy of a data dict (Keras's layers update their input dicts in place)."""
    if isinstance(data, dict):
        return {k: copy(v) for k, v in data.items()}
    return np.array(data)


def torch_dict(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: torch_dict(v) for k, v in data.items()}
    return torch.from_numpy(np.array(data))


def fresh(transformation: Any) -> Any:
    """A copy of a transformation (Keras's affine_transform updates its matrix in place)."""
    if isinstance(transformation, dict):
        return {k: fresh(v) for k, v in transformation.items()}
    return transformation.clone() if isinstance(transformation, torch.Tensor) else transformation


def assert_dicts_close(ours: dict, theirs: dict, atol: float = 1e-4) -> None:
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert_dicts_close(ours[key], value, atol)
            continue
        assert tuple(ours[key].shape) == tuple(value.shape), key
        assert_close(ours[key], to_numpy(value), atol=atol)


def assert_layer_matches_keras(ours: Any, keras_name: str, kwargs: dict, data: dict) -> None:
    """Deterministic layers: our layer and Keras's on the same dict, whole outputs compared."""
    keras = keras_or_skip()
    theirs = getattr(keras.layers, keras_name)(**kwargs)(copy(data))
    assert_dicts_close(ours(copy(data)), theirs)


def assert_transforms_match_keras(
    layer_cls: Any, keras_name: str, kwargs: dict, data: dict, masks: bool = True
) -> dict:
    """Random layers: our call (seeded) vs Keras's hooks on the transformation we draw."""
    keras = keras_or_skip()
    transformation = layer_cls(**kwargs).get_random_transformation(torch_dict(data), training=True)
    out = layer_cls(**kwargs)(torch_dict(data), training=True)
    ref = getattr(keras.layers, keras_name)(**kwargs)
    boxes = ref.transform_bounding_boxes(
        torch_dict(data["bounding_boxes"]), fresh(transformation), training=True
    )
    assert_dicts_close(out["bounding_boxes"], boxes)
    images = ref.transform_images(torch_dict(data["images"]), fresh(transformation))
    assert_close(out["images"], to_numpy(images), atol=1e-4)
    if masks:
        expected = ref.transform_segmentation_masks(
            torch_dict(data["segmentation_masks"]), fresh(transformation), training=True
        )
        assert_close(out["segmentation_masks"], to_numpy(expected), atol=1e-4)
    return out
