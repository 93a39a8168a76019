import pytest
import torch

from kerastorch.layers.preprocessing.random_saturation import RandomSaturation
from kerastorch.ops.image.color import rgb_to_hsv
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import (
    assert_seeded_and_inference_identity,
    assert_transform_matches_keras,
)
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "training"),
    [
        ({"factor": 0.5}, False),
        ({"factor": (0.5, 0.5), "value_range": (0, 1)}, True),
        ({"factor": (0.2, 0.2)}, True),
    ],
)
def test_random_saturation_matches_keras(kwargs, training):
    keras_or_skip()
    check_layer(RandomSaturation, kwargs, (2, 8, 8, 3), input_data=images((2, 8, 8, 3)),
                training=training)  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_saturation_draws_match_keras(data_format):
    kwargs = {"factor": (0.1, 0.9), "value_range": (0, 1), "data_format": data_format}
    shape = (4, 6, 5, 3) if data_format == "channels_last" else (4, 3, 6, 5)
    assert_transform_matches_keras(RandomSaturation(**kwargs, seed=1), kwargs, images(shape))


def test_random_saturation_scales_the_saturation_only():
    assert_seeded_and_inference_identity(RandomSaturation, {"factor": 0.5})
    x = torch.rand(32, 4, 4, 3)
    y = RandomSaturation((0.0, 0.0), value_range=(0, 1))(x, training=True)
    torch.testing.assert_close(y[..., 0], y[..., 1])  # factor 0: gray
    y = RandomSaturation((0.2, 0.4), value_range=(0, 1), seed=0)(x, training=True)
    ratio = (rgb_to_hsv(y)[..., 1] / rgb_to_hsv(x)[..., 1]).flatten(1)
    assert bool(((ratio > 0.25 - 1e-4) & (ratio < 0.667 + 1e-4)).all())  # f / (1 - f)
    torch.testing.assert_close(rgb_to_hsv(y)[..., 2], rgb_to_hsv(x)[..., 2])


def test_random_saturation_validates_arguments():
    with pytest.raises(ValueError, match="factor"):
        RandomSaturation(1.5)
    with pytest.raises(ValueError, match="value_range"):
        RandomSaturation(0.5, value_range="0-1")
