import pytest
import torch

from kerastorch.optimizers import AdamW
from kerastorch.variables import Variable
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "weight_decay": 0.1},
        {"learning_rate": 0.01, "weight_decay": 0.1, "amsgrad": True, "clipnorm": 1.0},
    ],
)
def test_adamw_matches_keras(kwargs):
    check_parity("AdamW", kwargs)


def test_adamw_refuses_no_weight_decay():
    with pytest.raises(ValueError, match="`weight_decay` must be a float"):
        AdamW(weight_decay=None)


def test_adamw_decays_before_the_adam_update():
    w = torch.nn.Parameter(torch.full((1,), 2.0))
    opt = AdamW(learning_rate=0.5, weight_decay=0.1)
    w.grad = torch.zeros(1)  # no Adam move: only the decay acts
    opt.step([w])
    torch.testing.assert_close(w.detach(), torch.tensor([2.0 * (1 - 0.1 * 0.5)]))


def test_adamw_exclude_from_weight_decay_by_name():
    linear = torch.nn.Linear(1, 1)
    torch.nn.init.ones_(linear.weight)
    torch.nn.init.ones_(linear.bias)
    kernel, bias = Variable(linear, "weight", "kernel"), Variable(linear, "bias", "bias")
    opt = AdamW(learning_rate=0.5, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_names=["bias"])
    linear.weight.grad, linear.bias.grad = torch.zeros(1, 1), torch.zeros(1)
    opt.step([kernel, bias])
    assert bias.numpy().tolist() == [1.0]
    assert kernel.numpy().item() == pytest.approx(0.95)
