import numpy as np
import pytest
import torch

from kerastorch.layers.activations.relu import ReLU
from tests.layer_checks import check_layer
from tests.oracle import keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_value": 6.0},
        {"max_value": 1.0, "negative_slope": 0.1},
        {"negative_slope": 0.2, "threshold": 0.5},
        {"max_value": 2.0, "negative_slope": 0.3, "threshold": 0.25},
        {"threshold": 1.0},
    ],
)
def test_relu_matches_keras(kwargs):
    keras_or_skip()
    result = check_layer(
        ReLU,
        kwargs,
        (3, 4, 5),
        expected_output_shape=(3, 4, 5),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )
    assert result.keras_layer is not None


def test_relu_values():
    x = torch.tensor([-2.0, -0.5, 0.25, 0.75, 3.0])
    out = ReLU(max_value=2.0, negative_slope=0.5, threshold=0.5)(x)
    np.testing.assert_allclose(out.numpy(), [-1.25, -0.5, -0.125, 0.75, 2.0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_value": -1.0}, "max_value of a ReLU layer cannot be a negative value"),
        ({"negative_slope": -0.1}, "negative_slope of a ReLU layer cannot be None"),
        ({"threshold": None}, "threshold of a ReLU layer cannot be None"),
    ],
)
def test_relu_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReLU(**kwargs)


def test_relu_is_built_at_init_and_keeps_masks():
    layer = ReLU()
    assert layer.built
    assert layer.count_params() == 0
    x = torch.randn(2, 3, 4)
    x._keras_mask = torch.tensor([[True, False, True], [True, True, False]])
    assert torch.equal(layer(x)._keras_mask, x._keras_mask)
