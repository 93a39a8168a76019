import pytest

from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-4},
        {"learning_rate": 1.0, "weight_decay": 0.01, "clipnorm": 0.5},
    ],
)
def test_adadelta_matches_keras(kwargs):
    check_parity("Adadelta", kwargs)
