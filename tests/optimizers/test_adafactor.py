import numpy as np
import pytest
import torch

import kerastorch.optimizers as kto
from tests.optimizers.keras_files import check_keras_file_round_trip
from tests.optimizers.parity import (
    apply_both,
    build_pair,
    check_parity,
    linear_variables,
    random_case,
)
from tests.oracle import assert_close, keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.5},  # capped at 1 / sqrt(t)
        {"learning_rate": 0.01, "beta_2_decay": -0.5, "epsilon_2": 0.1, "clip_threshold": 0.1},
        {"learning_rate": 0.01, "relative_step": False, "weight_decay": 0.05, "clipnorm": 1.0},
        {"learning_rate": 0.01, "use_ema": True, "gradient_accumulation_steps": 2},
    ],
)
def test_adafactor_matches_keras(kwargs):
    check_parity("Adafactor", kwargs, steps=6)


@pytest.mark.parity
def test_adafactor_matches_keras_with_a_schedule():
    schedule_kwargs = {"initial_learning_rate": 0.05, "decay_steps": 2, "decay_rate": 0.5}
    schedule = ("ExponentialDecay", schedule_kwargs)
    check_parity("Adafactor", {}, schedule=schedule)


@pytest.mark.parity
def test_adafactor_factors_keras_layout_axes_of_a_transposed_kernel():
    keras = keras_or_skip()
    rng = np.random.default_rng(3)
    kernel0, bias0 = rng.normal(size=(3, 2)).astype("float32"), np.ones(2, "float32")
    keras_vars = [keras.Variable(kernel0), keras.Variable(bias0)]
    reference, ours = build_pair("Adafactor", {"learning_rate": 0.1})
    linear = torch.nn.Linear(3, 2)
    variables = linear_variables(linear)
    variables[0].assign(kernel0)
    variables[1].assign(bias0)
    for _ in range(3):
        grads = [rng.normal(size=(3, 2)).astype("float32"), rng.normal(size=2).astype("float32")]
        apply_both(reference, ours, keras_vars, variables, grads)
    expected = [to_numpy(v.value) for v in keras_vars]
    assert_close([v.numpy() for v in variables], expected, atol=1e-6, rtol=1e-6)
    assert [v.shape for v in ours.variables] == [tuple(v.shape) for v in reference.variables]
    assert_close([v.numpy() for v in ours.variables], [to_numpy(v) for v in reference.variables])


@pytest.mark.parity
def test_adafactor_variables_follow_keras_order_names_and_dtypes():
    keras = keras_or_skip()
    reference, ours = build_pair("Adafactor", {"name": "opt"})
    reference.build(
        [
            keras.Variable(np.ones((2, 3), "float32"), name="variable"),  # our names for tensors
            keras.Variable(np.ones(3, "float32"), name="variable_1"),
        ]
    )
    ours.build([torch.nn.Parameter(torch.ones(2, 3)), torch.nn.Parameter(torch.ones(3))])
    assert [v.path for v in ours.variables] == [v.path for v in reference.variables]
    assert [v.dtype for v in ours.variables[2:]] == [v.dtype for v in reference.variables[2:]]


@pytest.mark.parity
def test_adafactor_config_and_state_round_trip_with_keras():
    keras = keras_or_skip()
    kwargs = {"name": "opt", "learning_rate": 0.01, "beta_2_decay": -0.7, "relative_step": False}
    reference, ours = build_pair("Adafactor", kwargs)
    assert ours.get_config() == reference.get_config()
    clone = kto.get({"class_name": "Adafactor", "config": ours.get_config()})
    assert clone.get_config() == ours.get_config()
    # Keras's saved state (`.keras` layout) loads here and the next step agrees.
    init, grads = random_case(2, 3)
    keras_vars = [keras.Variable(x) for x in init]
    for step_grads in grads[:2]:
        reference.apply([torch.tensor(g) for g in step_grads], keras_vars)
    store = {}
    reference.save_own_variables(store)
    params = [torch.nn.Parameter(torch.tensor(to_numpy(v.value))) for v in keras_vars]
    clone.build(params)
    clone.load_own_variables({k: to_numpy(v) for k, v in store.items()})
    apply_both(reference, clone, keras_vars, params, grads[2])
    assert_close(params, [to_numpy(v.value) for v in keras_vars], atol=1e-6, rtol=1e-6)


@pytest.mark.parity
def test_adafactor_state_moves_both_ways_in_keras_files(tmp_path):
    check_keras_file_round_trip(
        lambda lib: lib.optimizers.Adafactor(learning_rate=0.01), str(tmp_path)
    )
