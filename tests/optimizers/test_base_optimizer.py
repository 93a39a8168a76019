"""Optimizer state: learning rate, iterations, variables, config and saving."""

import numpy as np
import pytest
import torch

import kerastorch.optimizers as kto
from tests.optimizers.parity import (
    apply_both,
    build_pair,
    parameters,
    random_case,
)
from tests.oracle import assert_close, keras_or_skip, to_numpy


# -- learning rate and iterations --------------------------------------------------------------
def test_optimizer_learning_rate_is_readable_and_settable_in_place():
    opt = kto.Adam(learning_rate=0.1)
    storage = opt._current_learning_rate()
    opt.learning_rate = 0.01
    assert float(opt.learning_rate) == pytest.approx(0.01)
    assert float(storage) == pytest.approx(0.01)  # updated in place: no new tensor
    opt.learning_rate = torch.tensor(0.5)
    assert float(opt.learning_rate) == 0.5
    opt.learning_rate.assign(0.25)  # Keras callbacks may also assign the variable
    assert opt.get_config()["learning_rate"] == 0.25


def test_optimizer_learning_rate_from_a_schedule_is_not_settable_to_a_float():
    schedule = kto.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = kto.SGD(learning_rate=schedule)
    opt.build(parameters())
    assert float(opt.learning_rate) == pytest.approx(0.1)
    with pytest.raises(TypeError, match="its learning rate is not settable"):
        opt.learning_rate = 0.01


def test_optimizer_learning_rate_can_become_a_schedule():
    opt = kto.SGD(learning_rate=0.1)
    opt.learning_rate = kto.schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    assert [v.name for v in opt.variables] == ["iteration"]
    params = parameters()
    for p in params:
        p.grad = torch.zeros_like(p)
    opt.step(params)
    assert float(opt.learning_rate) == 0.5


def test_optimizer_learning_rate_accepts_a_callable():
    params = [torch.nn.Parameter(torch.zeros(1))]
    opt = kto.SGD(learning_rate=lambda: 0.5)
    params[0].grad = torch.ones(1)
    opt.step(params)
    assert params[0].detach().tolist() == [-0.5]


def test_optimizer_iterations_count_steps():
    params = parameters()
    opt = kto.Adam()
    for _ in range(3):
        for p in params:
            p.grad = torch.ones_like(p)
        opt.step(params)
    assert int(opt.iterations) == 3
    assert opt.iterations.path == "adam/iteration"


@pytest.mark.parity
def test_optimizer_reads_an_assigned_iteration_counter_like_keras():
    keras = keras_or_skip()
    init, grads = random_case(3, 2)
    reference, ours = build_pair("Adam", {"learning_rate": 0.1})
    keras_vars = [keras.Variable(x) for x in init]
    our_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    reference.build(keras_vars)
    ours.build(our_vars)
    reference.iterations.assign(10)  # bias corrections now use t = 11, 12
    ours.iterations.assign(10)
    for step_grads in grads:
        apply_both(reference, ours, keras_vars, our_vars, step_grads)
    assert_close(our_vars, [to_numpy(v.value) for v in keras_vars], atol=1e-6, rtol=1e-6)
    assert int(ours.iterations) == 12


@pytest.mark.parity
def test_optimizer_learning_rate_set_while_training_matches_keras():
    keras = keras_or_skip()
    init, grads = random_case(4, 4)
    reference, ours = build_pair("RMSprop", {"learning_rate": 0.1})
    keras_vars = [keras.Variable(x) for x in init]
    our_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    for step, step_grads in enumerate(grads):
        if step == 2:
            reference.learning_rate = 0.01
            ours.learning_rate = 0.01
        apply_both(reference, ours, keras_vars, our_vars, step_grads)
    assert_close(our_vars, [to_numpy(v.value) for v in keras_vars], atol=1e-6, rtol=1e-6)


# -- config and state --------------------------------------------------------------------------
@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("SGD", {"momentum": 0.5, "nesterov": True, "clipnorm": 1.0}),
        ("RMSprop", {"centered": True, "use_ema": True, "ema_overwrite_frequency": 5}),
        ("Adam", {"amsgrad": True, "gradient_accumulation_steps": 4, "loss_scale_factor": 8.0}),
        ("AdamW", {"weight_decay": 0.01}),
        ("Adamax", {}),
        ("Adagrad", {"initial_accumulator_value": 0.2}),
        ("Adadelta", {"rho": 0.9}),
        ("Nadam", {"global_clipnorm": 2.0}),
        ("Ftrl", {"l1_regularization_strength": 0.1, "beta": 0.2}),
        ("Lion", {"beta_2": 0.95}),
        ("Lamb", {"clipvalue": 0.5}),
    ],
)
def test_optimizer_get_config_equals_keras(name, kwargs):
    reference, ours = build_pair(name, {"name": "opt", "learning_rate": 0.01, **kwargs})
    assert ours.get_config() == reference.get_config()
    clone = type(ours).from_config(ours.get_config())
    assert clone.get_config() == ours.get_config()


@pytest.mark.parity
def test_optimizer_get_config_with_a_schedule_equals_keras():
    schedule = ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 5})
    reference, ours = build_pair("Adam", {"name": "opt"}, schedule=schedule)
    assert ours.get_config() == reference.get_config()
    clone = kto.Adam.from_config(ours.get_config())
    assert isinstance(clone._learning_rate, kto.schedules.CosineDecayRestarts)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("Adam", {"amsgrad": True, "use_ema": True, "gradient_accumulation_steps": 2}),
        ("RMSprop", {"momentum": 0.5, "centered": True}),
        ("Nadam", {}),
        ("Ftrl", {}),
    ],
)
def test_optimizer_variables_follow_keras_order_and_names(name, kwargs):
    keras = keras_or_skip()
    reference, ours = build_pair(name, {"name": "opt", **kwargs})
    reference.build(
        [
            keras.Variable(np.ones((2, 3), "float32"), name="variable"),  # our names for tensors
            keras.Variable(np.ones(3, "float32"), name="variable_1"),
        ]
    )
    ours.build(parameters(((2, 3), (3,))))
    expected = [v.path for v in reference.variables]
    if name == "Nadam":  # Keras leaves its momentum cache unnamed ("variable_2")
        expected[-1] = "opt/u_product"
    assert [v.path for v in ours.variables] == expected
    assert_close([v.numpy() for v in ours.variables], [to_numpy(v) for v in reference.variables])


def test_optimizer_state_round_trips_through_save_own_variables():
    params = parameters()
    opt = kto.Adam(learning_rate=0.1)
    for _ in range(3):
        for p in params:
            p.grad = torch.randn_like(p)
        opt.step(params)
    store = {}
    opt.save_own_variables(store)
    fresh = kto.Adam(learning_rate=0.5)
    fresh.build(params)
    fresh.load_own_variables(store)
    assert int(fresh.iterations) == 3
    assert float(fresh.learning_rate) == pytest.approx(0.1)
    assert_close([v.numpy() for v in fresh.variables], [v.numpy() for v in opt.variables])
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        kto.Adam().load_own_variables(store)


def test_optimizer_set_weights_needs_a_built_optimizer():
    with pytest.raises(ValueError, match="has not yet been built"):
        kto.Adam().set_weights([])
