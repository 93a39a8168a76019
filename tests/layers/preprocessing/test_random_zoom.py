import pytest
import torch

from kerastorch.layers.preprocessing.random_zoom import RandomZoom
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs", [{"height_factor": 0.2}, {"height_factor": (-0.3, 0.1), "width_factor": 0.4}]
)
def test_random_zoom_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(RandomZoom, kwargs, (2, 8, 8, 3), training=False)


@pytest.mark.parity
def test_random_zoom_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomZoom, {"height_factor": 0.3, "seed": 1}, (2, 8, 8, 3), training=True,
                deterministic=False)  # fmt: skip


def test_random_zoom_out_keeps_the_centre_and_shrinks_content():
    x = torch.ones(4, 9, 9, 1)
    y = RandomZoom((0.5, 0.9), fill_mode="constant", seed=0)(x, training=True)
    assert bool((y[:, 4, 4] == 1).all())  # the centre is a fixed point
    assert bool((y[:, 0, 0] == 0).all())  # zooming out brings in the fill value
    assert torch.equal(
        RandomZoom(0.3, seed=5)(x, training=True), RandomZoom(0.3, seed=5)(x, training=True)
    )


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "rel_yxyx", "xywh"])
@pytest.mark.parametrize("width_factor", [None, (-0.3, 0.4)])
def test_random_zoom_boxes_and_masks_match_keras(fmt, width_factor):
    kwargs = {
        "height_factor": (-0.4, 0.3),
        "width_factor": width_factor,
        "seed": 5,
        "bounding_box_format": fmt,
        "fill_mode": "constant",
    }
    assert_transforms_match_keras(RandomZoom, "RandomZoom", kwargs, data_dict(fmt, (3, 12, 10, 3)))
