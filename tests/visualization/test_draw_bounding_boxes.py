import sys

import numpy as np
import pytest
import torch

from kerastorch.utils.bounding_boxes import convert_format
from kerastorch.visualization import draw_bounding_boxes
from tests.oracle import keras_or_skip

pytest.importorskip("cv2")

_XYXY = np.array(
    [
        [[2, 30, 20, 50], [10, 5, 40, 25], [0, 0, 5, 5]],
        [[8, 8, 56, 40], [1, 1, 2, 2], [30, 30, 60, 45]],
    ],
    "float32",
)
_LABELS = np.array([[0, 1, -1], [2, 0, 1]])


def _boxes(fmt, confidences=False):
    boxes = convert_format(_XYXY, "xyxy", fmt, height=48, width=64).numpy()
    result = {"boxes": boxes, "labels": _LABELS}
    if confidences:
        result["confidences"] = np.array([[0.5, 0.25, 1.0], [0.125, 0.75, 0.9]], "float32")
    return result


def _images(dtype="uint8", scale=255):
    rng = np.random.default_rng(0)
    return (rng.random((2, 48, 64, 3)) * scale).astype(dtype)


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "yxyx", "center_xywh", "rel_xyxy", "rel_center_xywh"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"class_mapping": {0: "cat", 1: "dog"}, "color": (255, 0, 0), "line_thickness": 1},
        {"class_mapping": {0: "a", 2: "b"}, "font_scale": 0.4, "text_thickness": None},
    ],
)
def test_draw_bounding_boxes_matches_keras_pixel_for_pixel(fmt, kwargs):
    keras = keras_or_skip()
    images = _images()
    expected = keras.visualization.draw_bounding_boxes(images, _boxes(fmt, True), fmt, **kwargs)
    ours = draw_bounding_boxes(images, _boxes(fmt, True), fmt, **kwargs)
    assert ours.dtype == np.uint8
    assert ours.shape == images.shape
    np.testing.assert_array_equal(ours, expected)


@pytest.mark.parity
@pytest.mark.parametrize(("dtype", "scale"), [("float32", 1.0), ("float32", 300.0), ("int32", 255)])
def test_draw_bounding_boxes_converts_images_as_keras(dtype, scale):
    keras = keras_or_skip()
    images = _images(dtype, scale)
    kwargs = {"class_mapping": {1: "x"}}
    expected = keras.visualization.draw_bounding_boxes(images, _boxes("xyxy"), "xyxy", **kwargs)
    ours = draw_bounding_boxes(torch.from_numpy(images), _boxes("xyxy"), "xyxy", **kwargs)
    np.testing.assert_array_equal(ours, expected)


def test_draw_bounding_boxes_leaves_its_inputs_alone_and_skips_label_minus_one():
    images = np.zeros((2, 48, 64, 3), "uint8")
    boxes = _boxes("rel_xyxy")
    before = boxes["boxes"].copy()
    out = draw_bounding_boxes(images, boxes, "rel_xyxy", color=(9, 9, 9), line_thickness=1)
    assert not images.any()
    np.testing.assert_array_equal(boxes["boxes"], before)
    assert out[1, 8, 8].tolist() == [9, 9, 9]  # a corner of a drawn box
    assert out[0, 2, 2].tolist() == [0, 0, 0]  # on the unlabelled (-1) box only


def test_draw_bounding_boxes_channels_first_draws_the_same_boxes():
    # Keras hands (channels, height, width) images to OpenCV, which fails; here they are drawn.
    images = _images()
    channels_last = draw_bounding_boxes(images, _boxes("xyxy"), "xyxy", class_mapping={0: "a"})
    channels_first = draw_bounding_boxes(
        images.transpose(0, 3, 1, 2),
        _boxes("xyxy"),
        "xyxy",
        class_mapping={0: "a"},
        data_format="channels_first",
    )
    np.testing.assert_array_equal(channels_first, channels_last.transpose(0, 3, 1, 2))


def test_draw_bounding_boxes_errors(monkeypatch):
    images = _images()
    with pytest.raises(ValueError, match="must be batched 4D tensor"):
        draw_bounding_boxes(images[0], _boxes("xyxy"), "xyxy")
    with pytest.raises(TypeError, match="`bounding_boxes` should be a dict"):
        draw_bounding_boxes(images, [_XYXY], "xyxy")
    with pytest.raises(ValueError, match="containing 'boxes' and 'labels' keys"):
        draw_bounding_boxes(images, {"boxes": _XYXY}, "xyxy")
    monkeypatch.setitem(sys.modules, "cv2", None)  # `import cv2` now raises ImportError
    with pytest.raises(ImportError, match="pip install opencv-python-headless"):
        draw_bounding_boxes(images, _boxes("xyxy"), "xyxy")
