import pytest
import torch

from kerastorch.layers.preprocessing.random_posterization import RandomPosterization
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
        ({"factor": 4}, False),
        ({"factor": (3, 3)}, True),
        ({"factor": (2, 2), "value_range": (0, 1)}, True),
    ],
)
def test_random_posterization_matches_keras(kwargs, training):
    keras_or_skip()
    scale = 1 if kwargs.get("value_range") else 255
    check_layer(RandomPosterization, kwargs, (2, 8, 8, 3),
                input_data=images((2, 8, 8, 3)) * scale, training=training)  # fmt: skip


@pytest.mark.parity
def test_random_posterization_draws_match_keras():
    kwargs = {"factor": (1, 8), "value_range": (0, 1)}
    assert_transform_matches_keras(
        RandomPosterization(**kwargs, seed=5), kwargs, images((8, 4, 4, 3))
    )


def test_random_posterization_keeps_the_drawn_number_of_bits():
    assert_seeded_and_inference_identity(RandomPosterization, {"factor": (1, 8)})
    layer = RandomPosterization((2, 5), seed=0)
    shifts = layer._sample(500, torch.device("cpu"))["shift_factor"]
    assert sorted(torch.unique(shifts).tolist()) == [4, 5, 6]  # bits 2, 3, 4 (5 excluded)
    y = layer(torch.rand(16, 4, 4, 3) * 255, training=True)
    assert bool((y.to(torch.uint8) % 16 == 0).all())  # at most 4 bits kept
    assert torch.equal(RandomPosterization((8, 8))(torch.arange(256.0).view(1, 16, 16, 1)),
                       torch.arange(256.0).view(1, 16, 16, 1))  # fmt: skip


def test_random_posterization_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        RandomPosterization(9)
    with pytest.raises(ValueError, match="factor"):
        RandomPosterization((0, 0.5))
