import numpy as np
import pytest

from kerastorch.utils import bounding_boxes
from tests.oracle import assert_close, keras_or_skip, to_numpy


@pytest.mark.parity
def test_namespace_has_exactly_keras_names():
    keras = keras_or_skip()
    theirs = {n for n in dir(keras.utils.bounding_boxes) if not n.startswith("_")}
    assert set(bounding_boxes.__all__) == theirs
    assert all(callable(getattr(bounding_boxes, n)) for n in theirs)


@pytest.mark.parity
def test_public_functions_match_keras_docstring_examples():
    keras = keras_or_skip()
    kb = keras.utils.bounding_boxes
    boxes = np.array([[10, 20, 30, 40], [50, 60, 70, 80]])
    for target, kwargs in [("xywh", {}), ("rel_xyxy", {"height": 200, "width": 300})]:
        ours = bounding_boxes.convert_format(boxes, "xyxy", target, **kwargs)
        assert_close(ours, to_numpy(kb.convert_format(boxes, "xyxy", target, **kwargs)))
    data = {"boxes": np.array([[-10, -20, 150, 160], [50, 40, 70, 80]]), "labels": np.array([0, 1])}
    ours = bounding_boxes.clip_to_image_size(dict(data), height=100, width=120)
    theirs = kb.clip_to_image_size(dict(data), height=100, width=120)
    assert_close(ours["boxes"], to_numpy(theirs["boxes"]))
    assert ours["labels"].tolist() == to_numpy(theirs["labels"]).tolist()
