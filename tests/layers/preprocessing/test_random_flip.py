import pytest
import torch

from kerastorch.layers.preprocessing.random_flip import RandomFlip
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_flip_matches_keras_at_inference(mode, data_format):
    keras_or_skip()
    kwargs = {"mode": mode, "seed": 5, "data_format": data_format}
    check_layer(
        RandomFlip, kwargs, (2, 4, 4, 3), training=False, expected_output_shape=(2, 4, 4, 3)
    )


@pytest.mark.parity
def test_random_flip_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomFlip, {"seed": 1}, (2, 4, 4, 3), training=True, deterministic=False)


@pytest.mark.parametrize(
    ("mode", "dims"),
    [("horizontal", (2,)), ("vertical", (1,)), ("horizontal_and_vertical", (1, 2))],
)
def test_random_flip_outputs_exact_flips_about_half_the_time(mode, dims):
    x = torch.rand(64, 4, 5, 2)
    y = RandomFlip(mode, seed=0)(x, training=True)
    flip_dims = tuple(d - 1 for d in dims)  # per image (no batch axis)
    same = [torch.equal(a, b) for a, b in zip(y, x, strict=True)]
    flipped = [torch.equal(a, b.flip(flip_dims)) for a, b in zip(y, x, strict=True)]
    assert all(s or f for s, f in zip(same, flipped, strict=True))
    assert 16 < sum(flipped) < 48


def test_random_flip_seed_reproduces_and_unbatched_works():
    x = torch.rand(8, 4, 4, 1)
    a = RandomFlip(seed=11)(x, training=True)
    b = RandomFlip(seed=11)(x, training=True)
    assert torch.equal(a, b)
    assert RandomFlip(seed=1)(x[0], training=True).shape == (4, 4, 1)


def test_random_flip_casts_integer_images_to_float():
    x = torch.randint(0, 255, (2, 4, 4, 3), dtype=torch.uint8)
    assert RandomFlip()(x, training=False).dtype == torch.float32


def test_random_flip_rejects_unknown_mode():
    with pytest.raises(ValueError, match="unknown mode argument"):
        RandomFlip("diagonal")


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
@pytest.mark.parametrize("fmt", ["xyxy", "rel_yxyx", "center_xywh"])
def test_random_flip_boxes_and_masks_match_keras(mode, fmt):
    kwargs = {"mode": mode, "seed": 3, "bounding_box_format": fmt}
    assert_transforms_match_keras(RandomFlip, "RandomFlip", kwargs, data_dict(fmt, (4, 6, 8, 3)))


@pytest.mark.parity
def test_random_flip_channels_first_and_unbatched_boxes():
    kwargs = {
        "mode": "horizontal",
        "seed": 2,
        "bounding_box_format": "xywh",
        "data_format": "channels_first",
    }
    data = data_dict("xywh", (4, 3, 6, 8), channels_first=True)
    assert_transforms_match_keras(RandomFlip, "RandomFlip", kwargs, data)
    single = {
        "images": data["images"][0],
        "bounding_boxes": {
            "boxes": data["bounding_boxes"]["boxes"][0],
            "labels": data["bounding_boxes"]["labels"][0],
        },
    }
    out = RandomFlip(**kwargs)(single, training=False)
    assert tuple(out["bounding_boxes"]["boxes"].shape) == (3, 4)
    assert torch.equal(
        out["bounding_boxes"]["boxes"], torch.from_numpy(single["bounding_boxes"]["boxes"])
    )


def test_random_flip_boxes_need_a_format():
    data = {
        "images": torch.rand(1, 4, 4, 3),
        "bounding_boxes": {"boxes": torch.zeros(1, 1, 4), "labels": torch.zeros(1, 1)},
    }
    with pytest.raises(
        ValueError, match="Pass a `bounding_box_format` argument to your RandomFlip"
    ):
        RandomFlip()(data)
    assert RandomFlip(bounding_box_format="xyxy").get_config()["bounding_box_format"] == "xyxy"
    assert "bounding_box_format" not in RandomFlip().get_config()
