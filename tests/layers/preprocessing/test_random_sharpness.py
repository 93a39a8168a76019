import pytest
import torch

from kerastorch.layers.preprocessing.random_sharpness import RandomSharpness
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
        ({"factor": 0.5}, False, (2, 8, 8, 3)),
        ({"factor": (0.2, 0.2), "value_range": (0, 1)}, True, (2, 8, 8, 3)),
        ({"factor": (0.9, 0.9), "value_range": (0, 1), "data_format": "channels_first"}, True,
         (2, 3, 8, 8)),
    ],
)  # fmt: skip
def test_random_sharpness_matches_keras(kwargs, training, shape):
    keras_or_skip()
    check_layer(RandomSharpness, kwargs, shape, input_data=images(shape), training=training)


@pytest.mark.parity
def test_random_sharpness_draws_match_keras():
    kwargs = {"factor": 1.0, "value_range": (0, 1)}
    assert_transform_matches_keras(RandomSharpness(**kwargs, seed=1), kwargs, images((4, 6, 5, 3)))


def test_random_sharpness_half_factor_keeps_the_image_and_zero_smooths():
    assert_seeded_and_inference_identity(RandomSharpness, {"factor": 0.8})
    x = torch.rand(2, 6, 6, 3)
    torch.testing.assert_close(RandomSharpness((0.5, 0.5), value_range=(0, 1))(x), x)
    smooth = RandomSharpness((0.0, 0.0), value_range=(0, 1))(x)
    sharp = RandomSharpness((1.0, 1.0), value_range=(0, 1))(x)
    inner = (slice(None), slice(1, -1), slice(1, -1))
    assert float(smooth[inner].std()) < float(x[inner].std()) < float(sharp[inner].std())


def test_random_sharpness_validates_factor():
    with pytest.raises(ValueError, match="factor"):
        RandomSharpness(-0.5)
