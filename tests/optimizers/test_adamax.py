import pytest

from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4},
        {"learning_rate": 0.02, "weight_decay": 0.05, "global_clipnorm": 0.7},
    ],
)
def test_adamax_matches_keras(kwargs):
    check_parity("Adamax", kwargs)
