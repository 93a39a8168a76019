import pytest
import torch

from kerastorch.layers.preprocessing.random_perspective import RandomPerspective
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"factor": 0.5, "scale": 0.3, "interpolation": "nearest",
                                         "fill_value": 1.0, "seed": 2}])  # fmt: skip
def test_random_perspective_is_identity_at_inference_and_config_matches_keras(kwargs):
    keras_or_skip()
    check_layer(RandomPerspective, kwargs, (2, 8, 7, 3), training=False)


@pytest.mark.parity
def test_random_perspective_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomPerspective, {"seed": 1}, (2, 8, 8, 3), training=True,
                deterministic=False)  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({"scale": 0.0}, (2, 8, 7, 3)),  # the corners stay: the identity warp
        ({"scale": 0.0, "data_format": "channels_first"}, (2, 3, 6, 5)),
        ({"factor": 0.0, "scale": 0.8}, (7, 6, 2)),  # never applied
    ],
)
def test_random_perspective_with_pinned_parameters_matches_keras(kwargs, shape):
    assert_matches_keras(RandomPerspective(**kwargs), "RandomPerspective", kwargs,
                         images(shape), training=True)  # fmt: skip


def test_random_perspective_warps_with_the_drawn_probability_and_keeps_the_origin():
    x = torch.from_numpy(images((32, 9, 9, 3)))
    layer = RandomPerspective(factor=(0.5, 0.5), scale=0.6, fill_value=-1.0, seed=0)
    y = layer(x, training=True)
    warped = (y != x).flatten(1).any(1)
    assert 6 < int(warped.sum()) < 26
    torch.testing.assert_close(y[:, 0, 0], x[:, 0, 0])  # Keras keeps corner (0, 0) in place
    assert torch.equal(y, RandomPerspective(factor=(0.5, 0.5), scale=0.6, fill_value=-1.0,
                                            seed=0)(x, training=True))  # fmt: skip


def test_random_perspective_warps_segmentation_masks_with_nearest_values():
    masks = torch.randint(0, 3, (4, 8, 8, 1)).float()
    data = {"images": torch.from_numpy(images((4, 8, 8, 3))), "segmentation_masks": masks,
            "labels": torch.ones(4)}  # fmt: skip
    out = RandomPerspective(scale=0.5, seed=1)(data, training=True)
    assert set(out["segmentation_masks"].unique().tolist()) <= {0.0, 1.0, 2.0}
    assert torch.equal(out["labels"], data["labels"])
    assert out["images"].shape == (4, 8, 8, 3)


def test_random_perspective_validates_arguments():
    with pytest.raises(ValueError, match="scale"):
        RandomPerspective(scale=1.5)
    with pytest.raises(NotImplementedError, match="interpolation"):
        RandomPerspective(interpolation="bicubic")


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_perspective_boxes_and_masks_match_keras(data_format):
    kwargs = {
        "factor": (0.5, 1.0),
        "scale": 0.6,
        "seed": 3,
        "bounding_box_format": "xyxy",
        "data_format": data_format,
    }
    first = data_format == "channels_first"
    data = data_dict("xyxy", (4, 3, 12, 10) if first else (4, 12, 10, 3), channels_first=first)
    assert_transforms_match_keras(RandomPerspective, "RandomPerspective", kwargs, data)


def test_random_perspective_returns_boxes_in_their_format():
    """Keras 3.15 returns xyxy boxes whatever the format; kerastorch keeps the format."""
    from kerastorch.layers.preprocessing.bounding_boxes import convert_format

    data = data_dict("xyxy", (4, 12, 10, 3))
    kwargs = {"scale": 0.6, "seed": 3}
    xyxy = RandomPerspective(**kwargs, bounding_box_format="xyxy")(data, training=True)
    rel = dict(data["bounding_boxes"])
    rel["boxes"] = convert_format(rel["boxes"], "xyxy", "rel_xywh", 12, 10).numpy()
    out = RandomPerspective(**kwargs, bounding_box_format="rel_xywh")(
        {**data, "bounding_boxes": rel}, training=True
    )
    back = convert_format(out["bounding_boxes"]["boxes"], "rel_xywh", "xyxy", 12, 10)
    torch.testing.assert_close(back, xyxy["bounding_boxes"]["boxes"], atol=1e-3, rtol=1e-4)
