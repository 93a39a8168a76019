import pytest
import torch

from kerastorch.layers.preprocessing.solarization import Solarization
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
        ({"addition_factor": 0.2, "threshold_factor": 0.5}, False, (2, 8, 8, 3)),
        ({}, True, (2, 8, 8, 3)),
        ({"value_range": (0, 1), "data_format": "channels_first"}, True, (2, 3, 8, 8)),
    ],
)
def test_solarization_matches_keras(kwargs, training, shape):
    keras_or_skip()
    scale = 1 if kwargs.get("value_range") else 255
    check_layer(Solarization, kwargs, shape, input_data=images(shape) * scale, training=training)


@pytest.mark.parity
@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_solarization_draws_match_keras(value_range):
    kwargs = {"addition_factor": 0.3, "threshold_factor": (0.2, 0.8), "value_range": value_range}
    x = images((8, 4, 4, 3)) * value_range[1]
    assert_transform_matches_keras(Solarization(**kwargs, seed=2), kwargs, x)


def test_solarization_inverts_above_the_threshold():
    assert_seeded_and_inference_identity(Solarization, {"threshold_factor": 0.8})
    x = torch.tensor([10.0, 100.0, 200.0]).view(1, 1, 3, 1)
    layer = Solarization(threshold_factor=(1.0, 1.0), seed=0)  # thresholds in [1, 255]
    params = layer._sample(1, x.device)
    threshold = float(params["thresholds"])
    expected = torch.where(x < threshold, x, 255 - x)
    torch.testing.assert_close(layer._augment(x.permute(0, 3, 1, 2), params).permute(0, 2, 3, 1),
                               expected)  # fmt: skip


def test_solarization_validates_factors():
    with pytest.raises(ValueError, match="threshold_factor"):
        Solarization(threshold_factor=(0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="input_number"):
        Solarization(addition_factor=1.5)
    with pytest.raises(ValueError, match="value_range"):
        Solarization(value_range=(0, 1, 2))
