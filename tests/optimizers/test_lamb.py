import numpy as np
import pytest

from tests.optimizers.parity import SHAPES, check_parity, random_case


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "beta_1": 0.8, "epsilon": 1e-4},
        {"learning_rate": 0.01, "weight_decay": 0.05, "clipnorm": 1.0},
    ],
)
def test_lamb_matches_keras(kwargs):
    check_parity("Lamb", kwargs)


@pytest.mark.parity
def test_lamb_trust_ratio_is_one_for_a_zero_variable():
    init, _ = random_case(1, 0)
    init[1] = np.zeros(SHAPES[1], dtype="float32")  # ||w|| = 0 -> ratio 1 on the first step
    check_parity("Lamb", {"learning_rate": 0.01}, init=init)
