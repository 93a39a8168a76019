import pytest
import torch

from kerastorch.optimizers import Nadam
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.99},
        {"learning_rate": 0.01, "weight_decay": 0.02, "clipvalue": 0.4},
    ],
)
def test_nadam_matches_keras(kwargs):
    check_parity("Nadam", kwargs)


@pytest.mark.parity
def test_nadam_matches_keras_with_gradient_accumulation():
    check_parity("Nadam", {"learning_rate": 0.01, "gradient_accumulation_steps": 2}, steps=6)


def test_nadam_momentum_cache_is_state_updated_each_step():
    w = torch.nn.Parameter(torch.zeros(2))
    opt = Nadam()
    for _ in range(2):
        w.grad = torch.ones(2)
        opt.step([w])
    u = [0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2)]
    assert opt.variables[-1].name == "u_product"
    assert float(opt.variables[-1]) == pytest.approx(u[0] * u[1], rel=1e-6)
