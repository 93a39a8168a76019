import numpy as np
import pytest

import kerastorch.optimizers as kto
from tests.optimizers.keras_files import check_keras_file_round_trip
from tests.optimizers.parity import build_pair, check_parity, parameters
from tests.oracle import assert_close, keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.9, "epsilon": 1e-3},
        {"learning_rate": 0.05, "warmup_steps": 3},
        {"learning_rate": 0.05, "weight_decay": 0.1, "global_clipnorm": 1.0},
        {"learning_rate": 0.05, "use_ema": True, "gradient_accumulation_steps": 2},
    ],
)
def test_schedule_free_adamw_matches_keras(kwargs):
    check_parity("ScheduleFreeAdamW", kwargs, steps=6)


@pytest.mark.parity
def test_schedule_free_adamw_state_and_config_match_keras():
    keras = keras_or_skip()
    kwargs = {"name": "opt", "learning_rate": 0.01, "warmup_steps": 10}
    reference, ours = build_pair("ScheduleFreeAdamW", kwargs)
    assert ours.get_config() == reference.get_config()
    clone = kto.get({"class_name": "ScheduleFreeAdamW", "config": ours.get_config()})
    assert clone.get_config() == ours.get_config()
    params = parameters()
    reference.build(
        [
            keras.Variable(to_numpy(p), name=n)
            for p, n in zip(params, ["variable", "variable_1"], strict=True)
        ]
    )
    ours.build(params)
    assert [v.path for v in ours.variables] == [v.path for v in reference.variables]
    assert_close([v.numpy() for v in ours.variables], [to_numpy(v) for v in reference.variables])
    np.testing.assert_array_equal(ours.variables[2].numpy(), params[0].detach().numpy())


@pytest.mark.parity
def test_schedule_free_adamw_state_moves_both_ways_in_keras_files(tmp_path):
    check_keras_file_round_trip(
        lambda lib: lib.optimizers.ScheduleFreeAdamW(learning_rate=0.01), str(tmp_path)
    )
