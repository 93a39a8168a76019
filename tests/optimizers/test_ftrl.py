import pytest

from kerastorch.optimizers import Ftrl
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.1, "l1_regularization_strength": 0.01},
        {
            "learning_rate": 0.1,
            "learning_rate_power": -0.3,
            "initial_accumulator_value": 0.2,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "l2_shrinkage_regularization_strength": 0.03,
            "beta": 0.5,
        },
        {"learning_rate": 0.1, "learning_rate_power": 0.0, "weight_decay": 0.01},
    ],
)
def test_ftrl_matches_keras(kwargs):
    check_parity("Ftrl", kwargs)


@pytest.mark.parametrize(
    ("argument", "value", "message"),
    [
        ("initial_accumulator_value", -1.0, "needs to be positive or zero"),
        ("learning_rate_power", 0.5, "needs to be negative or zero"),
        ("l1_regularization_strength", -0.1, "needs to be positive or zero"),
    ],
)
def test_ftrl_rejects_out_of_range_arguments(argument, value, message):
    with pytest.raises(ValueError, match=f"`{argument}` {message}. Received: {argument}={value}"):
        Ftrl(**{argument: value})
