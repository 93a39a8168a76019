import numpy as np
import pytest
import torch

import kerastorch.optimizers as kto
from tests.optimizers.keras_files import check_keras_file_round_trip
from tests.optimizers.parity import ATOL, RTOL, random_case
from tests.oracle import assert_close, keras_or_skip, to_numpy

INNERS = [
    ("SGD", {"learning_rate": 0.1, "momentum": 0.5, "name": "sgd"}),
    ("Adam", {"learning_rate": 0.01, "name": "adam"}),
]


def _comparable(config: dict) -> dict:
    """The config without the inner optimizer's module (Keras names its torch backend's)."""
    inner = config["inner_optimizer"]
    return {**config, "inner_optimizer": (inner["class_name"], inner["config"])}


def _pair(inner: tuple, **kwargs) -> tuple:
    keras = keras_or_skip()
    name, inner_kwargs = inner
    reference = keras.optimizers.LossScaleOptimizer(
        getattr(keras.optimizers, name)(**inner_kwargs), **kwargs
    )
    ours = kto.LossScaleOptimizer(getattr(kto, name)(**inner_kwargs), **kwargs)
    fast = kto.LossScaleOptimizer(getattr(kto, name)(**inner_kwargs), **kwargs)
    return reference, ours, fast


def _scaled_grads(seed: int, steps: int) -> tuple:
    """Scaled gradients, with an infinite and a NaN step among them."""
    init, grads = random_case(seed, steps)
    grads = [[g * 8.0 for g in step] for step in grads]
    grads[1][0][0, 0] = np.inf
    grads[4][2][0, 0, 0] = np.nan
    return init, grads


@pytest.mark.parity
@pytest.mark.parametrize("inner", INNERS, ids=[i[0] for i in INNERS])
def test_loss_scale_optimizer_matches_keras(inner):
    keras = keras_or_skip()
    init, grads = _scaled_grads(0, 8)
    reference, ours, fast = _pair(inner, initial_scale=8.0, dynamic_growth_steps=2)
    names = ["variable", "variable_1", "variable_2"]  # our names for plain tensors
    keras_vars = [keras.Variable(x, name=n) for x, n in zip(init, names, strict=True)]
    our_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    fast_vars = [torch.nn.Parameter(torch.tensor(x)) for x in init]
    scales = []
    for step, step_grads in enumerate(grads):
        assert_close(ours.scale_loss(torch.tensor(2.0)), reference.scale_loss(torch.tensor(2.0)))
        reference.apply([torch.tensor(g) for g in step_grads], keras_vars)
        ours.apply(step_grads, our_vars)
        for p, g in zip(fast_vars, step_grads, strict=True):
            p.grad = torch.tensor(g)
        fast.step(fast_vars)
        expected = [to_numpy(v.value) for v in keras_vars]
        scales.append(float(ours.dynamic_scale))
        assert float(fast.dynamic_scale) == float(to_numpy(reference.dynamic_scale)) == scales[-1]
        try:
            assert_close(our_vars, expected, atol=ATOL, rtol=RTOL)
            assert_close(fast_vars, expected, atol=ATOL, rtol=RTOL)
        except AssertionError as error:
            raise AssertionError(f"LossScaleOptimizer differs from Keras at step {step}") from error
    for opt in (ours, fast):
        assert [v.name for v in opt.variables] == [v.name for v in reference.variables]
        assert [v.dtype for v in opt.variables[2:4]] == ["int32", "float32"]  # as Keras
        assert_close([v.numpy() for v in opt.variables], [to_numpy(v) for v in reference.variables])
        assert int(opt.iterations) == int(to_numpy(reference.iterations)) == 6
    # Halved at the two non-finite steps, doubled after two finite steps in a row.
    assert scales == [8.0, 4.0, 4.0, 8.0, 4.0, 4.0, 8.0, 8.0]


@pytest.mark.parity
def test_loss_scale_optimizer_config_and_state_round_trip_with_keras():
    keras = keras_or_skip()
    reference, ours, _ = _pair(INNERS[0], initial_scale=4.0, dynamic_growth_steps=3, name="ls")
    assert _comparable(ours.get_config()) == _comparable(reference.get_config())
    clone = kto.get(kto.serialize(ours))
    assert isinstance(clone.inner_optimizer, kto.SGD)
    assert clone.get_config() == ours.get_config()
    theirs = keras.optimizers.deserialize(kto.serialize(ours))
    assert _comparable(theirs.get_config()) == _comparable(ours.get_config())
    # Keras's saved state (`.keras` layout) loads here and the next steps agree.
    init, grads = _scaled_grads(1, 6)
    keras_vars = [keras.Variable(x) for x in init]
    for step_grads in grads[:3]:
        reference.apply([torch.tensor(g) for g in step_grads], keras_vars)
    store = {}
    reference.save_own_variables(store)
    params = [torch.nn.Parameter(torch.tensor(to_numpy(v.value))) for v in keras_vars]
    clone.build(params)
    clone.load_own_variables({k: to_numpy(v) for k, v in store.items()})
    for step_grads in grads[3:]:
        reference.apply([torch.tensor(g) for g in step_grads], keras_vars)
        clone.apply(step_grads, params)
    assert_close(params, [to_numpy(v.value) for v in keras_vars], atol=ATOL, rtol=RTOL)
    assert_close([v.numpy() for v in clone.variables], [to_numpy(v) for v in reference.variables])


def test_loss_scale_optimizer_learning_rate_and_iterations_are_the_inner_ones():
    inner = kto.Adam(learning_rate=0.1, loss_scale_factor=4.0)
    opt = kto.LossScaleOptimizer(inner)
    assert inner.loss_scale_factor is None  # no double unscaling
    assert float(opt.scale_loss(torch.tensor(1.0))) == 2.0**15
    opt.learning_rate = 0.5
    assert float(inner.learning_rate) == 0.5
    assert opt.iterations is inner.iterations


def test_loss_scale_optimizer_rejects_keras_refused_arguments():
    with pytest.raises(ValueError, match="no longer supports `dynamic=False`"):
        kto.LossScaleOptimizer(kto.SGD(), dynamic=False)
    with pytest.raises(ValueError, match=r"does not support `clipnorm`\. Instead, set `clipnorm`"):
        kto.LossScaleOptimizer(kto.SGD(), clipnorm=1.0)
    kto.LossScaleOptimizer(kto.SGD(), use_ema=False)  # old configs carry the defaults
    with pytest.raises(ValueError, match="does not support arguments: `foo`"):
        kto.LossScaleOptimizer(kto.SGD(), foo=1)
    with pytest.raises(TypeError, match="`inner_optimizer` must be a kerastorch Optimizer"):
        kto.LossScaleOptimizer("sgd")


@pytest.mark.parity
def test_loss_scale_optimizer_state_moves_both_ways_in_keras_files(tmp_path):
    check_keras_file_round_trip(
        lambda lib: lib.optimizers.LossScaleOptimizer(lib.optimizers.Adam(), initial_scale=8.0),
        str(tmp_path),
    )
