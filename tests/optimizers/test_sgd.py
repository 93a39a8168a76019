import pytest
import torch

from kerastorch.optimizers import SGD
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.1, "momentum": 0.9},
        {"learning_rate": 0.1, "momentum": 0.5, "nesterov": True},
        {"learning_rate": 0.05, "momentum": 0.9, "weight_decay": 0.1},
        {"learning_rate": 0.1, "clipvalue": 0.3},
    ],
)
def test_sgd_matches_keras(kwargs):
    check_parity("SGD", kwargs)


@pytest.mark.parity
def test_sgd_matches_keras_with_a_piecewise_schedule():
    check_parity(
        "SGD",
        {"momentum": 0.9},
        schedule=("PiecewiseConstantDecay", {"boundaries": [1, 3], "values": [0.1, 0.05, 0.01]}),
    )


def test_sgd_rejects_momentum_outside_unit_interval():
    with pytest.raises(ValueError, match=r"`momentum` must be a float between \[0, 1\]"):
        SGD(momentum=1.5)


def test_sgd_has_no_momentum_state_without_momentum():
    opt = SGD()
    opt.build([torch.nn.Parameter(torch.zeros(2))])
    assert [v.name for v in opt.variables] == ["iteration", "learning_rate"]
    assert opt.momentums == []


def test_sgd_momentum_rule_is_keras_not_torch():
    # Keras: v = mu * v - lr * g; w += v.  torch.optim.SGD: b = mu * b + g; w -= lr * b.
    w = torch.nn.Parameter(torch.zeros(1))
    opt = SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    for _ in range(2):
        w.grad = torch.ones(1)
        opt.step([w])
    # Nesterov: step 1 v = -0.1, w = 0.9 * v - 0.1 = -0.19; step 2 v = -0.19, w += -0.271.
    torch.testing.assert_close(w.detach(), torch.tensor([-0.461]))
