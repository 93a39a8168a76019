import pytest
import torch

from kerastorch.layers.preprocessing.random_grayscale import RandomGrayscale
from tests.layer_checks import check_layer
from tests.layers.preprocessing.augment_oracle import (
    assert_seeded_and_inference_identity,
    assert_transform_matches_keras,
)
from tests.layers.preprocessing.image_oracle import images
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("kwargs", "training", "shape"),
    [
        ({}, False, (2, 8, 8, 3)),
        ({"factor": 1.0}, True, (2, 8, 8, 3)),
        ({"factor": 1.0, "data_format": "channels_first"}, True, (2, 3, 8, 8)),
        ({"factor": 0.0}, True, (2, 8, 8, 3)),
    ],
)
def test_random_grayscale_matches_keras(kwargs, training, shape):
    keras_or_skip()
    check_layer(RandomGrayscale, kwargs, shape, training=training)


@pytest.mark.parity
def test_random_grayscale_draws_match_keras():
    kwargs = {"factor": 0.5}
    assert_transform_matches_keras(RandomGrayscale(**kwargs, seed=2), kwargs, images((8, 5, 5, 3)),
                                   to_keras=lambda params: params["apply"])  # fmt: skip


def test_random_grayscale_converts_about_factor_of_the_images():
    assert_seeded_and_inference_identity(RandomGrayscale, {"factor": 0.5})
    x = torch.rand(400, 2, 2, 3)
    y = RandomGrayscale(factor=0.3, seed=0)(x, training=True)
    converted = (y[..., 0] == y[..., 2]).flatten(1).all(1).float().mean()
    assert 0.22 < float(converted) < 0.38


def test_random_grayscale_validates_factor():
    with pytest.raises(ValueError, match="between 0 and 1"):
        RandomGrayscale(factor=1.5)
