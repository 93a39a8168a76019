import pytest
import torch

from kerastorch.optimizers import Adam
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "amsgrad": True},
        {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
        {"learning_rate": 0.01, "weight_decay": 0.05},
        {"learning_rate": 0.01, "clipnorm": 0.5},
        {"learning_rate": 0.01, "global_clipnorm": 0.5},
        {"learning_rate": 0.01, "clipvalue": 0.2},
        {"learning_rate": 0.01, "use_ema": True},
        {"learning_rate": 0.01, "use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 2},
        {"learning_rate": 0.01, "loss_scale_factor": 128.0},
    ],
)
def test_adam_matches_keras(kwargs):
    check_parity("Adam", kwargs)


@pytest.mark.parity
@pytest.mark.parametrize("accumulation", [2, 3])
def test_adam_matches_keras_with_gradient_accumulation(accumulation):
    check_parity(
        "Adam", {"learning_rate": 0.01, "gradient_accumulation_steps": accumulation}, steps=7
    )


@pytest.mark.parity
def test_adam_matches_keras_with_accumulation_ema_and_decay_together():
    check_parity(
        "Adam",
        {
            "learning_rate": 0.01,
            "gradient_accumulation_steps": 2,
            "use_ema": True,
            "ema_overwrite_frequency": 3,
            "weight_decay": 0.01,
            "global_clipnorm": 1.0,
        },
        steps=8,
    )


@pytest.mark.parity
@pytest.mark.parametrize(
    "schedule",
    [
        ("ExponentialDecay", {"initial_learning_rate": 0.05, "decay_steps": 2, "decay_rate": 0.5}),
        (
            "CosineDecay",
            {
                "initial_learning_rate": 0.0,
                "decay_steps": 4,
                "warmup_target": 0.1,
                "warmup_steps": 2,
            },
        ),
    ],
)
def test_adam_matches_keras_with_a_schedule(schedule):
    check_parity("Adam", {"weight_decay": 0.1}, schedule=schedule)


def test_adam_adds_epsilon_to_the_uncorrected_root():
    w = torch.nn.Parameter(torch.zeros(1))
    opt = Adam(learning_rate=1.0, epsilon=1.0)
    w.grad = torch.full((1,), 2.0)
    opt.step([w])
    # m = 0.2, v = 0.004; alpha = sqrt(0.001) / 0.1; w = -alpha * m / (sqrt(v) + 1)
    expected = -(0.001**0.5 / 0.1) * 0.2 / (0.004**0.5 + 1.0)
    torch.testing.assert_close(w.detach(), torch.tensor([expected]))
