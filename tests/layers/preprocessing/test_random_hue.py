import pytest
import torch

from kerastorch.layers.preprocessing.random_hue import RandomHue
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
        ({"factor": (1.0, 1.0), "value_range": (0, 1)}, True),  # +-half a turn: the same
        ({"factor": (0.0, 0.0), "value_range": (0, 1)}, True),
    ],
)
def test_random_hue_matches_keras(kwargs, training):
    keras_or_skip()
    check_layer(RandomHue, kwargs, (2, 8, 8, 3), input_data=images((2, 8, 8, 3)),
                training=training, atol=1e-5)  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_hue_draws_match_keras(data_format):
    kwargs = {"factor": 0.9, "value_range": (-1, 1), "data_format": data_format}
    shape = (4, 6, 5, 3) if data_format == "channels_last" else (4, 3, 6, 5)
    x = images(shape) * 2 - 1
    assert_transform_matches_keras(RandomHue(**kwargs, seed=1), kwargs, x, atol=1e-5)


def test_random_hue_shifts_hue_by_at_most_half_the_factor():
    assert_seeded_and_inference_identity(RandomHue, {"factor": 0.5})
    x = torch.rand(64, 4, 4, 3)
    y = RandomHue(0.4, value_range=(0, 1), seed=0)(x, training=True)
    shift = (rgb_to_hsv(y)[..., 0] - rgb_to_hsv(x)[..., 0]).remainder(1.0)
    distance = torch.minimum(shift, 1 - shift).flatten(1)
    assert float(distance.max()) <= 0.2 + 1e-4
    assert float(distance.mean(1).std()) > 0.01  # a different shift per image
    torch.testing.assert_close(rgb_to_hsv(y)[..., 2], rgb_to_hsv(x)[..., 2])


def test_random_hue_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        RandomHue(-0.5)
