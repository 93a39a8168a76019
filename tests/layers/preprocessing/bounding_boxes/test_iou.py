import numpy as np
import pytest

from kerastorch.layers.preprocessing.bounding_boxes import iou
from tests.oracle import assert_close, keras_or_skip, to_numpy


def _boxes(shape, seed):
    r = np.random.default_rng(seed)
    xy = r.uniform(0, 10, (*shape, 2))
    boxes = np.concatenate([xy, xy + r.uniform(1, 8, (*shape, 2))], axis=-1).astype("float32")
    boxes[..., -1, :] = -1.0  # a padding box
    return boxes


@pytest.mark.parity
@pytest.mark.parametrize(
    ("shape1", "shape2", "use_masking"),
    [
        ((3,), (4,), False),
        ((2, 3), (2, 4), False),
        ((2, 3), (4,), False),
        ((3,), (2, 4), False),
        ((3,), (4,), True),
        ((2, 3), (2, 4), True),
    ],
)  # (Keras's masking fails on boxes of different ranks: its transpose needs one rank)
def test_compute_iou_matches_keras(shape1, shape2, use_masking):
    keras = keras_or_skip()
    a, b = _boxes(shape1, 0), _boxes(shape2, 1)
    kwargs = {"use_masking": use_masking, "mask_val": -3}
    theirs = keras.utils.bounding_boxes.compute_iou(a, b, "xyxy", **kwargs)
    ours = iou.compute_iou(a, b, "xyxy", **kwargs)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours, to_numpy(theirs))


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["yxyx", "center_xywh", "rel_xyxy"])
def test_compute_iou_formats_match_keras(fmt):
    keras = keras_or_skip()
    a, b = np.abs(_boxes((3,), 2)) / 20, np.abs(_boxes((4,), 3)) / 20
    theirs = keras.utils.bounding_boxes.compute_iou(a, b, fmt, image_shape=(20, 30, 3))
    assert_close(iou.compute_iou(a, b, fmt, image_shape=(20, 30, 3)), to_numpy(theirs))


def test_compute_iou_errors():
    with pytest.raises(ValueError, match="expects boxes1 to be batched"):
        iou.compute_iou(np.zeros(4), np.zeros((1, 4)), "xyxy")
    with pytest.raises(ValueError, match="expects boxes2 to be batched"):
        iou.compute_iou(np.zeros((1, 4)), np.zeros((1, 1, 1, 4)), "xyxy")
    with pytest.raises(ValueError, match="`image_shape` argument must be provided"):
        iou.compute_iou(np.zeros((1, 4)), np.zeros((1, 4)), "rel_xyxy")


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "xywh"])
@pytest.mark.parametrize("shape", [(5,), (2, 3)])
def test_compute_ciou_matches_keras(fmt, shape):
    keras = keras_or_skip()
    a, b = np.abs(_boxes(shape, 4)), np.abs(_boxes(shape, 5))
    theirs = keras.utils.bounding_boxes.compute_ciou(a, b, fmt)
    ours = iou.compute_ciou(a, b, fmt)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours, to_numpy(theirs))


def test_compute_ciou_refuses_relative_formats():
    with pytest.raises(ValueError, match="relative bounding box formats"):
        iou.compute_ciou(np.zeros((1, 4)), np.zeros((1, 4)), "rel_xyxy", image_shape=(2, 2, 3))
