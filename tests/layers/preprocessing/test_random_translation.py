import pytest
import torch

from kerastorch.layers.preprocessing.random_translation import RandomTranslation
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"height_factor": 0.2, "width_factor": 0.1},
        {"height_factor": (-0.2, 0.3), "width_factor": 0.5, "fill_mode": "wrap"},
    ],
)
def test_random_translation_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(RandomTranslation, kwargs, (2, 8, 8, 3), training=False)


@pytest.mark.parity
def test_random_translation_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomTranslation, {"height_factor": 0.2, "width_factor": 0.2, "seed": 1},
                (2, 8, 8, 3), training=True, deterministic=False)  # fmt: skip


def test_random_translation_by_whole_pixels_shifts_exactly():
    x = torch.rand(2, 8, 8, 3)
    y = RandomTranslation((0.25, 0.25), (-0.125, -0.125), fill_mode="wrap")(x, training=True)
    torch.testing.assert_close(y, torch.roll(x, shifts=(2, -1), dims=(1, 2)))


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy", "center_xywh"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_translation_boxes_and_masks_match_keras(fmt, data_format):
    kwargs = {
        "height_factor": 0.3,
        "width_factor": (-0.4, 0.2),
        "seed": 7,
        "bounding_box_format": fmt,
        "data_format": data_format,
        "fill_mode": "constant",
    }
    first = data_format == "channels_first"
    data = data_dict(fmt, (3, 3, 12, 10) if first else (3, 12, 10, 3), channels_first=first)
    assert_transforms_match_keras(RandomTranslation, "RandomTranslation", kwargs, data)
