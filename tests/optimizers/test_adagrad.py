import pytest
import torch

from kerastorch.optimizers import Adagrad
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "epsilon": 1e-3},
        {"learning_rate": 0.1, "clipvalue": 0.5, "use_ema": True},
    ],
)
def test_adagrad_matches_keras(kwargs):
    check_parity("Adagrad", kwargs)


def test_adagrad_accumulators_start_at_initial_value():
    opt = Adagrad(initial_accumulator_value=0.25)
    opt.build([torch.nn.Parameter(torch.zeros(3))])
    assert opt.variables[-1].name == "variable_accumulator"
    assert opt.variables[-1].numpy().tolist() == [0.25, 0.25, 0.25]
