import pytest
import torch

from kerastorch.layers.preprocessing.random_rotation import RandomRotation
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [{"factor": 0.2}, {"factor": (-0.1, 0.3), "fill_mode": "constant", "fill_value": 1.0}],
)
def test_random_rotation_matches_keras_at_inference(kwargs):
    keras_or_skip()
    check_layer(RandomRotation, kwargs, (2, 8, 8, 3), training=False)


@pytest.mark.parity
def test_random_rotation_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomRotation, {"factor": 0.2, "seed": 1}, (2, 8, 8, 3), training=True,
                deterministic=False)  # fmt: skip


def test_random_rotation_angles_stay_in_range_and_seed_reproduces():
    x = torch.zeros(32, 9, 9, 1)
    x[:, 4, 8] = 1.0  # a dot on the right edge, on the horizontal axis
    y = RandomRotation((0.0, 0.125), fill_mode="constant", interpolation="nearest", seed=2)(
        x, training=True
    )
    rows, cols = (y[..., 0] == 1).nonzero()[:, 1:].T
    angles = torch.rad2deg(torch.atan2(4.0 - rows.float(), cols.float() - 4.0))
    assert bool(((angles >= -6) & (angles <= 51)).all())  # [0, 45] degrees, pixel rounding
    layer_a, layer_b = RandomRotation(0.3, seed=4), RandomRotation(0.3, seed=4)
    assert torch.equal(layer_a(x, training=True), layer_b(x, training=True))


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_rotation_boxes_and_masks_match_keras(data_format):
    kwargs = {
        "factor": 0.2,
        "seed": 5,
        "bounding_box_format": "xyxy",
        "fill_mode": "constant",
        "data_format": data_format,
    }
    first = data_format == "channels_first"
    data = data_dict("xyxy", (3, 3, 12, 10) if first else (3, 12, 10, 3), channels_first=first)
    assert_transforms_match_keras(RandomRotation, "RandomRotation", kwargs, data)


@pytest.mark.parametrize("fmt", ["rel_xyxy", "center_yxhw"])
def test_random_rotation_reads_boxes_in_their_format(fmt):
    """Keras 3.15 reads any format as xyxy; kerastorch converts (xyxy results agree above)."""
    from kerastorch.layers.preprocessing.bounding_boxes import convert_format

    data = data_dict("xyxy", (3, 12, 10, 3))
    xyxy = RandomRotation(0.2, seed=5, bounding_box_format="xyxy")(data, training=True)
    boxes = dict(
        data["bounding_boxes"],
        boxes=convert_format(data["bounding_boxes"]["boxes"], "xyxy", fmt, 12, 10).numpy(),
    )
    other = RandomRotation(0.2, seed=5, bounding_box_format=fmt)(
        {**data, "bounding_boxes": boxes}, training=True
    )
    back = convert_format(other["bounding_boxes"]["boxes"], fmt, "xyxy", 12, 10)
    torch.testing.assert_close(back, xyxy["bounding_boxes"]["boxes"], atol=1e-4, rtol=1e-4)
    assert torch.equal(other["bounding_boxes"]["labels"], xyxy["bounding_boxes"]["labels"])
