import numpy as np
import pytest

from kerastorch.layers.preprocessing.bounding_boxes import deltas
from tests.oracle import assert_close, keras_or_skip, to_numpy


def _boxes(shape, seed):
    r = np.random.default_rng(seed)
    xy = r.uniform(0, 10, (*shape, 2))
    return np.concatenate([xy, xy + r.uniform(1, 8, (*shape, 2))], axis=-1).astype("float32")


@pytest.mark.parity
@pytest.mark.parametrize("encoding", ["center_yxhw", "center_xywh"])
@pytest.mark.parametrize("variance", [None, [0.1, 0.1, 0.2, 0.2]])
@pytest.mark.parametrize("boxes_shape", [(6,), (2, 6)])
def test_encode_and_decode_match_keras(encoding, variance, boxes_shape):
    keras = keras_or_skip()
    kb = keras.utils.bounding_boxes
    anchors, boxes = _boxes((6,), 0), _boxes(boxes_shape, 1)
    kwargs = {"variance": variance}
    theirs = kb.encode_box_to_deltas(anchors, boxes, "xyxy", "xyxy", encoding, **kwargs)
    ours = deltas.encode_box_to_deltas(anchors, boxes, "xyxy", "xyxy", encoding, **kwargs)
    assert_close(ours, to_numpy(theirs))
    theirs = kb.decode_deltas_to_boxes(anchors, theirs, "xyxy", "xywh", encoding, **kwargs)
    ours = deltas.decode_deltas_to_boxes(anchors, ours, "xyxy", "xywh", encoding, **kwargs)
    assert_close(ours, to_numpy(theirs), atol=1e-4)


@pytest.mark.parity
def test_relative_formats_and_level_dicts_match_keras():
    keras = keras_or_skip()
    kb = keras.utils.bounding_boxes
    anchors, boxes = _boxes((4,), 2) / 20, _boxes((4,), 3) / 20
    shape = (20, 30, 3)
    theirs = kb.encode_box_to_deltas(anchors, boxes, "rel_xyxy", "rel_xyxy", image_shape=shape)
    ours = deltas.encode_box_to_deltas(anchors, boxes, "rel_xyxy", "rel_xyxy", image_shape=shape)
    assert_close(ours, to_numpy(theirs))
    levels = {"P3": anchors, "P4": anchors * 2}
    delta = {"P3": theirs, "P4": theirs / 2}  # Keras needs tensors here
    theirs = kb.decode_deltas_to_boxes(levels, delta, "rel_xyxy", "xyxy", image_shape=shape)
    ours = deltas.decode_deltas_to_boxes(levels, delta, "rel_xyxy", "xyxy", image_shape=shape)
    assert ours.keys() == theirs.keys()
    for key in theirs:
        assert_close(ours[key], to_numpy(theirs[key]), atol=1e-4)


@pytest.mark.parametrize("fn", [deltas.encode_box_to_deltas, deltas.decode_deltas_to_boxes])
def test_delta_errors(fn):
    a = np.zeros((1, 4), "float32")
    with pytest.raises(ValueError, match="`variance` must be length 4"):
        fn(a, a, "xyxy", "xyxy", variance=[1.0, 1.0])
    with pytest.raises(ValueError, match="'center_xywh'"):
        fn(a, a, "xyxy", "xyxy", "xyxy")
