import pytest

from kerastorch.optimizers import Lion
from tests.optimizers.parity import check_parity


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9},
        {"learning_rate": 0.01, "weight_decay": 0.1, "use_ema": True},
    ],
)
def test_lion_matches_keras(kwargs):
    check_parity("Lion", kwargs)


def test_lion_rejects_beta_1_outside_unit_interval():
    with pytest.raises(ValueError, match=r"degenerates to SignSGD\. Received: beta_1=0"):
        Lion(beta_1=0)
