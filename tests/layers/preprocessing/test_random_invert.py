import pytest
import torch

from kerastorch.layers.preprocessing.random_invert import RandomInvert
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
    [({}, False), ({"factor": (1.0, 1.0), "value_range": (0, 1)}, True), ({"factor": 0.0}, True)],
)
def test_random_invert_matches_keras(kwargs, training):
    keras_or_skip()
    check_layer(RandomInvert, kwargs, (2, 8, 8, 3), training=training)


@pytest.mark.parity
def test_random_invert_draws_match_keras():
    kwargs = {"factor": 0.7, "value_range": (0, 1)}
    assert_transform_matches_keras(RandomInvert(**kwargs, seed=3), kwargs, images((8, 4, 4, 3)))


def test_random_invert_probability_follows_the_factor():
    assert_seeded_and_inference_identity(RandomInvert, {"factor": 1.0})
    x = torch.rand(1000, 1, 1, 1)
    y = RandomInvert(seed=0)(x, training=True)  # factor 1.0: p ~ U(0, 1), half inverted
    inverted = torch.isclose(y, 255 - x).float().mean()
    assert 0.44 < float(inverted) < 0.56
    assert torch.allclose(RandomInvert((1.0, 1.0), value_range=(0, 1))(x), 1 - x)


def test_random_invert_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        RandomInvert(factor=2.0)
