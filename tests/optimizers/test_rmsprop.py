import pytest
import torch

from kerastorch.optimizers import RMSprop
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-3},
        {"learning_rate": 0.01, "momentum": 0.9},
        {"learning_rate": 0.01, "centered": True},
        {"learning_rate": 0.01, "centered": True, "momentum": 0.5, "clipnorm": 1.0},
    ],
)
def test_rmsprop_matches_keras(kwargs):
    check_parity("RMSprop", kwargs)


def test_rmsprop_puts_epsilon_inside_the_square_root():
    w = torch.nn.Parameter(torch.zeros(1))
    opt = RMSprop(learning_rate=1.0, rho=0.0, epsilon=3.0)
    w.grad = torch.ones(1)
    opt.step([w])
    torch.testing.assert_close(w.detach(), torch.tensor([-0.5]))  # 1 / sqrt(1 + 3)


def test_rmsprop_defaults_are_keras():
    config = RMSprop().get_config()
    assert (config["rho"], config["epsilon"], config["momentum"]) == (0.9, 1e-7, 0.0)
    assert config["learning_rate"] == pytest.approx(1e-3)
