import pytest
import torch

from kerastorch.layers.preprocessing.random_shear import RandomShear
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
    [({"x_factor": (0.1, 0.3), "y_factor": (0.1, 0.5)}, False), ({}, True)],
)
def test_random_shear_matches_keras(kwargs, training):
    keras_or_skip()
    check_layer(RandomShear, kwargs, (2, 8, 8, 3), training=training)


def test_random_shear_config_of_a_symmetric_factor_reloads():
    layer = RandomShear(x_factor=0.3, seed=1)  # Keras's own from_config rejects (-0.3, 0.3)
    clone = RandomShear.from_config(layer.get_config())
    assert clone.x_factor == (-0.3, 0.3)
    x = torch.rand(2, 6, 6, 3)
    assert torch.equal(clone(x, training=True), layer(x, training=True))


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {"x_factor": 0.4, "y_factor": 0.3},
        {"x_factor": 0.4, "fill_mode": "constant", "fill_value": 2.0, "interpolation": "nearest"},
        {"y_factor": (0.2, 0.9), "fill_mode": "wrap", "data_format": "channels_first"},
        {"x_factor": 1.0, "y_factor": 1.0, "fill_mode": "nearest"},
    ],
)
def test_random_shear_draws_match_keras(kwargs):
    shape = (4, 3, 8, 7) if kwargs.get("data_format") == "channels_first" else (4, 8, 7, 3)
    assert_transform_matches_keras(RandomShear(**kwargs, seed=1), kwargs, images(shape),
                                   atol=1e-5)  # fmt: skip


def test_random_shear_moves_rows_by_the_drawn_amount():
    assert_seeded_and_inference_identity(RandomShear, {"x_factor": 0.5, "y_factor": 0.5})
    x = torch.zeros(1, 5, 9, 1)
    x[0, 4, 2] = 1.0
    layer = RandomShear(x_factor=(0.5, 0.5), fill_mode="constant", interpolation="nearest")
    params = layer._sample(1, x.device)
    y = layer._augment(x.permute(0, 3, 1, 2), params)[0, 0]
    shear = float(params["shear_factor"][0, 0])  # +-0.5: output (x, 4) reads input x + 4 s
    assert y.nonzero().tolist() == [[4, 2 - round(4 * shear)]]
    assert float(params["shear_factor"][0, 1]) == 0.0


def test_random_shear_validates_arguments():
    with pytest.raises(ValueError, match="x_factor"):
        RandomShear(x_factor="big")
    with pytest.raises(ValueError, match="input_number"):
        RandomShear(y_factor=-0.5)
    with pytest.raises(ValueError, match="input_number"):
        RandomShear(y_factor=(-1.5, 0.5))
    with pytest.raises(NotImplementedError, match="fill_mode"):
        RandomShear(0.2, fill_mode="mirror")
