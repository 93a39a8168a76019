import pytest
import torch

from kerastorch.layers.preprocessing.random_shear import RandomShear
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import (
    assert_seeded_and_inference_identity,
    assert_transform_matches_keras,
)
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "training"),
    [({"x_factor": (0.1, 0.3), "y_factor": (0.1, 0.5)}, False), ({}, True)],
)
def test_random_shear_matches_keras(kwargs, training):
    keras_or_skip()
    check_layer(RandomShear, kwargs, (2, 8, 8, 3), training=training)


def test_random_shear_config_of_a_symmetric_factor_reloads():
    layer = RandomShear(x_factor=0.3, seed=1)  # Keras's own from_config rejects (-0.3, 0.3)
    clone = RandomShear.from_config(layer.get_config())
    assert clone.x_factor == (-0.3, 0.3)
    x = torch.rand(2, 6, 6, 3)
    assert torch.equal(clone(x, training=True), layer(x, training=True))


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"x_factor": 0.4, "y_factor": 0.3},
        {"x_factor": 0.4, "fill_mode": "constant", "fill_value": 2.0, "interpolation": "nearest"},
        {"y_factor": (0.2, 0.9), "fill_mode": "wrap", "data_format": "channels_first"},
        {"x_factor": 1.0, "y_factor": 1.0, "fill_mode": "nearest"},
    ],
)
def test_random_shear_draws_match_keras(kwargs):
    shape = (4, 3, 8, 7) if kwargs.get("data_format") == "channels_first" else (4, 8, 7, 3)
    assert_transform_matches_keras(RandomShear(**kwargs, seed=1), kwargs, images(shape),
                                   atol=1e-5)  # fmt: skip


def test_random_shear_moves_rows_by_the_drawn_amount():
    assert_seeded_and_inference_identity(RandomShear, {"x_factor": 0.5, "y_factor": 0.5})
    x = torch.zeros(1, 5, 9, 1)
    x[0, 4, 2] = 1.0
    layer = RandomShear(x_factor=(0.5, 0.5), fill_mode="constant", interpolation="nearest")
    params = layer._sample(1, x.device)
    y = layer._augment(x.permute(0, 3, 1, 2), params)[0, 0]
    shear = float(params["shear_factor"][0, 0])  # +-0.5: output (x, 4) reads input x + 4 s
    assert y.nonzero().tolist() == [[4, 2 - round(4 * shear)]]
    assert float(params["shear_factor"][0, 1]) == 0.0


def test_random_shear_validates_arguments():
    with pytest.raises(ValueError, match="x_factor"):
        RandomShear(x_factor="big")
    with pytest.raises(ValueError, match="input_number"):
        RandomShear(y_factor=-0.5)
    with pytest.raises(ValueError, match="input_number"):
        RandomShear(y_factor=(-1.5, 0.5))
    with pytest.raises(NotImplementedError, match="fill_mode"):
        RandomShear(0.2, fill_mode="mirror")


@pytest.mark.parity
@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy", "center_xywh"])
@pytest.mark.parametrize("factors", [(0.3, 0.0), (0.0, 0.4), (0.3, 0.2)])
def test_random_shear_boxes_and_masks_match_keras_on_square_images(fmt, factors):
    kwargs = {
        "x_factor": factors[0],
        "y_factor": factors[1],
        "seed": 2,
        "bounding_box_format": fmt,
        "fill_mode": "constant",
    }
    assert_transforms_match_keras(
        RandomShear, "RandomShear", kwargs, data_dict(fmt, (4, 10, 10, 3))
    )


def test_random_shear_boxes_follow_the_pixels_on_wide_images():
    """An x shear moves a row by `-s * y` pixels: the sheared box encloses the sheared mask."""
    masks = torch.zeros(2, 8, 16, 1)
    masks[:, 2:6, 5:9] = 1.0
    boxes = torch.tensor([[[5.0, 2.0, 9.0, 6.0]]]).expand(2, 1, 4)
    data = {
        "images": torch.rand(2, 8, 16, 3),
        "segmentation_masks": masks,
        "bounding_boxes": {"boxes": boxes, "labels": torch.ones(2, 1, dtype=torch.int32)},
    }
    layer = RandomShear(x_factor=0.5, seed=1, bounding_box_format="xyxy", fill_mode="constant")
    out = layer(data, training=True)
    for mask, box in zip(
        out["segmentation_masks"][..., 0], out["bounding_boxes"]["boxes"], strict=True
    ):
        xs = torch.nonzero(mask, as_tuple=True)[1]
        x1, y1, x2, y2 = box[0].tolist()
        assert abs(x1 - xs.min().item()) <= 1.0
        assert abs(x2 - xs.max().item() - 1) <= 1.0
        assert (y1, y2) == (2.0, 6.0)
