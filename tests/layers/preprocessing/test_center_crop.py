import pytest
import torch

from kerastorch.layers.preprocessing.center_crop import CenterCrop
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_layer_matches_keras, data_dict
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("size", [(4, 5), (8, 7), (11, 6), (3, 9)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_center_crop_matches_keras(size, data_format):
    kwargs = {"height": size[0], "width": size[1], "data_format": data_format}
    assert_matches_keras(CenterCrop(**kwargs), "CenterCrop", kwargs, images((2, 8, 7, 3)))


@pytest.mark.parity
def test_center_crop_harness():
    keras_or_skip()
    check_layer(
        CenterCrop, {"height": 4, "width": 4}, (2, 8, 8, 3), expected_output_shape=(2, 4, 4, 3)
    )


def test_center_crop_takes_the_central_window_as_a_view():
    x = torch.arange(36.0).reshape(1, 6, 6, 1)
    out = CenterCrop(2, 2)(x)
    assert out[0, :, :, 0].tolist() == [[14.0, 15.0], [20.0, 21.0]]
    assert out.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()  # a view


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy", "xywh"])
@pytest.mark.parametrize("size", [(6, 4), (8, 14), (14, 6)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_center_crop_boxes_and_masks_match_keras(fmt, size, data_format):
    kwargs = {
        "height": size[0],
        "width": size[1],
        "bounding_box_format": fmt,
        "data_format": data_format,
    }
    first = data_format == "channels_first"
    data = data_dict(fmt, (2, 3, 12, 10) if first else (2, 12, 10, 3), channels_first=first)
    assert_layer_matches_keras(CenterCrop(**kwargs), "CenterCrop", kwargs, data)
