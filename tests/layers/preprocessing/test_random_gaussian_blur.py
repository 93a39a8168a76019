import pytest
import torch

from kerastorch.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur
from tests.layer_checks import check_layer
from tests.layers.preprocessing.box_oracle import assert_transforms_match_keras, data_dict
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize("kwargs", [{}, {"factor": 0.4, "kernel_size": 5, "sigma": (0.2, 0.8)}])
def test_random_gaussian_blur_is_identity_at_inference_and_config_matches_keras(kwargs):
    keras_or_skip()
    check_layer(RandomGaussianBlur, kwargs, (2, 8, 7, 3), training=False)


@pytest.mark.parity
def test_random_gaussian_blur_training_shapes_match_keras():
    keras_or_skip()
    check_layer(RandomGaussianBlur, {"seed": 1}, (2, 8, 8, 3), training=True,
                deterministic=False)  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "shape"),
    [
        ({"factor": (1.0, 1.0), "sigma": (0.7, 0.7), "value_range": (0, 1)}, (2, 8, 7, 3)),
        (
            {
                "factor": (1.0, 1.0),
                "sigma": (0.4, 0.4),
                "kernel_size": 5,
                "data_format": "channels_first",
            },
            (2, 3, 8, 8),
        ),
        ({"factor": (1.0, 1.0), "sigma": (1.0, 1.0), "value_range": (0.2, 0.6)}, (6, 6, 2)),
        ({"factor": 0.0, "value_range": (0, 1)}, (2, 5, 5, 1)),  # never applied: only clipped
    ],
)
def test_random_gaussian_blur_with_pinned_sigma_matches_keras(kwargs, shape):
    assert_matches_keras(RandomGaussianBlur(**kwargs), "RandomGaussianBlur", kwargs,
                         images(shape), training=True)  # fmt: skip


def test_random_gaussian_blur_applies_with_the_drawn_probability_and_seed_reproduces():
    x = torch.zeros(64, 5, 5, 1)
    x[:, 2, 2] = 1.0
    y = RandomGaussianBlur(factor=(0.5, 0.5), value_range=(0, 1), seed=0)(x, training=True)
    blurred = y[:, 2, 2, 0] < 1.0
    assert 15 < int(blurred.sum()) < 49
    torch.testing.assert_close(y[blurred].sum((1, 2, 3)), torch.ones(int(blurred.sum())))
    layer_a = RandomGaussianBlur(seed=7)
    layer_b = RandomGaussianBlur(seed=7)
    x = torch.from_numpy(images((4, 6, 6, 3))) * 255
    assert torch.equal(layer_a(x, training=True), layer_b(x, training=True))


def test_random_gaussian_blur_validates_arguments():
    with pytest.raises(ValueError, match="odd"):
        RandomGaussianBlur(kernel_size=4)
    with pytest.raises(ValueError, match="sigma"):
        RandomGaussianBlur(sigma=2.0)


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"seed": 1, "factor": (0.5, 1.0), "value_range": (0, 1), "bounding_box_format": "xyxy"},
        {"seed": 2, "kernel_size": 5, "sigma": (0.3, 0.9), "value_range": (0, 1),
         "data_format": "channels_first", "bounding_box_format": "center_xywh"},
    ],
)  # fmt: skip
def test_random_gaussian_blur_dict_matches_keras_hooks_on_our_draws(kwargs):

    channels_first = "data_format" in kwargs
    shape = (3, 3, 9, 8) if channels_first else (3, 9, 8, 3)
    data = data_dict(kwargs["bounding_box_format"], shape, channels_first=channels_first)
    out = assert_transforms_match_keras(RandomGaussianBlur, "RandomGaussianBlur", kwargs, data)
    assert torch.equal(out["labels"], torch.from_numpy(data["labels"]))
    assert not torch.equal(out["images"], torch.from_numpy(data["images"]))


def test_random_gaussian_blur_dict_needs_a_box_format_and_keeps_one_image_dicts():
    boxes = {"boxes": torch.ones(1, 4), "labels": torch.ones(1)}
    data = {"images": torch.rand(6, 6, 3), "bounding_boxes": boxes}
    with pytest.raises(ValueError, match="bounding_box_format"):
        RandomGaussianBlur()(data)
    out = RandomGaussianBlur(seed=1, bounding_box_format="xyxy")(data, training=True)
    assert out["images"].shape == (6, 6, 3)
    assert out["bounding_boxes"]["boxes"].tolist() == [[1.0, 1.0, 1.0, 1.0]]
