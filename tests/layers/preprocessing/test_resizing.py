import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing.resizing import Resizing
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_layer_matches_keras, data_dict
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"interpolation": "nearest"},
        {"interpolation": "bicubic"},
        {"crop_to_aspect_ratio": True},
        {"pad_to_aspect_ratio": True, "fill_value": 0.5},
        {"antialias": True},
        {"data_format": "channels_first"},
    ],
)
@pytest.mark.parametrize("size", [(4, 5), (11, 6), (3, 9)])
def test_resizing_matches_keras(kwargs, size):
    kwargs = {"height": size[0], "width": size[1], **kwargs}
    assert_matches_keras(Resizing(**kwargs), "Resizing", kwargs, images((2, 8, 7, 3)))


@pytest.mark.parity
def test_resizing_bilinear_is_half_pixel_tf_semantics():
    """2x upsampling with half-pixel centres: output pixel 1 samples input 0.25 from pixel 0."""
    x = torch.tensor([0.0, 4.0]).reshape(1, 1, 2, 1)
    out = Resizing(1, 4)(x)[0, 0, :, 0].tolist()
    assert out == [0.0, 1.0, 3.0, 4.0]


@pytest.mark.parity
def test_resizing_harness_and_uint8_parity():
    keras_or_skip()
    check_layer(
        Resizing, {"height": 4, "width": 6}, (2, 8, 8, 3), expected_output_shape=(2, 4, 6, 3)
    )
    data = (images((2, 8, 7, 3)) * 255).astype("uint8")
    for interpolation in ("bilinear", "bicubic"):
        kwargs = {"height": 5, "width": 4, "interpolation": interpolation}
        out = assert_matches_keras(Resizing(**kwargs), "Resizing", kwargs, data)
        assert out.dtype == torch.uint8


def test_resizing_unbatched_and_errors():
    assert Resizing(3, 3)(torch.rand(8, 8, 2)).shape == (3, 3, 2)
    with pytest.raises(ValueError, match="Lanczos"):
        Resizing(2, 2, interpolation="lanczos3")
    with pytest.raises(ValueError, match="Only one of"):
        Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    np.testing.assert_array_equal(Resizing(8, 8)(torch.ones(1, 8, 8, 1)).numpy(), 1.0)


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"crop_to_aspect_ratio": True},
        {"pad_to_aspect_ratio": True},
        {"interpolation": "nearest"},
    ],
)
@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy", "center_yxhw"])
@pytest.mark.parametrize("size", [(6, 9), (16, 5)])
def test_resizing_boxes_and_masks_match_keras(kwargs, fmt, size):
    kwargs = {"height": size[0], "width": size[1], "bounding_box_format": fmt, **kwargs}
    data = data_dict(fmt, (2, 12, 10, 3))
    data["bounding_boxes"]["boxes"][0, 1] = 0.0  # an all-zero padding box stays all zero
    assert_layer_matches_keras(Resizing(**kwargs), "Resizing", kwargs, data)


def test_resizing_unbatched_dict():
    data = {
        "images": torch.rand(8, 4, 3),
        "segmentation_masks": torch.ones(8, 4, 1),
        "bounding_boxes": {
            "boxes": torch.tensor([[0.0, 0.0, 4.0, 8.0]]),
            "labels": torch.tensor([1]),
        },
    }
    out = Resizing(4, 2, bounding_box_format="xyxy")(data)
    assert out["images"].shape == (4, 2, 3)
    assert out["segmentation_masks"].shape == (4, 2, 1)
    assert out["bounding_boxes"]["boxes"].tolist() == [[0.0, 0.0, 2.0, 4.0]]
