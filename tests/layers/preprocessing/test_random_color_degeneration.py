import pytest
import torch

from kerastorch.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
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
    [({"factor": 0.5}, False), ({"factor": (0.5, 0.5), "value_range": (0, 1)}, True)],
)
def test_random_color_degeneration_matches_keras(kwargs, training):
    keras_or_skip()
    check_layer(RandomColorDegeneration, kwargs, (2, 8, 8, 3), input_data=images((2, 8, 8, 3)),
                training=training)  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_color_degeneration_draws_match_keras(data_format):
    kwargs = {"factor": 0.8, "value_range": (0, 1), "data_format": data_format}
    shape = (4, 6, 5, 3) if data_format == "channels_last" else (4, 3, 6, 5)
    assert_transform_matches_keras(RandomColorDegeneration(**kwargs, seed=1), kwargs, images(shape))


def test_random_color_degeneration_blends_towards_gray():
    assert_seeded_and_inference_identity(RandomColorDegeneration, {"factor": 0.9})
    x = torch.rand(64, 4, 4, 3)
    layer = RandomColorDegeneration((0.0, 1.0), value_range=(0, 1), seed=0)
    factors = layer._sample(64, x.device)["factor"].flatten()
    assert bool(((factors >= 0) & (factors < 1)).all())
    assert float(factors.std()) > 0.2
    gray = RandomColorDegeneration((1.0, 1.0), value_range=(0, 1))(x)
    torch.testing.assert_close(gray[..., 0], gray[..., 2])


def test_random_color_degeneration_validates_arguments():
    with pytest.raises(ValueError, match="factor"):
        RandomColorDegeneration(1.5)
    with pytest.raises(ValueError, match="value_range"):
        RandomColorDegeneration(0.5, value_range=(1,))
    with pytest.raises(ValueError, match="3 channels"):
        RandomColorDegeneration(0.5).compute_output_shape((None, 8, 8, 4))
