import pytest
import torch

from kerastorch.layers.preprocessing.random_brightness import RandomBrightness
from tests.layer_checks import check_layer
from tests.layers.preprocessing.image_oracle import assert_matches_keras, images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs", [{"factor": 0.2}, {"factor": (-0.4, 0.1), "value_range": (0, 1)}]
)
def test_random_brightness_matches_keras_at_inference_and_config(kwargs):
    keras_or_skip()
    check_layer(RandomBrightness, kwargs, (2, 8, 8, 3), training=False)


@pytest.mark.parity
@pytest.mark.parametrize("delta", [0.1, -0.3])
def test_random_brightness_fixed_delta_matches_keras_in_training(delta):
    kwargs = {"factor": (delta, delta), "value_range": (0, 1)}
    assert_matches_keras(RandomBrightness(**kwargs), "RandomBrightness", kwargs, images(),
                         training=True)  # fmt: skip


def test_random_brightness_adds_one_delta_per_image_within_range():
    x = torch.full((64, 4, 4, 3), 128.0)
    y = RandomBrightness(0.2, seed=0)(x, training=True)
    delta = (y - x).flatten(1)
    assert bool((delta.min(1).values == delta.max(1).values).all())
    assert bool((delta.abs() <= 0.2 * 255 + 1e-3).all())
    assert float(delta.std()) > 5
    assert torch.equal(
        RandomBrightness(0.2, seed=3)(x, training=True),
        RandomBrightness(0.2, seed=3)(x, training=True),
    )


def test_random_brightness_validates_value_range():
    with pytest.raises(ValueError, match="value_range"):
        RandomBrightness(0.1, value_range=(0, 1, 2))
